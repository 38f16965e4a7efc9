/**
 * IAM behaviour of the identity pool roles, judged by an independent evaluator
 * (`@cloud-copilot/iam-simulate`) against the policies of the synthesized
 * template. See ./iam-evaluator.ts for which engine runs what, and why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { REPO_ROOT, synthStage } from '../support/synth';
import {
  IDENTITY_A,
  IDENTITY_B,
  SUB_VARIABLE,
  decide,
  decideAssumeRole,
  outcomeOf,
  webIdentityContext,
  type AccessRequest,
  type Caller,
  type Outcome,
} from './iam-evaluator';
import {
  ACCOUNT,
  BUCKET_ARN,
  IDENTITY_MAP_ARN,
  RESULTS_ARN,
  IDENTITY_POOL_ID,
  TABLE_ARN,
  TemplatePolicies,
  type Json,
  type NamedPolicy,
  type PolicyDocumentJson,
} from './template-policies';

const A = IDENTITY_A;
const B = IDENTITY_B;
const GUEST = 'eu-west-1:cccccccc-0000-0000-0000-000000000003';
const OTHER_POOL = 'eu-west-1:99999999-9999-9999-9999-999999999999';

// ---- requests -------------------------------------------------------------

const object = (action: string, key: string): AccessRequest => ({ action, resource: `${BUCKET_ARN}/${key}` });
const list = (prefix?: string): AccessRequest => ({
  action: 's3:ListBucket',
  resource: BUCKET_ARN,
  context: prefix === undefined ? {} : { 's3:prefix': prefix },
});
const bucket = (action: string): AccessRequest => ({ action, resource: BUCKET_ARN });
const items = (action: string, leadingKeys?: string[]): AccessRequest => ({
  action,
  resource: TABLE_ARN,
  context: leadingKeys === undefined ? {} : { 'dynamodb:LeadingKeys': leadingKeys },
});

interface Row {
  readonly name: string;
  readonly request: AccessRequest;
  readonly expect: Outcome;
}

/** What identity A may and may not do with the authenticated role. The mutation tests reuse it. */
const OWN_DATA_MATRIX: readonly Row[] = [
  { name: 'A gets A/report.csv', request: object('s3:GetObject', `${A}/report.csv`), expect: 'allow' },
  { name: 'A puts A/report.csv', request: object('s3:PutObject', `${A}/report.csv`), expect: 'allow' },
  { name: 'A deletes A/report.csv', request: object('s3:DeleteObject', `${A}/report.csv`), expect: 'allow' },
  { name: 'A gets A/sub/deep.csv', request: object('s3:GetObject', `${A}/sub/deep.csv`), expect: 'allow' },
  { name: 'A lists prefix A/', request: list(`${A}/`), expect: 'allow' },
  { name: 'A lists prefix A/sub/', request: list(`${A}/sub/`), expect: 'allow' },

  { name: 'A gets B/report.csv', request: object('s3:GetObject', `${B}/report.csv`), expect: 'deny' },
  { name: 'A puts B/report.csv', request: object('s3:PutObject', `${B}/report.csv`), expect: 'deny' },
  { name: 'A deletes B/report.csv', request: object('s3:DeleteObject', `${B}/report.csv`), expect: 'deny' },
  { name: 'A gets the bucket-root object report.csv', request: object('s3:GetObject', 'report.csv'), expect: 'deny' },
  { name: 'A puts the bucket-root object report.csv', request: object('s3:PutObject', 'report.csv'), expect: 'deny' },
  { name: 'A deletes the bucket-root object report.csv', request: object('s3:DeleteObject', 'report.csv'), expect: 'deny' },
  { name: 'A gets not-permissions/report.csv', request: object('s3:GetObject', 'not-permissions/report.csv'), expect: 'deny' },
  { name: 'A puts not-permissions/report.csv', request: object('s3:PutObject', 'not-permissions/report.csv'), expect: 'deny' },
  { name: 'A deletes not-permissions/report.csv', request: object('s3:DeleteObject', 'not-permissions/report.csv'), expect: 'deny' },
  { name: "A puts <A>-other/report.csv (A's ID without the slash)", request: object('s3:PutObject', `${A}-other/report.csv`), expect: 'deny' },

  { name: 'A lists prefix B/', request: list(`${B}/`), expect: 'deny' },
  { name: 'A lists an empty prefix', request: list(''), expect: 'deny' },
  { name: 'A lists with no prefix', request: list(), expect: 'deny' },
  { name: 'A lists prefix <A> without the slash', request: list(A), expect: 'deny' },
  { name: 'A lists prefix eu-west-1: (every identity in the region)', request: list('eu-west-1:'), expect: 'deny' },

  { name: 'A puts an ACL on A/report.csv', request: object('s3:PutObjectAcl', `${A}/report.csv`), expect: 'deny' },
  { name: 'A puts the bucket policy', request: bucket('s3:PutBucketPolicy'), expect: 'deny' },
  { name: 'A gets the bucket policy', request: bucket('s3:GetBucketPolicy'), expect: 'deny' },
  { name: 'A deletes the bucket policy', request: bucket('s3:DeleteBucketPolicy'), expect: 'deny' },
  { name: 'A deletes the bucket', request: bucket('s3:DeleteBucket'), expect: 'deny' },
  { name: 'A puts a bucket ACL', request: bucket('s3:PutBucketAcl'), expect: 'deny' },
  { name: 'A puts the bucket CORS', request: bucket('s3:PutBucketCORS'), expect: 'deny' },
  {
    name: 'A gets A/report.csv from another bucket',
    request: { action: 's3:GetObject', resource: `arn:aws:s3:::other-bucket/${A}/report.csv` },
    expect: 'deny',
  },

  { name: 'A puts an item keyed [A]', request: items('dynamodb:PutItem', [A]), expect: 'allow' },
  { name: 'A gets an item keyed [A]', request: items('dynamodb:GetItem', [A]), expect: 'allow' },
  { name: 'A queries partition [A]', request: items('dynamodb:Query', [A]), expect: 'allow' },
  { name: 'A updates an item keyed [A]', request: items('dynamodb:UpdateItem', [A]), expect: 'allow' },
  { name: 'A deletes an item keyed [A]', request: items('dynamodb:DeleteItem', [A]), expect: 'allow' },
  { name: 'A batch-writes items keyed [A]', request: items('dynamodb:BatchWriteItem', [A]), expect: 'allow' },
  { name: 'A puts an item keyed [B]', request: items('dynamodb:PutItem', [B]), expect: 'deny' },
  { name: 'A gets an item keyed [B]', request: items('dynamodb:GetItem', [B]), expect: 'deny' },
  { name: 'A queries partition [B]', request: items('dynamodb:Query', [B]), expect: 'deny' },
  { name: 'A deletes an item keyed [B]', request: items('dynamodb:DeleteItem', [B]), expect: 'deny' },
  { name: 'A puts an item keyed [A, B]', request: items('dynamodb:PutItem', [A, B]), expect: 'deny' },
  { name: 'A batch-writes items keyed [A, B]', request: items('dynamodb:BatchWriteItem', [A, B]), expect: 'deny' },
  { name: 'A batch-gets items keyed [A, B]', request: items('dynamodb:BatchGetItem', [A, B]), expect: 'deny' },
  { name: 'A puts an item with no leading key in the request', request: items('dynamodb:PutItem'), expect: 'deny' },
  { name: 'A scans the table', request: items('dynamodb:Scan'), expect: 'deny' },
  { name: 'A describes the table', request: items('dynamodb:DescribeTable'), expect: 'deny' },
  { name: 'A deletes the table', request: items('dynamodb:DeleteTable'), expect: 'deny' },
  {
    name: 'A puts an item keyed [A] in another table',
    request: { ...items('dynamodb:PutItem', [A]), resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/other` },
    expect: 'deny',
  },
  // The API's identity map decides whose prefix a request reaches: a caller must never forge their mapping.
  { name: 'A reads the API identity map', request: { ...items('dynamodb:GetItem', [A]), resource: IDENTITY_MAP_ARN }, expect: 'deny' },
  { name: 'A writes a mapping into the API identity map', request: { ...items('dynamodb:PutItem', [A]), resource: IDENTITY_MAP_ARN }, expect: 'deny' },
  {
    name: "A overwrites another user's mapping",
    request: { ...items('dynamodb:UpdateItem', ['some-user-pool-sub']), resource: IDENTITY_MAP_ARN },
    expect: 'deny',
  },
  // Check results and usage sit outside every identity's reach: an owner can neither forge nor erase them.
  { name: 'A writes an accepted result for A/evil.csv', request: { ...items('dynamodb:PutItem', [A]), resource: RESULTS_ARN }, expect: 'deny' },
  { name: "A resets A's usage counter", request: { ...items('dynamodb:UpdateItem', [A]), resource: RESULTS_ARN }, expect: 'deny' },
  { name: "A erases A's rejected result", request: { ...items('dynamodb:DeleteItem', [A]), resource: RESULTS_ARN }, expect: 'deny' },
  { name: "A reads A's results directly (only through the API)", request: { ...items('dynamodb:GetItem', [A]), resource: RESULTS_ARN }, expect: 'deny' },
  { name: 'A passes a role', request: { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/anything` }, expect: 'deny' },
];

