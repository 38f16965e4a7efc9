/**
 * Where and how objects may be written, judged by the independent IAM
 * evaluator on the synthesized policies (identity policies plus the bucket
 * policy): a file is `<identityId>/<name>` with no "/" in the name, and only
 * in the STANDARD storage class. Both the identity pool role (direct writes)
 * and the CreateUploadUrl handler role (which signs the presigned POST) hold to it.
 */
import { synthStage } from '../support/synth';
import { IDENTITY_A, IDENTITY_B, decide, type AccessRequest, type Caller } from './iam-evaluator';
import { BUCKET_ARN, TemplatePolicies, logicalIdOf, type Json, type NamedPolicy } from './template-policies';

const A = IDENTITY_A;
const B = IDENTITY_B;

const put = (key: string, context: Record<string, string> = {}): AccessRequest => ({ action: 's3:PutObject', resource: `${BUCKET_ARN}/${key}`, context });

const stages = Object.fromEntries(
  (['dev', 'prod'] as const).map((stage) => {
    const { template, stack } = synthStage({ stage, rulePacks: false });
    const policies = new TemplatePolicies(template, stack);
    const handlerRoleId = logicalIdOf(stack, stack.api.handlers.CreateUploadUrl.role);
    return [stage, { policies, handlerRoleId }];
  }),
) as Record<'dev' | 'prod', { policies: TemplatePolicies; handlerRoleId: string }>;

/**
 * The S3 statements of a handler role's policies. The rest (its log group, the identity
 * map, the results table) names resources the test resolver has no values for, and
 * cannot allow or deny an S3 request anyway.
 */
function s3PoliciesOf(policies: TemplatePolicies, roleId: string): NamedPolicy[] {
  return policies
    .idsOfType('AWS::IAM::Policy')
    .filter((id) => (policies.resource(id).Properties.Roles ?? []).some((role: Json) => role?.Ref === roleId))
    .map((id) => {
      const statements = policies
        .resource(id)
        .Properties.PolicyDocument.Statement.filter((st: Json) => [st.Action].flat().every((a: string) => a.startsWith('s3:')));
      return { name: id, policy: { Version: '2012-10-17', Statement: policies.resolve(statements) } };
    });
}

function callers(stage: 'dev' | 'prod'): Array<[string, Caller]> {
  const { policies, handlerRoleId } = stages[stage];
  const roleId = policies.identityPoolRoleId('authenticated');
  return [
    ['the authenticated role (identity A)', { roleArn: policies.roleArn(roleId), identityId: A, identityPolicies: policies.identityPolicies(roleId) }],
    // The handler signs presigned POSTs for every user; its session has no identity of its own.
    ['the CreateUploadUrl handler role', { roleArn: policies.roleArn(handlerRoleId), identityId: A, identityPolicies: s3PoliciesOf(policies, handlerRoleId) }],
  ];
}

async function outcome(stage: 'dev' | 'prod', caller: Caller, request: AccessRequest): Promise<'allow' | 'deny'> {
  return (await decide(caller, request, stages[stage].policies.bucketPolicy())).outcome;
}

describe.each(['dev', 'prod'] as const)('GIVEN the %s stage', (stage) => {
  describe.each(callers(stage))('AND %s', (_name, caller) => {
    test.each<[string, 'allow' | 'deny', string]>([
      ['A/report.csv (a direct child of the prefix)', 'allow', `${A}/report.csv`],
      ['A/sub/deep.csv (one level below a file name)', 'deny', `${A}/sub/deep.csv`],
      ['A/a/b/c.csv (two levels below)', 'deny', `${A}/a/b/c.csv`],
      ['A//report.csv (an empty segment)', 'deny', `${A}//report.csv`],
    ])('WHEN it puts %s THEN the evaluator answers %s', async (_key, expected, key) => {
      await expect(outcome(stage, caller, put(key))).resolves.toBe(expected);
    });

    test.each<[string, 'allow' | 'deny']>([
      ['(none: no x-amz-storage-class header, S3 stores STANDARD)', 'allow'],
      ['STANDARD', 'allow'],
      ['DEEP_ARCHIVE', 'deny'],
      ['GLACIER', 'deny'],
      ['GLACIER_IR', 'deny'],
      ['INTELLIGENT_TIERING', 'deny'],
      ['ONEZONE_IA', 'deny'],
      ['REDUCED_REDUNDANCY', 'deny'],
    ])('WHEN it puts A/report.csv with storage class %s THEN the evaluator answers %s', async (storageClass, expected) => {
      const context: Record<string, string> = storageClass.startsWith('(') ? {} : { 's3:x-amz-storage-class': storageClass };
      await expect(outcome(stage, caller, put(`${A}/report.csv`, context))).resolves.toBe(expected);
    });
  });

  test('WHEN identity A puts B/report.csv (another identity) THEN it is denied, nested or not', async () => {
    const [[, identityA]] = callers(stage);
    await expect(outcome(stage, identityA, put(`${B}/report.csv`))).resolves.toBe('deny');
    await expect(outcome(stage, identityA, put(`${B}/sub/deep.csv`))).resolves.toBe('deny');
  });

  test('WHEN identity A reads or deletes A/sub/deep.csv THEN it still may (only writes below a file name are refused)', async () => {
    const [[, identityA]] = callers(stage);
    await expect(outcome(stage, identityA, { action: 's3:GetObject', resource: `${BUCKET_ARN}/${A}/sub/deep.csv` })).resolves.toBe('allow');
    await expect(outcome(stage, identityA, { action: 's3:DeleteObject', resource: `${BUCKET_ARN}/${A}/sub/deep.csv` })).resolves.toBe('allow');
  });
});
