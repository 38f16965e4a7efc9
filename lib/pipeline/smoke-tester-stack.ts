import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export interface SmokeTesterStackProps extends StackProps {
  /** The stage whose deployed stack the smoke test exercises, e.g. `dev`. */
  readonly stage: string;
  /** Name of the role to create in the stage account. */
  readonly roleName: string;
  /** The one role in the pipeline account that may assume it. */
  readonly trustedRoleArn: string;
  /** The pipeline account (the trusted role's account). */
  readonly pipelineAccount: string;
  /** The stage's stack; CloudFormation names its buckets `<stack name, lowercased>-…`. */
  readonly stageStackName: string;
}

/**
 * The role the pipeline's smoke test assumes in a stage account: what
 * scripts/smoke needs (create, set the password of and delete its throwaway
 * user, delete its identity, remove the versions of the objects it wrote) and
 * nothing else. No CDK bootstrap role can do this, so the stage gets its own
 * role, trusted by exactly one named role of the pipeline account.
 */
export class SmokeTesterStack extends Stack {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeTesterStackProps) {
    super(scope, id, props);
    this.role = new iam.Role(this, 'SmokeTester', {
      roleName: props.roleName,
      description: `Smoke test of stage ${props.stage}, assumed by the delivery pipeline`,
      // The account principal plus aws:PrincipalArn: one role, and the trust survives that role being re-created.
      assumedBy: new iam.AccountPrincipal(props.pipelineAccount).withConditions({ ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArn } }),
    });
    const userPools = this.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminDeleteUser'],
        resources: [userPools],
        // Only the pools this stage's stack created (it tags every resource with app and stage).
        conditions: { StringEquals: { 'aws:ResourceTag/app': 'cognito-access', 'aws:ResourceTag/stage': props.stage } },
      }),
    );
    // DeleteIdentities has no resource type: IAM accepts only "*".
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['cognito-identity:DeleteIdentities'], resources: ['*'] }));
    const prefix = props.stageStackName.toLowerCase();
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions', 's3:DeleteObjectVersion'],
        resources: [`arn:aws:s3:::${prefix}-*`],
        conditions: { StringEquals: { 'aws:ResourceAccount': this.account } },
      }),
    );
    const policy = this.role.node.tryFindChild('DefaultPolicy') ?? this.role;
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${userPools}]`,
        reason: `The smoke test of stage ${props.stage} creates and deletes a throwaway user in the stage's user pool, whose ID exists only after the deploy; the aws:ResourceTag conditions (app, stage) narrow it to that pool.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'cognito-identity:DeleteIdentities has no resource type, so IAM accepts only "*"; it removes the identity the smoke test itself created.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:aws:s3:::${prefix}-*]`,
        reason: `CloudFormation names the stage's buckets "${prefix}-<id>-<suffix>"; the smoke test removes the versions of the objects it wrote, in this account only.`,
      },
    );
  }
}