// ---- synthesized stacks, once per file -----------------------------------

function fromStage(stage: string, config?: StageConfigInput): TemplatePolicies {
  const { template, stack } = synthStage({ stage, config, rulePacks: false });
  return new TemplatePolicies(template, stack);
}

function callerFor(policies: TemplatePolicies, roleId: string, identityId: string): Caller {
  return { roleArn: policies.roleArn(roleId), identityId, identityPolicies: policies.identityPolicies(roleId) };
}

const devConfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8')) as StageConfigInput;
const stages = { dev: fromStage('dev'), prod: fromStage('prod') };
const guests = fromStage('dev', { ...devConfig, identityPool: { allowGuests: true } });

/** The bucket policy applies to requests on the user-files bucket only. */
function resourcePolicyFor(policies: TemplatePolicies, request: AccessRequest): PolicyDocumentJson | undefined {
  return request.resource === BUCKET_ARN || request.resource.startsWith(`${BUCKET_ARN}/`) ? policies.bucketPolicy() : undefined;
}

async function outcomes(policies: TemplatePolicies, caller: Caller, request: AccessRequest): Promise<{ validated: Outcome; unsafe: Outcome }> {
  const decision = await decide(caller, request, resourcePolicyFor(policies, request));
  return { validated: decision.outcome, unsafe: outcomeOf(decision.unsafeIdentityOnly) };
}

