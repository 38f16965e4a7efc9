/**
 * One snapshot per shipped stage, plus pinned logical IDs of stateful resources.
 * Review snapshot diffs like code: `npx jest test/composition -u` accepts them.
 */
import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { listStages } from '../../lib/config/load-stage-config';
import type { CognitoAccessStack } from '../../lib/composition/cognito-access-stack';
import { maskedTemplate, REPO_ROOT, synthStage, type SynthResult } from '../support/synth';

const STAGES = listStages();

// Synthesized once per stage for both the snapshots and the logical-ID pins. The
// rule packs only report (test/composition/rule-packs.test.ts runs them), so they are left out.
const synthesized = new Map<string, SynthResult>();
beforeAll(() => {
  for (const stage of STAGES) synthesized.set(stage, synthStage({ stage, rulePacks: false }));
});
const synthOf = (stage: string) => synthesized.get(stage)!;

describe('template snapshots', () => {
  test.each(STAGES)('GIVEN config/%s.json WHEN synthesized THEN the masked template matches its snapshot', (stage) => {
    expect(maskedTemplate(synthOf(stage).template)).toMatchSnapshot();
  });

  test.each(STAGES)('GIVEN config/%s.json WHEN masked THEN no path of this machine is left in it', (stage) => {
    const text = JSON.stringify(maskedTemplate(synthOf(stage).template));
    expect(text).not.toContain('/work/');
    expect(text).not.toContain(REPO_ROOT);
    expect(text).not.toContain(REPO_ROOT.split('/').join('\\\\'));
    expect(text).not.toMatch(/\/(home|Users|tmp)\//);
  });
});

/**
 * Logical IDs of stateful resources, per stage. DO NOT just update these to make
 * the test pass: a changed logical ID makes CloudFormation create a new resource
 * and delete (or orphan) the old one. For the user pool that is a REPLACEMENT:
 * every user, password and MFA enrolment is lost, and the pool ID that apps and
 * the identity pool use changes. Rename construct IDs only with a migration plan.
 *
 * To pin another stateful resource, add a row: [name, how to find it on the stack].
 */
const STATEFUL: Array<[string, (stack: CognitoAccessStack) => IConstruct]> = [
  ['userPool', (stack) => stack.userDirectory.userPool],
  ['webClient', (stack) => stack.userDirectory.webClient],
  ['identityPool', (stack) => stack.identities.identityPool],
  // One per pool: a replacement's delete would clear the pool's roles after the new one set them.
  ['identityPoolRoleAttachment', (stack) => stack.identities.identityPool.roleAttachment],
  ['bucket', (stack) => stack.storage.bucket],
  ['table', (stack) => stack.storage.table],
  // Check results and per-user usage: a new table would forget every quota.
  ['uploadResults', (stack) => stack.uploadChecks.resultsTable],
  // Rebuildable from GetId, but a new one would send every user through GetId again at once.
  ['identityMap', (stack) => stack.api.identityMap],
];

/**
 * The logical IDs every shipped stage pins, resource name → ID. They are the
 * same in both stages (construct paths do not depend on the stage), but each
 * stage is listed on its own below, so a new stage must be pinned on purpose.
 */
const STACK_LOGICAL_IDS: Record<string, string> = {
  userPool: 'UserDirectoryUserPoolD2758A4E',
  webClient: 'UserDirectoryUserPoolWebClientE024FB40',
  identityPool: 'IdentityStorageIdentityPool1C1F9BAD',
  identityPoolRoleAttachment: 'IdentityStorageIdentityPoolDefaultRoleAttachmentB5974E01',
  bucket: 'IdentityStorageBucket53A901BD',
  table: 'IdentityStorageTable2EC1910F',
  uploadResults: 'UploadChecksResultsTableB42609C3',
  identityMap: 'AuthorizedApiIdentityMap69AEEDCA',
};

/** Pinned logical IDs: stage → resource name → ID. */
const PINNED: Record<string, Record<string, string>> = {
  dev: STACK_LOGICAL_IDS,
  prod: STACK_LOGICAL_IDS,
};

describe('pinned logical IDs of stateful resources', () => {
  test('GIVEN the shipped stages WHEN listed THEN each has its logical IDs pinned here', () => {
    expect(Object.keys(PINNED).sort()).toEqual([...STAGES].sort());
  });

  const rows = STAGES.flatMap((stage) => STATEFUL.map(([name, find]) => [stage, name, find] as const));
  test.each(rows)('GIVEN config/%s.json WHEN synthesized THEN %s keeps its pinned logical ID', (stage, name, find) => {
    const { stack, template } = synthOf(stage);
    const element = (find(stack).node.defaultChild ?? find(stack)) as CfnElement;
    // Resolved, so an overrideLogicalId counts: it is what the template carries.
    const logicalId = stack.resolve(element.logicalId);

    expect(logicalId).toBe(PINNED[stage][name]);
    expect(template.toJSON().Resources).toHaveProperty([PINNED[stage][name]]);
  });
});
