/**
 * DELETE /me in the synthesized stage: the route takes an ID token like the
 * others, and its role holds exactly the deletion grants of docs/design.md,
 * "Account deletion" (what it may actually do is proven by the IAM evaluator in
 * test/identity-storage/account-deletion-iam.test.ts).
 */
import { ANY_IDENTITY_PREFIX } from '../../lib/identity-storage/identity-data-deletion-policy';
import { API_ROUTES } from '../../lib/api/routes';
import { synthStage, unacknowledgedFindings } from '../support/synth';

// With the rule packs: an unacknowledged cdk-nag finding on the new role would fail this synth.
const { template, assembly } = synthStage({ stage: 'prod', rulePacks: true });

type Resources = Record<string, { Properties: Record<string, any> }>;
const resources = (type: string) => template.findResources(type) as Resources;
const fnOf = (routeId: string) =>
  Object.entries(resources('AWS::Lambda::Function')).find(([id]) => new RegExp(`^AuthorizedApi${routeId}Function[0-9A-F]{8}$`).test(id))!;
const getAtt = (prefix: RegExp, attr = 'Arn') => ({ 'Fn::GetAtt': [expect.stringMatching(prefix), attr] });

function statementsOf(routeId: string): any[] {
  const roleId = fnOf(routeId)[1].Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('DELETE /me in the prod stage', () => {
  test("GIVEN the route table THEN DELETE /me is one row, resolving the caller's identity, with no S3 actions of its own", () => {
    expect(API_ROUTES.filter((r) => r.deletesAccount)).toEqual([
      expect.objectContaining({ id: 'DeleteMe', method: 'DELETE', path: '/me', s3Actions: [], resolvesIdentity: true }),
    ]);
    expect(API_ROUTES.find((r) => r.id === 'DeleteMe')!.scopes).toBeUndefined();
  });

  test('GIVEN the method THEN it needs the Cognito authorizer, takes an ID token (no scopes) and invokes the DeleteMe handler', () => {
    const meResource = Object.entries(resources('AWS::ApiGateway::Resource')).find(([, r]) => r.Properties.PathPart === 'me')![0];
    const methods = Object.values(resources('AWS::ApiGateway::Method')).filter((m) => m.Properties.ResourceId?.Ref === meResource);
    const remove = methods.find((m) => m.Properties.HttpMethod === 'DELETE')!;
    const get = methods.find((m) => m.Properties.HttpMethod === 'GET')!;
    expect(remove.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(remove.Properties.AuthorizerId).toEqual(get.Properties.AuthorizerId);
    expect(remove.Properties.AuthorizationScopes).toBeUndefined();
    expect(JSON.stringify(remove.Properties.Integration.Uri)).toContain(fnOf('DeleteMe')[0]);
  });

  test('GIVEN the handler THEN only it is told the items table', () => {
    expect(fnOf('DeleteMe')[1].Properties.Environment.Variables.ITEMS_TABLE).toEqual({ Ref: expect.stringMatching(/^IdentityStorageTable/) });
    for (const route of API_ROUTES.filter((r) => !r.deletesAccount)) {
      expect(fnOf(route.id)[1].Properties.Environment.Variables.ITEMS_TABLE).toBeUndefined();
    }
  });

  test('GIVEN the role THEN it holds exactly the deletion grants: versions under identity prefixes, keys-only partitions, the account-deleted marker, the map row, the identity, the user', () => {
    // One entry per action and resource: CDK merges statements that share a condition.
    const grants = statementsOf('DeleteMe')
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) =>
        [s.Action].flat().flatMap((action: string) => [s.Resource].flat().map((resource: unknown) => ({ action, resource, condition: s.Condition }))),
      )
      .filter((g) => !/^(logs|xray):/.test(g.action));
    const bucketArn = getAtt(/^IdentityStorageBucket/);
    const keysOnlyQuery = (attributes: string[]) => ({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': attributes },
      Null: { 'dynamodb:Attributes': 'false' },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
    const noReturnValues = { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } };
    expect(grants).toEqual(
      expect.arrayContaining([
        { action: 's3:ListBucketVersions', resource: bucketArn, condition: { StringLike: { 's3:prefix': [ANY_IDENTITY_PREFIX] } } },
        { action: 's3:DeleteObjectVersion', resource: { 'Fn::Join': ['', [bucketArn, `/${ANY_IDENTITY_PREFIX}*`]] }, condition: undefined },
        { action: 'dynamodb:Query', resource: getAtt(/^IdentityStorageTable/), condition: keysOnlyQuery(['identityId', 'itemId']) },
        { action: 'dynamodb:DeleteItem', resource: getAtt(/^IdentityStorageTable/), condition: noReturnValues },
        { action: 'dynamodb:Query', resource: getAtt(/^UploadChecksResultsTable/), condition: keysOnlyQuery(['identityId', 'sk']) },
        { action: 'dynamodb:DeleteItem', resource: getAtt(/^UploadChecksResultsTable/), condition: noReturnValues },
        // The account-deleted marker, put before the purge: its attributes only, no return values.
        {
          action: 'dynamodb:PutItem',
          resource: getAtt(/^UploadChecksResultsTable/),
          condition: {
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['identityId', 'sk', 'deletedAt'] },
            Null: { 'dynamodb:Attributes': 'false' },
            StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
          },
        },
        { action: 'dynamodb:DeleteItem', resource: getAtt(/^AuthorizedApiIdentityMap/), condition: noReturnValues },
        { action: 'dynamodb:GetItem', resource: getAtt(/^AuthorizedApiIdentityMap/), condition: undefined },
        { action: 'dynamodb:PutItem', resource: getAtt(/^AuthorizedApiIdentityMap/), condition: undefined },
        // DeleteIdentities has no resource-level permissions: IAM accepts only "*".
        { action: 'cognito-identity:DeleteIdentities', resource: '*', condition: undefined },
        { action: 'cognito-idp:AdminDeleteUser', resource: getAtt(/^UserDirectoryUserPool/), condition: undefined },
      ]),
    );
    // Nothing else: no reads or writes of objects, no BatchWriteItem (it could put), no Scan, no KMS.
    expect(grants).toHaveLength(12);
  });

  test('GIVEN the rule packs THEN the new role leaves no finding unacknowledged', () => {
    expect(unacknowledgedFindings(assembly)).toEqual([]);
  });

  test('GIVEN the other handlers THEN none may delete versions, identities or users', () => {
    for (const route of API_ROUTES.filter((r) => !r.deletesAccount)) {
      const actions = statementsOf(route.id).flatMap((s) => [s.Action].flat());
      expect(
        actions.filter((a: string) =>
          ['s3:DeleteObjectVersion', 's3:ListBucketVersions', 'cognito-identity:DeleteIdentities', 'cognito-idp:AdminDeleteUser'].includes(a),
        ),
      ).toEqual([]);
    }
  });
});
