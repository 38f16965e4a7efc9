/**
 * FederatedIdentities and IdentityScopedStorage on their own, in a bare stack
 * with explicit props: auth owns the identity pool and its roles, storage only
 * grants, and neither edits the other's resources.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { FederatedIdentities } from '../../lib/federated-identities/federated-identities';
import { IdentityScopedStorage } from '../../lib/identity-storage/identity-scoped-storage';
import { IDENTITY_ID_VARIABLE } from '../../lib/identity-storage/identity-scoped-policy';
import { contextApp } from '../support/synth';

function build(groupNames: string[] = []) {
  const stack = new Stack(contextApp(), 'Bare');
  const userPool = new cognito.UserPool(stack, 'Pool');
  const userPoolClient = userPool.addClient('Client');
  const identities = new FederatedIdentities(stack, 'Identities', { userPool, userPoolClient, groupNames });
  const storage = new IdentityScopedStorage(stack, 'Storage', {});
  return { stack, identities, storage };
}

describe('FederatedIdentities', () => {
  test('GIVEN no options WHEN built THEN the pool is retained, without guests or the classic flow', () => {
    const { stack } = build();
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Cognito::IdentityPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ AllowUnauthenticatedIdentities: false, AllowClassicFlow: false }),
    });
  });

  test('GIVEN pinned logical IDs WHEN built THEN the pool and its role attachment keep them (a new ID would replace the pool)', () => {
    const stack = new Stack(contextApp(), 'Bare');
    const userPool = new cognito.UserPool(stack, 'Pool');
    new FederatedIdentities(stack, 'Identities', {
      userPool,
      userPoolClient: userPool.addClient('Client'),
      pinnedLogicalIds: { identityPool: 'FirstLayoutPool', roleAttachment: 'FirstLayoutAttachment' },
    });
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Cognito::IdentityPool'))).toEqual(['FirstLayoutPool']);
    expect(Object.keys(template.findResources('AWS::Cognito::IdentityPoolRoleAttachment'))).toEqual(['FirstLayoutAttachment']);
  });

  test('GIVEN no grant WHEN built THEN its roles carry no policy at all (data owners grant access)', () => {
    const { stack } = build(['auditors']);
    const template = Template.fromStack(stack);
    // Only CDK's bucket-notifications helper has a policy; no identity role does.
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies.flatMap((p) => p.Properties.Roles).filter((r: { Ref: string }) => r.Ref.startsWith('Identities'))).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Identity pool role for members of the auditors user pool group',
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: { 'cognito-identity.amazonaws.com:aud': Match.anyValue() },
              'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
            },
          }),
        ],
      }),
    });
  });

  test('GIVEN group roles WHEN built THEN roles come from the token and ambiguity falls back to the authenticated role', () => {
    const { stack } = build(['auditors']);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: Match.objectLike({ userpool: Match.objectLike({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' }) }),
    });
  });

  test('GIVEN DESTROY WHEN built THEN the pool is deleted with the stack', () => {
    const stack = new Stack(contextApp(), 'Bare');
    const userPool = new cognito.UserPool(stack, 'Pool');
    new FederatedIdentities(stack, 'Identities', { userPool, userPoolClient: userPool.addClient('Client'), removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Cognito::IdentityPool', { DeletionPolicy: 'Delete' });
  });
});

describe('IdentityScopedStorage grants', () => {
  test('GIVEN grantOwnData on two roles WHEN built THEN one identity-scoped policy is attached to both', () => {
    const { stack, identities, storage } = build(['auditors']);
    storage.grantOwnData(identities.authenticatedRole);
    storage.grantOwnData(identities.groupRoles.auditors);
    const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyName.startsWith('StorageIdentityScoped'),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Roles).toHaveLength(2);
    expect(JSON.stringify(policies[0].Properties.PolicyDocument)).toContain(`/${IDENTITY_ID_VARIABLE}/*`);
  });

  test('GIVEN grantReadAll WHEN built THEN the role reads (never writes) every prefix of the bucket', () => {
    const { stack, identities, storage } = build(['auditors']);
    storage.grantReadAll(identities.groupRoles.auditors);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyName.startsWith('StorageReadAll'),
    );
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  test('GIVEN a KMS-encrypted bucket WHEN a role is granted its own data THEN it may use the key only through S3', () => {
    const stack = new Stack(contextApp(), 'Bare');
    const userPool = new cognito.UserPool(stack, 'Pool');
    const identities = new FederatedIdentities(stack, 'Identities', { userPool, userPoolClient: userPool.addClient('Client') });
    const storage = new IdentityScopedStorage(stack, 'Storage', { kmsEncryption: true });
    storage.grantOwnData(identities.authenticatedRole);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
        ],
      },
    });
  });
});