/** The matrix rows whose outcome differs from the expected one, by name. Both engines must agree on every row. */
async function flippedRows(policies: TemplatePolicies, caller: Caller, rows: readonly Row[]): Promise<string[]> {
  const flipped: string[] = [];
  for (const row of rows) {
    const { validated, unsafe } = await outcomes(policies, caller, row.request);
    if (validated !== unsafe) throw new Error(`The two engines disagree on "${row.name}": validated ${validated}, unsafe ${unsafe}`);
    if (validated !== row.expect) flipped.push(row.name);
  }
  return flipped;
}

// ---- the matrix ------------------------------------------------------------

describe.each(['dev', 'prod'] as const)('GIVEN the %s authenticated role, found through the identity pool role attachment', (stage) => {
  const policies = stages[stage];
  const caller = callerFor(policies, policies.identityPoolRoleId('authenticated'), A);

  test('THEN its policies come from the template and name the placeholder, not a concrete identity', () => {
    expect(caller.identityPolicies.length).toBeGreaterThan(0);
    expect(JSON.stringify(caller.identityPolicies)).toContain(`${BUCKET_ARN}/${SUB_VARIABLE}/*`);
  });

  test.each(OWN_DATA_MATRIX.map((row) => [row.name, row] as const))('WHEN %s THEN the evaluator decides as the matrix says', async (_name, row) => {
    await expect(outcomes(policies, caller, row.request)).resolves.toEqual({ validated: row.expect, unsafe: row.expect });
  });
});

// ---- mutations: the matrix must catch a widened policy -----------------------

type StatementMutation = (statement: Json) => Json | undefined;

/** Applies `mutate` to every statement; fails if nothing changed, so a mutation test can never pass vacuously. */
function mutatePolicies(policies: readonly NamedPolicy[], mutate: StatementMutation): NamedPolicy[] {
  let changed = 0;
  const result = policies.map((p) => ({
    name: p.name,
    policy: {
      ...p.policy,
      Statement: p.policy.Statement.map((statement) => {
        const copy = JSON.parse(JSON.stringify(statement));
        const mutated = mutate(copy);
        if (mutated === undefined) return statement;
        changed++;
        return mutated;
      }),
    },
  }));
  if (changed === 0) throw new Error('The mutation matched no statement of the synthesized policy');
  return result;
}

