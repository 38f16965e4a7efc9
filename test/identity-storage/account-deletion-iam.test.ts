/**
 * Account deletion (DELETE /me, docs/design.md "Account deletion") judged by the
 * independent IAM evaluator on the synthesized dev policies: the handler's role
 * may permanently delete versions under identity prefixes of the user-files
 * bucket only, delete whole partitions keys-only, put the account-deleted marker
 * (its attributes only), the identity and the user, and nothing more; an identity-pool role still can do none of it.
 */
import { synthStage } from '../support/synth';
import { IDENTITY_A, IDENTITY_B, decide, type AccessRequest, type Caller } from './iam-evaluator';
import {
  ACCOUNT,
  BUCKET_ARN,
  IDENTITY_MAP_ARN,
  IDENTITY_POOL_ID,
  REGION,
  RESULTS_ARN,
  TABLE_ARN,
  TemplatePolicies,
  USER_POOL_ID,
  logicalIdOf,
  type Json,
  type NamedPolicy,
} from './template-policies';

const A = IDENTITY_A;
const B = IDENTITY_B;
const { template, stack } = synthStage({ stage: 'dev', rulePacks: false });
const policies = new TemplatePolicies(template, stack);
const IDENTITY_POOL_ARN = `arn:aws:cognito-identity:${REGION}:${ACCOUNT}:identitypool/${IDENTITY_POOL_ID}`;
const USER_POOL_ARN = `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${USER_POOL_ID}`;
const ACCESS_LOG_BUCKET_ARN = stack.storage.accessLogBucket
  ? (policies.resolve({ 'Fn::GetAtt': [logicalIdOf(stack, stack.storage.accessLogBucket), 'Arn'] }) as string)
  : undefined;

/** The role's policies minus its log group and tracing statements (resources the resolver has no values for, and not what is judged here). */
function dataPoliciesOf(roleId: string): NamedPolicy[] {
  return policies
    .idsOfType('AWS::IAM::Policy')
    .filter((id) => (policies.resource(id).Properties.Roles ?? []).some((role: Json) => role?.Ref === roleId))
    .map((id) => {
      const statements = policies
        .resource(id)
        .Properties.PolicyDocument.Statement.filter((st: Json) => [st.Action].flat().every((a: string) => !/^(logs|xray):/.test(a)));
      return { name: id, policy: { Version: '2012-10-17', Statement: policies.resolve(statements) } };
    });
}

const deleteMeRoleId = logicalIdOf(stack, stack.api.handlers.DeleteMe.role);
// The handler serves every caller; its session has no identity of its own (the evaluator's identity key is unused by its policies).
const handlerRole: Caller = { roleArn: policies.roleArn(deleteMeRoleId), identityId: A, identityPolicies: dataPoliciesOf(deleteMeRoleId) };
const authenticatedRoleId = policies.identityPoolRoleId('authenticated');
const identityA: Caller = { roleArn: policies.roleArn(authenticatedRoleId), identityId: A, identityPolicies: policies.identityPolicies(authenticatedRoleId) };

const s3 = (action: string, resource: string, context: Record<string, string> = {}): AccessRequest => ({ action, resource, context });
const version = (action: string, key: string, bucketArn = BUCKET_ARN) => s3(action, `${bucketArn}/${key}`, { 's3:versionid': 'v1' });
const listVersions = (prefix?: string, bucketArn = BUCKET_ARN) => s3('s3:ListBucketVersions', bucketArn, prefix === undefined ? {} : { 's3:prefix': prefix });
const table = (action: string, resource: string, context: Record<string, string | string[]> = {}): AccessRequest => ({ action, resource, context });
/** A PutItem naming these attributes (the item's), as DynamoDB reports them to IAM. */
const putItem = (resource: string, attributes: string[] | undefined, leading: string, returnValues?: string) =>
  table('dynamodb:PutItem', resource, {
    ...(attributes ? { 'dynamodb:Attributes': attributes } : {}),
    'dynamodb:LeadingKeys': [leading],
    ...(returnValues ? { 'dynamodb:ReturnValues': returnValues } : {}),
  });
