/**
 * Acknowledgements that follow from a stage's config come from one place
 * (lib/composition/stage-acknowledgements.ts) and only from a throwaway stage or the stage
 * file itself: a retained stage that relaxes a control without saying why in
 * its file fails synth.
 */
import type { StageConfigInput } from '../../lib/config/stage-config';
import { synthStage, unacknowledgedRuleIds } from '../support/synth';

const URLS = { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] };
const WAF_ACL = 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/api/00000000-0000-0000-0000-000000000000';

/** A retained stage that meets every control on its own (Plus, required MFA, a web ACL). */
const STRICT: StageConfigInput = {
  removal: 'retain',
  userPool: { featurePlan: 'plus', mfa: { mode: 'required', totp: true } },
  webClient: URLS,
  api: { webAclArn: WAF_ACL },
};

/** Rule IDs left unacknowledged: synth fails on them and names each in its report. */
function findingsOf(config: StageConfigInput): string[] {
  return unacknowledgedRuleIds(() => synthStage({ stage: 'ack', config }).assembly);
}

/** Every acknowledgement recorded anywhere in the stack: rule ID → reasons. */
function acknowledgementsOf(config: StageConfigInput): Map<string, string[]> {
  const { stack } = synthStage({ stage: 'ack', config, rulePacks: false });
  const found = new Map<string, string[]>();
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules') continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const key = id.replace(/^[A-Za-z]+::/, '');
        found.set(key, [...(found.get(key) ?? []), reason]);
      }
    }
  }
  return found;
}

describe('stage acknowledgements', () => {
  test('GIVEN a retained stage that meets every control WHEN synthesized THEN nothing is left and no stage-level relaxation is recorded', () => {
    expect(findingsOf(STRICT)).toEqual([]);
    const acks = acknowledgementsOf(STRICT);
    for (const id of ['AwsSolutions-COG2', 'AwsSolutions-COG8', 'AwsSolutions-APIG3', 'AwsSolutions-APIG6']) expect(acks.has(id)).toBe(false);
  });

  test('GIVEN a retained stage with MFA off and no acknowledgement in its file WHEN synthesized THEN COG2 fails synth', () => {
    const config = { ...STRICT, userPool: { featurePlan: 'plus' as const, mfa: { mode: 'off' as const } } };
    expect(findingsOf(config)).toEqual(['AwsSolutions-COG2']);
  });

  test('GIVEN the same stage with COG2 acknowledged in its file WHEN synthesized THEN it passes and the reason names the stage', () => {
    const reason = 'This retained stage serves a kiosk app whose users sign in with short-lived passwords only.';
    const config: StageConfigInput = {
      ...STRICT,
      userPool: { featurePlan: 'plus', mfa: { mode: 'off' } },
      acknowledgements: [{ id: 'AwsSolutions-COG2', reason, path: 'UserDirectory' }],
    };
    expect(findingsOf(config)).toEqual([]);
    expect(acknowledgementsOf(config).get('AwsSolutions-COG2')).toEqual([`Stage "ack": ${reason}`]);
  });

  test('GIVEN a retained stage without a web ACL, Essentials and logs off WHEN synthesized THEN each relaxation fails synth', () => {
    const config: StageConfigInput = {
      removal: 'retain',
      webClient: URLS,
      userPool: { mfa: { mode: 'required' } },
      api: { executionLogLevel: 'off', tracing: false },
    };
    expect(findingsOf(config)).toEqual(
      ['AwsSolutions-APIG3', 'AwsSolutions-APIG6', 'AwsSolutions-COG8', 'Serverless-APIGWXrayEnabled', 'Serverless-LambdaTracing'].sort(),
    );
  });

  test('GIVEN a throwaway stage with the same relaxations WHEN synthesized THEN each is acknowledged with a reason naming the stage and its setting', () => {
    const config: StageConfigInput = { removal: 'destroy', webClient: URLS, userPool: { mfa: { mode: 'off' } }, api: { executionLogLevel: 'off' } };
    expect(findingsOf(config)).toEqual([]);
    const acks = acknowledgementsOf(config);
    expect(acks.get('AwsSolutions-COG2')).toEqual([expect.stringMatching(/^Stage "ack" is a throwaway stage .*userPool\.mfa\.mode "off"/)]);
    expect(acks.get('AwsSolutions-APIG6')).toEqual([expect.stringContaining('api.executionLogLevel "off"')]);
    // Tracing is on here, so its relaxation must not be recorded: a reason would be false.
    expect(acks.has('Serverless-LambdaTracing')).toBe(false);
  });

  test('GIVEN an acknowledgement whose path names no construct WHEN synthesized THEN it fails naming the field', () => {
    const config: StageConfigInput = {
      ...STRICT,
      acknowledgements: [{ id: 'AwsSolutions-COG2', reason: 'a reason that is long enough to read', path: 'NoSuchThing' }],
    };
    expect(() => synthStage({ stage: 'ack', config, rulePacks: false })).toThrow(/acknowledgements\[0\]\.path "NoSuchThing" names no construct/);
  });

  test('GIVEN constructs WHEN their own acknowledgements are read THEN no reason mentions a stage-file key (constructs know no config)', () => {
    const { stack } = synthStage({ stage: 'ack', config: STRICT, rulePacks: false });
    const constructReasons = stack.node
      .findAll()
      .filter((construct) => construct !== stack)
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((entry) => Object.values(entry.data as Record<string, string>));
    expect(constructReasons.length).toBeGreaterThan(0);
    for (const reason of constructReasons) {
      expect(reason).not.toMatch(/\b(userPool|webClient|identityPool|storage|api|domain|identityProviders)\.[a-zA-Z]+/);
      expect(reason).not.toMatch(/\bby config\b|\bstage\b/i);
    }
  });
});