const actionsOf = (statement: Json): string[] => [statement.Action ?? []].flat();

const MUTATIONS: Record<string, { mutate: StatementMutation; mustFlip: string[] }> = {
  'the object resource widened to <bucket>/*': {
    mutate: (s) => {
      const resources = [s.Resource].flat();
      if (!resources.includes(`${BUCKET_ARN}/${SUB_VARIABLE}/*`)) return undefined;
      return { ...s, Resource: resources.map((r) => (r === `${BUCKET_ARN}/${SUB_VARIABLE}/*` ? `${BUCKET_ARN}/*` : r)) };
    },
    mustFlip: [
      'A gets B/report.csv',
      'A puts B/report.csv',
      'A deletes B/report.csv',
      'A gets the bucket-root object report.csv',
      'A gets not-permissions/report.csv',
    ],
  },
  'the s3:prefix condition dropped': {
    mutate: (s) => {
      if (!actionsOf(s).includes('s3:ListBucket') || !s.Condition?.StringLike?.['s3:prefix']) return undefined;
      delete s.Condition.StringLike['s3:prefix'];
      if (Object.keys(s.Condition.StringLike).length === 0) delete s.Condition.StringLike;
      if (Object.keys(s.Condition).length === 0) delete s.Condition;
      return s;
    },
    mustFlip: ['A lists prefix B/', 'A lists an empty prefix', 'A lists with no prefix'],
  },
  'a typo in the placeholder (amazon.com instead of amazonaws.com)': {
    mutate: (s) => {
      const text = JSON.stringify(s);
      if (!text.includes(SUB_VARIABLE)) return undefined;
      return JSON.parse(text.split(SUB_VARIABLE).join('${cognito-identity.amazon.com:sub}'));
    },
    mustFlip: ['A gets A/report.csv', 'A lists prefix A/', 'A puts an item keyed [A]'],
  },
  'the dynamodb:LeadingKeys condition dropped': {
    mutate: (s) => {
      if (!s.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys']) return undefined;
      delete s.Condition;
      return s;
    },
    mustFlip: ['A puts an item keyed [B]', 'A queries partition [B]', 'A puts an item keyed [A, B]'],
  },
};

describe('GIVEN the synthesized dev policy with one protection removed', () => {
  const policies = stages.dev;
  const caller = callerFor(policies, policies.identityPoolRoleId('authenticated'), A);

  test('WHEN nothing is removed THEN no row of the matrix flips (the baseline)', async () => {
    await expect(flippedRows(policies, caller, OWN_DATA_MATRIX)).resolves.toEqual([]);
  });

  test.each(Object.entries(MUTATIONS))('WHEN %s THEN the matrix fails: rows that must flip do', async (_name, { mutate, mustFlip }) => {
    const mutant: Caller = { ...caller, identityPolicies: mutatePolicies(caller.identityPolicies, mutate) };
    const flipped = await flippedRows(policies, mutant, OWN_DATA_MATRIX);
    expect(flipped.length).toBeGreaterThan(0);
    expect(flipped).toEqual(expect.arrayContaining(mustFlip));
  });
});

// ---- trust policies ---------------------------------------------------------

describe('GIVEN the trust policy of the dev authenticated role (runSimulation, validated)', () => {
  const policies = stages.dev;
  const roleId = policies.identityPoolRoleId('authenticated');
  const trust = policies.trustPolicy(roleId);
  const roleArn = policies.roleArn(roleId);

  test.each<[string, Outcome, Record<string, string | string[]>, { principal?: string; action?: string }]>([
    ['an authenticated identity of this pool', 'allow', webIdentityContext(), {}],
    ['an identity of another pool (wrong aud)', 'deny', webIdentityContext({ aud: OTHER_POOL }), {}],
    ['an unauthenticated identity of this pool (amr unauthenticated)', 'deny', webIdentityContext({ amr: ['unauthenticated'] }), {}],
    ['a token without amr', 'deny', webIdentityContext({ amr: null }), {}],
    ['another web identity provider', 'deny', webIdentityContext(), { principal: 'accounts.google.com' }],
    ['an IAM user of the account with sts:AssumeRole', 'deny', {}, { principal: `arn:aws:iam::${ACCOUNT}:user/someone`, action: 'sts:AssumeRole' }],
  ])('WHEN %s asks for credentials THEN the answer is %s', async (_name, expected, context, options) => {
    await expect(decideAssumeRole(roleArn, trust, context, options)).resolves.toBe(expected);
  });

  test('THEN the aud it requires is this identity pool', () => {
    expect(JSON.stringify(trust)).toContain(IDENTITY_POOL_ID);
  });
});

// ---- the admins group role -----------------------------------------------------

describe('GIVEN prod, whose admins group has fileAccess "read-all"', () => {
  const policies = stages.prod;
  const roleId = policies.groupRoleId('admins');

  test('THEN the admins group names a role of its own through RoleArn', () => {
    expect(roleId).toBeDefined();
    expect(roleId).not.toBe(policies.identityPoolRoleId('authenticated'));
  });

  const ADMIN_ROWS: readonly Row[] = [
    { name: 'an admin (identity A) gets B/x.csv', request: object('s3:GetObject', `${B}/x.csv`), expect: 'allow' },
    { name: 'an admin lists prefix B/', request: list(`${B}/`), expect: 'allow' },
    { name: 'an admin lists an empty prefix', request: list(''), expect: 'allow' },
    { name: 'an admin lists with no prefix', request: list(), expect: 'allow' },
    { name: 'an admin still reads their own A/x.csv', request: object('s3:GetObject', `${A}/x.csv`), expect: 'allow' },
    { name: 'an admin deletes B/x.csv', request: object('s3:DeleteObject', `${B}/x.csv`), expect: 'deny' },
    { name: 'an admin overwrites B/x.csv', request: object('s3:PutObject', `${B}/x.csv`), expect: 'deny' },
    { name: 'an admin puts an item keyed [B]', request: items('dynamodb:PutItem', [B]), expect: 'deny' },
    { name: 'an admin puts the bucket policy', request: bucket('s3:PutBucketPolicy'), expect: 'deny' },
  ];

  test.each(ADMIN_ROWS.map((row) => [row.name, row] as const))('WHEN %s THEN the evaluator decides as expected', async (_name, row) => {
    const caller = callerFor(policies, roleId!, A);
    await expect(outcomes(policies, caller, row.request)).resolves.toEqual({ validated: row.expect, unsafe: row.expect });
  });

  test.each<[string, Outcome, Record<string, string | string[]>]>([
    ['an authenticated identity of this pool', 'allow', webIdentityContext()],
    ['an identity of another pool', 'deny', webIdentityContext({ aud: OTHER_POOL })],
    ['an unauthenticated identity', 'deny', webIdentityContext({ amr: ['unauthenticated'] })],
  ])('WHEN %s asks for the admins role THEN the answer is %s', async (_name, expected, context) => {
    await expect(decideAssumeRole(policies.roleArn(roleId!), policies.trustPolicy(roleId!), context)).resolves.toBe(expected);
  });
});

describe('GIVEN dev, which configures no read-all group', () => {
  const policies = stages.dev;

  test('THEN the identity pool can hand out only its authenticated and unauthenticated roles', () => {
    expect(policies.identityPoolAssumableRoleIds().sort()).toEqual(
      [policies.identityPoolRoleId('authenticated'), policies.identityPoolRoleId('unauthenticated')].sort(),
    );
    for (const id of policies.idsOfType('AWS::Cognito::UserPoolGroup')) {
      expect(policies.resource(id).Properties.RoleArn).toBeUndefined();
    }
    const [attachment] = policies.idsOfType('AWS::Cognito::IdentityPoolRoleAttachment');
    expect(policies.resource(attachment).Properties.RoleMappings).toBeUndefined();
  });

  test("THEN no identity pool role is granted an object resource wider than the caller's own prefix", () => {
    const resources = policies
      .identityPoolAssumableRoleIds()
      .flatMap((roleId) => policies.identityPolicies(roleId))
      .flatMap((p) => p.policy.Statement)
      .filter((s: Json) => s.Effect === 'Allow')
      .flatMap((s: Json) => [s.Resource].flat());
    expect(resources.filter((r: string) => r.startsWith(`${BUCKET_ARN}/`))).toEqual([`${BUCKET_ARN}/${SUB_VARIABLE}/*`]);
  });
});

// ---- the bucket policy -------------------------------------------------------------

describe("GIVEN A's own object and the synthesized bucket policy (same account)", () => {
  const policies = stages.prod;
  const caller = callerFor(policies, policies.identityPoolRoleId('authenticated'), A);
  const own = object('s3:GetObject', `${A}/report.csv`);

  test('WHEN A asks over TLS THEN it is allowed (the control)', async () => {
    await expect(decide(caller, own, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'Allowed' });
  });

  test('WHEN A asks over plain HTTP (aws:SecureTransport false) THEN the bucket policy denies it explicitly', async () => {
    const http = { ...own, context: { 'aws:SecureTransport': 'false' } };
    await expect(decide(caller, http, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'ExplicitlyDenied' });
    // Without the bucket policy the identity policy alone would allow it: the deny is the bucket policy's.
    await expect(decide(caller, http)).resolves.toMatchObject({ validated: 'Allowed' });
  });

  test('WHEN A lists their own prefix over plain HTTP THEN it is denied', async () => {
    const http = { ...list(`${A}/`), context: { 's3:prefix': `${A}/`, 'aws:SecureTransport': 'false' } };
    await expect(decide(caller, http, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'ExplicitlyDenied' });
  });

  test('WHEN A asks over TLS 1.0 THEN the bucket policy denies it', async () => {
    const tls10 = { ...own, context: { 's3:TlsVersion': '1.0' } };
    await expect(decide(caller, tls10, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'ExplicitlyDenied' });
  });

  test('WHEN A puts their own object with a customer-provided key (SSE-C) THEN the bucket policy denies it', async () => {
    const put = object('s3:PutObject', `${A}/report.csv`);
    const sseC = { ...put, context: { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' } };
    await expect(decide(caller, sseC, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'ExplicitlyDenied' });
    // The same put without SSE-C is allowed: the deny is about the key, not the write.
    await expect(decide(caller, put, policies.bucketPolicy())).resolves.toMatchObject({ validated: 'Allowed' });
  });
});

// ---- guests ---------------------------------------------------------------------------

describe('GIVEN identityPool.allowGuests true', () => {
  const policies = guests;
  const roleId = policies.identityPoolRoleId('unauthenticated');

  test('THEN the identity pool admits unauthenticated identities', () => {
    const [poolId] = policies.idsOfType('AWS::Cognito::IdentityPool');
    expect(policies.resource(poolId).Properties.AllowUnauthenticatedIdentities).toBe(true);
  });

  const GUEST_ROWS: readonly AccessRequest[] = [
    object('s3:GetObject', `${GUEST}/report.csv`),
    object('s3:PutObject', `${GUEST}/report.csv`),
    object('s3:DeleteObject', `${GUEST}/report.csv`),
    list(`${GUEST}/`),
    list(),
    items('dynamodb:PutItem', [GUEST]),
    items('dynamodb:GetItem', [GUEST]),
    items('dynamodb:Query', [GUEST]),
    items('dynamodb:Scan'),
  ];

  test.each(GUEST_ROWS.map((request) => [request.action, request.resource, request] as const))(
    'WHEN a guest asks for %s on %s THEN it is denied',
    async (_action, _resource, request) => {
      const caller = callerFor(policies, roleId, GUEST);
      const context = { ...request.context, 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] };
      await expect(outcomes(policies, caller, { ...request, context })).resolves.toEqual({ validated: 'deny', unsafe: 'deny' });
    },
  );

  test('THEN the guest role trusts only unauthenticated identities of this pool', async () => {
    const trust = policies.trustPolicy(roleId);
    const arn = policies.roleArn(roleId);
    await expect(decideAssumeRole(arn, trust, webIdentityContext({ amr: ['unauthenticated'] }))).resolves.toBe('allow');
    await expect(decideAssumeRole(arn, trust, webIdentityContext({ amr: ['unauthenticated'], aud: OTHER_POOL }))).resolves.toBe('deny');
  });

  test('THEN the authenticated role still reaches the own-data matrix (guests changed nothing for it)', async () => {
    const caller = callerFor(policies, policies.identityPoolRoleId('authenticated'), A);
    await expect(flippedRows(policies, caller, OWN_DATA_MATRIX)).resolves.toEqual([]);
  });
});