const MARKER_ATTRIBUTES = ['identityId', 'sk', 'deletedAt'];
const keysOnly = (resource: string, keys: string[], leading: string) =>
  table('dynamodb:Query', resource, { 'dynamodb:Attributes': keys, 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:LeadingKeys': [leading] });

async function outcome(caller: Caller, request: AccessRequest): Promise<'allow' | 'deny'> {
  return (await decide(caller, request, request.action.startsWith('s3:') && request.resource.startsWith(BUCKET_ARN) ? policies.bucketPolicy() : undefined))
    .outcome;
}

type Row = [string, AccessRequest, 'allow' | 'deny'];

describe('GIVEN the dev stage AND the DeleteMe handler role', () => {
  test.each<Row>([
    ['deletes a version under identity A', version('s3:DeleteObjectVersion', `${A}/report.csv`), 'allow'],
    ['deletes a version under identity B (it serves every caller)', version('s3:DeleteObjectVersion', `${B}/x.csv`), 'allow'],
    ['deletes a version below a file name under A (a rejected nested upload)', version('s3:DeleteObjectVersion', `${A}/sub/deep.csv`), 'allow'],
    ['lists the versions under A/', listVersions(`${A}/`), 'allow'],
    ['deletes a version outside every identity prefix', version('s3:DeleteObjectVersion', 'not-permissions/x.csv'), 'deny'],
    ['deletes a version at the bucket root', version('s3:DeleteObjectVersion', 'report.csv'), 'deny'],
    ['deletes a version under a prefix that is no identity ID', version('s3:DeleteObjectVersion', 'eu-west-1:short/x.csv'), 'deny'],
    ['deletes a version in another bucket', version('s3:DeleteObjectVersion', `${A}/x.csv`, 'arn:aws:s3:::some-other-bucket'), 'deny'],
    ['lists every version (no prefix)', listVersions(), 'deny'],
    ['lists the versions of the whole bucket (empty prefix)', listVersions(''), 'deny'],
    ['lists the versions outside identity prefixes', listVersions('not-permissions/'), 'deny'],
    ['lists objects (ListBucket) under A/', s3('s3:ListBucket', BUCKET_ARN, { 's3:prefix': `${A}/` }), 'deny'],
    ['deletes A/report.csv by key (DeleteObject)', s3('s3:DeleteObject', `${BUCKET_ARN}/${A}/report.csv`), 'deny'],
    ['puts A/report.csv', s3('s3:PutObject', `${BUCKET_ARN}/${A}/report.csv`), 'deny'],
    ['gets A/report.csv', s3('s3:GetObject', `${BUCKET_ARN}/${A}/report.csv`), 'deny'],
    ['gets a version of A/report.csv', version('s3:GetObjectVersion', `${A}/report.csv`), 'deny'],
  ])('WHEN it %s THEN the evaluator answers %s', async (_name, request, expected) => {
    await expect(outcome(handlerRole, request)).resolves.toBe(expected);
  });

  if (ACCESS_LOG_BUCKET_ARN) {
    test('WHEN it deletes a version in the access-log bucket THEN deny', async () => {
      await expect(outcome(handlerRole, version('s3:DeleteObjectVersion', `${A}/x.csv`, ACCESS_LOG_BUCKET_ARN))).resolves.toBe('deny');
    });
  }

  test.each<Row>([
    ["queries the keys of A's items", keysOnly(TABLE_ARN, ['identityId', 'itemId'], A), 'allow'],
    ["queries the keys of A's results", keysOnly(RESULTS_ARN, ['identityId', 'sk'], A), 'allow'],
    ["deletes one of B's items", table('dynamodb:DeleteItem', TABLE_ARN, { 'dynamodb:LeadingKeys': [B] }), 'allow'],
    ['deletes a result', table('dynamodb:DeleteItem', RESULTS_ARN, { 'dynamodb:LeadingKeys': [A] }), 'allow'],
    ['deletes an identity map row', table('dynamodb:DeleteItem', IDENTITY_MAP_ARN, { 'dynamodb:LeadingKeys': ['some-sub'] }), 'allow'],
    ["queries every attribute of A's items (no projection)", table('dynamodb:Query', TABLE_ARN, { 'dynamodb:LeadingKeys': [A] }), 'deny'],
    [
      "queries A's item payloads",
      table('dynamodb:Query', TABLE_ARN, { 'dynamodb:Attributes': ['identityId', 'itemId', 'payload'], 'dynamodb:LeadingKeys': [A] }),
      'deny',
    ],
    [
      'queries with Select ALL_ATTRIBUTES',
      table('dynamodb:Query', TABLE_ARN, { 'dynamodb:Attributes': ['identityId'], 'dynamodb:Select': 'ALL_ATTRIBUTES', 'dynamodb:LeadingKeys': [A] }),
      'deny',
    ],
    [
      'deletes an item and reads it back (ReturnValues ALL_OLD)',
      table('dynamodb:DeleteItem', TABLE_ARN, { 'dynamodb:ReturnValues': 'ALL_OLD', 'dynamodb:LeadingKeys': [A] }),
      'deny',
    ],
    ['puts an item', table('dynamodb:PutItem', TABLE_ARN, { 'dynamodb:LeadingKeys': [A] }), 'deny'],
    // The account-deleted marker (docs/design.md, "Account deletion"): that shape only.
    ["puts the account-deleted marker in A's results partition", putItem(RESULTS_ARN, MARKER_ATTRIBUTES, A, 'NONE'), 'allow'],
    ['puts the marker without ReturnValues (the default, NONE)', putItem(RESULTS_ARN, MARKER_ATTRIBUTES, A), 'allow'],
    ['puts the marker and reads back the item it replaced (ReturnValues ALL_OLD)', putItem(RESULTS_ARN, MARKER_ATTRIBUTES, A, 'ALL_OLD'), 'deny'],
    ['puts a result naming a file (name, status)', putItem(RESULTS_ARN, ['identityId', 'sk', 'name', 'status', 'checkedAt'], A, 'NONE'), 'deny'],
    ['puts a version record (name, versionId, state)', putItem(RESULTS_ARN, ['identityId', 'sk', 'name', 'versionId', 'state'], A, 'NONE'), 'deny'],
    ['puts a usage item (bytes)', putItem(RESULTS_ARN, ['identityId', 'sk', 'bytes'], A, 'NONE'), 'deny'],
    ['puts a marker with one more attribute', putItem(RESULTS_ARN, [...MARKER_ATTRIBUTES, 'note'], A, 'NONE'), 'deny'],
    ['puts into the results table without naming attributes', putItem(RESULTS_ARN, undefined, A, 'NONE'), 'deny'],
    ['puts the marker into the items table', putItem(TABLE_ARN, MARKER_ATTRIBUTES, A, 'NONE'), 'deny'],
    [
      'batch-writes the marker into the results table',
      table('dynamodb:BatchWriteItem', RESULTS_ARN, { 'dynamodb:Attributes': MARKER_ATTRIBUTES, 'dynamodb:LeadingKeys': [A] }),
      'deny',
    ],
    ['batch-writes items (which could put)', table('dynamodb:BatchWriteItem', TABLE_ARN, { 'dynamodb:LeadingKeys': [A] }), 'deny'],
    ['scans the items table', table('dynamodb:Scan', TABLE_ARN), 'deny'],
    ['updates a result', table('dynamodb:UpdateItem', RESULTS_ARN, { 'dynamodb:LeadingKeys': [A] }), 'deny'],
    [
      'queries the results index',
      table('dynamodb:Query', `${RESULTS_ARN}/index/ByCheckedAt`, { 'dynamodb:Attributes': ['identityId', 'sk'], 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' }),
      'deny',
    ],
    // DeleteIdentities has no resource type: IAM evaluates it against "*" only.
    ['deletes identities', table('cognito-identity:DeleteIdentities', '*'), 'allow'],
    ["reads an identity pool's settings", table('cognito-identity:DescribeIdentityPool', IDENTITY_POOL_ARN), 'deny'],
    ['lists identities', table('cognito-identity:ListIdentities', IDENTITY_POOL_ARN), 'deny'],
    ['deletes a user of this pool', table('cognito-idp:AdminDeleteUser', USER_POOL_ARN), 'allow'],
    ['deletes a user of another pool', table('cognito-idp:AdminDeleteUser', `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_Other`), 'deny'],
    ['disables a user', table('cognito-idp:AdminDisableUser', USER_POOL_ARN), 'deny'],
    ['reads a user', table('cognito-idp:AdminGetUser', USER_POOL_ARN), 'deny'],
  ])('WHEN it %s THEN the evaluator answers %s', async (_name, request, expected) => {
    await expect(outcome(handlerRole, request)).resolves.toBe(expected);
  });
});

describe('GIVEN the dev stage AND the authenticated role (identity A)', () => {
  test.each<Row>([
    ['deletes identities', table('cognito-identity:DeleteIdentities', '*'), 'deny'],
    ['deletes a user of the pool', table('cognito-idp:AdminDeleteUser', USER_POOL_ARN), 'deny'],
    ['deletes a version of its own file', version('s3:DeleteObjectVersion', `${A}/report.csv`), 'deny'],
    ["deletes a version of B's file", version('s3:DeleteObjectVersion', `${B}/report.csv`), 'deny'],
    ['lists the versions under its own prefix', listVersions(`${A}/`), 'deny'],
    ["deletes one of B's items", table('dynamodb:DeleteItem', TABLE_ARN, { 'dynamodb:LeadingKeys': [B] }), 'deny'],
    ['deletes one of its own results', table('dynamodb:DeleteItem', RESULTS_ARN, { 'dynamodb:LeadingKeys': [A] }), 'deny'],
    ['puts the account-deleted marker in its own results partition', putItem(RESULTS_ARN, MARKER_ATTRIBUTES, A, 'NONE'), 'deny'],
    ['deletes an identity map row', table('dynamodb:DeleteItem', IDENTITY_MAP_ARN, { 'dynamodb:LeadingKeys': ['some-sub'] }), 'deny'],
  ])('WHEN it %s THEN the evaluator answers %s', async (_name, request, expected) => {
    await expect(outcome(identityA, request)).resolves.toBe(expected);
  });
});
