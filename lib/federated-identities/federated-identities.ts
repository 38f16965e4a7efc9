import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as identitypool from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { constructIdPart } from '../util/construct-id';

export interface FederatedIdentitiesProps {
  readonly userPool: cognito.IUserPool;
  /** The client whose ID tokens the identity pool accepts. */
  readonly userPoolClient: cognito.IUserPoolClient;
  /**
   * Allow unauthenticated (guest) identities. Their role carries no policy.
   * @default false
   */
  readonly allowGuests?: boolean;
  /**
   * User pool groups whose members get a role of their own, chosen through
   * `cognito:preferred_role`. Each role starts with no permissions: data
   * owners grant it access (e.g. `IdentityScopedStorage.grantOwnData`). A group
   * whose role is granted more than its members' own data must not be
   * `UserDirectory`'s `defaultGroup`, or every new user gets that role.
   * @default - every signed-in user gets the authenticated role
   */
  readonly groupNames?: string[];
  /**
   * RETAIN keeps the identity pool: a new pool gives every user a new identity
   * ID, which orphans their files and items.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Logical IDs to keep for the identity pool and its role attachment, when
   * they were first deployed under another construct path. A new logical ID
   * replaces the pool (every user gets a new identity ID, orphaning their
   * files and items), and a new attachment's delete of the old one clears the
   * pool's roles.
   * @default - the IDs CDK derives from this construct's path
   */
  readonly pinnedLogicalIds?: { readonly identityPool: string; readonly roleAttachment: string };
}

/**
 * The identity pool that trades a user pool ID token for temporary AWS
 * credentials, its authenticated and guest roles, and one role per
 * role-bearing group. It grants no data access itself: whoever owns the data
 * grants these roles what they may reach.
 */
export class FederatedIdentities extends Construct {
  public readonly identityPool: identitypool.IdentityPool;
  public readonly authenticatedRole: iam.IRole;
  public readonly unauthenticatedRole: iam.IRole;
  /** Group name → the role its members receive. */
  public readonly groupRoles: Record<string, iam.Role> = {};
  private deleteIdentitiesPolicy?: iam.Policy;

  constructor(scope: Construct, id: string, props: FederatedIdentitiesProps) {
    super(scope, id);
    const groupNames = props.groupNames ?? [];

    this.identityPool = new identitypool.IdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: props.allowGuests ?? false,
      allowClassicFlow: false,
      authenticationProviders: {
        // Passing the client keeps the L2 from creating a second one; the server-side
        // token check rejects tokens of users who were signed out globally or deleted.
        userPools: [new identitypool.UserPoolAuthenticationProvider({ userPool: props.userPool, userPoolClient: props.userPoolClient })],
      },
      roleMappings:
        groupNames.length > 0
          ? [
              {
                mappingKey: 'userpool',
                providerUrl: identitypool.IdentityPoolProviderUrl.userPool(props.userPool, props.userPoolClient),
                useToken: true,
                // A user in no role-bearing group (or an ambiguous mix) gets the authenticated role.
                resolveAmbiguousRoles: true,
              },
            ]
          : undefined,
    });
    this.identityPool.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    if (props.pinnedLogicalIds) {
      (this.identityPool.node.defaultChild as cognito.CfnIdentityPool).overrideLogicalId(props.pinnedLogicalIds.identityPool);
      this.identityPool.roleAttachment.overrideLogicalId(props.pinnedLogicalIds.roleAttachment);
    }
    this.authenticatedRole = this.identityPool.authenticatedRole;
    this.unauthenticatedRole = this.identityPool.unauthenticatedRole;

    for (const groupName of groupNames) {
      this.groupRoles[groupName] = new iam.Role(this, `GroupRole${constructIdPart(groupName)}`, {
        description: `Identity pool role for members of the ${groupName} user pool group`,
        assumedBy: authenticatedIdentityPrincipal(this.identityPool.identityPoolId),
      });
    }
  }

  /**
   * Lets `role` delete identities (DeleteIdentities), for account deletion.
   * DeleteIdentities supports no resource-level permissions or condition keys: IAM
   * accepts only `*` (an identity pool ARN would make every call fail).
   */
  public grantDeleteIdentities(role: iam.IRole): void {
    if (!this.deleteIdentitiesPolicy) {
      this.deleteIdentitiesPolicy = new iam.Policy(this, 'DeleteIdentitiesPolicy', {
        statements: [new iam.PolicyStatement({ actions: ['cognito-identity:DeleteIdentities'], resources: ['*'] })],
      });
      Validations.of(this.deleteIdentitiesPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cognito-identity:DeleteIdentities has no resource-level permissions, so IAM accepts only "*"; the account-deletion handler is the only holder and deletes just the identity resolved from the caller\'s own ID token.',
      });
    }
    this.deleteIdentitiesPolicy.attachToRole(role);
  }
}

/** The identity pool may hand this role only to its own authenticated identities. */
function authenticatedIdentityPrincipal(identityPoolId: string): iam.IPrincipal {
  return new iam.FederatedPrincipal(
    'cognito-identity.amazonaws.com',
    {
      StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
      'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
    },
    'sts:AssumeRoleWithWebIdentity',
  );
}
