/**
 * The local run's authorizer on the dev stage's synthesized policies (the same
 * evaluator core as test/identity-storage): DynamoDB leading keys, function
 * roles, the TLS deviation, and the report of condition keys it never supplies.
 */
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { LOCAL_REGION, synthLocalTemplate, tempDir } from './support/synth-local-template';
import { templateFragment } from './support/template-fragment';

const A = `${LOCAL_REGION}:aaaaaaaa-0000-4000-8000-000000000001`;
const B = `${LOCAL_REGION}:bbbbbbbb-0000-4000-8000-000000000002`;
const template = synthLocalTemplate('dev');
const state = tempDir('local-authz-');
// Names the buckets first, as the local run does before anything resolves them.
const s3 = new LocalS3({
  template,
  credentials: {
    issue: () => {
      throw new Error('unused');
    },
    lookup: () => undefined,
  },
  authorizer: { authorize: async () => ({ allowed: false, result: 'ImplicitlyDenied' }) },
  stateDir: state.dir,
});
const authorizer = new TemplateAuthorizer(template);
afterAll(() => state.remove());

const id = (type: string, prefix: string) => template.resourcesOfType(type).find((r) => r.startsWith(prefix))!;
const arnOf = (logicalId: string) => template.resolve<string>({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const authenticated = id('AWS::IAM::Role', 'FederatedIdentitiesIdentityPoolAuthenticatedRole');
const identity = (identityId: string) => ({ roleLogicalId: authenticated, roleArn: arnOf(authenticated), identityId });
const itemsTable = arnOf(id('AWS::DynamoDB::GlobalTable', 'IdentityStorageTable'));
const resultsTable = arnOf(id('AWS::DynamoDB::GlobalTable', 'UploadChecksResultsTable'));
const bucket = s3.bucketName(id('AWS::S3::Bucket', 'IdentityStorageBucket'));

describe('GIVEN identity A with the authenticated role', () => {
  test.each([
    ['PutItem keyed [A]', true, 'dynamodb:PutItem', itemsTable, { 'dynamodb:LeadingKeys': [A] }],
    ['Query partition [A]', true, 'dynamodb:Query', itemsTable, { 'dynamodb:LeadingKeys': [A] }],
    ['PutItem keyed [B]', false, 'dynamodb:PutItem', itemsTable, { 'dynamodb:LeadingKeys': [B] }],
    ['BatchWriteItem keyed [A, B]', false, 'dynamodb:BatchWriteItem', itemsTable, { 'dynamodb:LeadingKeys': [A, B] }],
    ['PutItem with no leading key', false, 'dynamodb:PutItem', itemsTable, {}],
    ['Scan', false, 'dynamodb:Scan', itemsTable, {}],
    ['GetItem on the results table', false, 'dynamodb:GetItem', resultsTable, { 'dynamodb:LeadingKeys': [A] }],
  ])('WHEN A asks for %s THEN allowed is %s', async (_name, expected, action, resource, context) => {
    const decision = await authorizer.authorize({ principal: identity(A), action, resource, context });
    expect(decision.allowed).toBe(expected);
  });

  test("WHEN A reads its own object over the (plain HTTP) local run THEN the bucket's deny-non-TLS statement does not apply: requests count as TLS", async () => {
    const decision = await authorizer.authorize({ principal: identity(A), action: 's3:GetObject', resource: `arn:aws:s3:::${bucket}/${A}/x.csv` });
    expect(decision).toEqual({ allowed: true, result: 'Allowed' });
  });
});

describe("GIVEN the upload checker's role (a function role, no identity)", () => {
  const checker = id('AWS::IAM::Role', 'UploadChecksCheckerRole');
  const principal = { roleLogicalId: checker, roleArn: arnOf(checker) };

  test("WHEN it reads any identity's object version or writes results THEN allowed; WHEN it writes an object THEN denied", async () => {
    const allowed = async (action: string, resource: string) => (await authorizer.authorize({ principal, action, resource })).allowed;
    expect(await allowed('s3:GetObjectVersion', `arn:aws:s3:::${bucket}/${B}/x.csv`)).toBe(true);
    expect(await allowed('dynamodb:PutItem', resultsTable)).toBe(true);
    expect(await allowed('s3:PutObject', `arn:aws:s3:::${bucket}/${B}/x.csv`)).toBe(false);
  });
});

describe('GIVEN every role that gets local credentials and the buckets', () => {
  // Roles with AWS managed policies belong to CDK's deploy-time custom resources, which the local run never invokes.
  test('WHEN the condition keys their policies use are listed THEN none is left that the local run does not supply', () => {
    const roles = [
      authenticated,
      ...template
        .resourcesOfType('AWS::Lambda::Function')
        .map((f) => (template.resources[f].Properties as any).Role['Fn::GetAtt'][0])
        .filter((r: string) => !(template.resources[r].Properties as any).ManagedPolicyArns),
    ];
    expect(authorizer.unsupportedConditionKeys(roles, [...s3.buckets.keys()])).toEqual([]);
  });
});

describe('GIVEN a role whose policy uses condition keys the local run never supplies', () => {
  test('WHEN the keys are listed THEN each is reported once, lower-cased (evaluation then treats them as absent, as IAM does)', () => {
    const fragment = templateFragment({
      Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyName: 'p',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: 's3:GetObject',
                Resource: '*',
                Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, StringEquals: { 's3:prefix': 'x' } },
              },
              {
                Effect: 'Deny',
                Action: 's3:PutObject',
                Resource: 'arn:aws:s3:::b/${aws:username}/*',
                Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
              },
            ],
          },
        },
      },
    });
    expect(new TemplateAuthorizer(fragment).unsupportedConditionKeys(['Role'], [])).toEqual(['aws:multifactorauthpresent', 'aws:sourceip', 'aws:username']);
  });
});
