import { Stack, Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { IConstruct } from 'constructs';

/**
 * CDK's singleton `AwsCustomResource` provider function (one per stack, shared
 * by every AwsCustomResource) follows CDK's design, not this app's: its
 * findings are acknowledged on it, naming what the stack uses it for. Call
 * after creating an AwsCustomResource in `scope`'s stack.
 */
export function acknowledgeAwsCustomResourceProvider(scope: IConstruct, usedFor: string): void {
  const provider = Stack.of(scope).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  if (!provider) return;
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `CDK's AwsCustomResource provider (${usedFor}) runs only during deployments and uses the basic execution policy for its own logs.`,
    },
    { id: 'AwsSolutions-L1', reason: 'CDK pins the runtime of its AwsCustomResource provider; it moves with aws-cdk-lib upgrades, not with this app.' },
    {
      id: 'Serverless-LambdaLatestVersion',
      reason: 'CDK pins the runtime of its AwsCustomResource provider; it moves with aws-cdk-lib upgrades, not with this app.',
    },
    {
      id: 'Serverless-LambdaDLQ',
      reason:
        "CloudFormation invokes CDK's AwsCustomResource provider as a custom resource and waits for its answer; a failure fails the deployment, there is no event to dead-letter.",
    },
    {
      id: 'Serverless-LambdaTracing',
      reason: "CDK's AwsCustomResource provider runs only during deployments; CloudFormation events and its own log record each call.",
    },
  );
}
