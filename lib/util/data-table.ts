import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

/**
 * The settings every table of this stack shares: on-demand, point-in-time
 * recovery, encryption at rest, and deletion protection whenever the table is
 * retained (the removal policy alone would not stop a console or API delete).
 */
export function dataTableSettings(removalPolicy: RemovalPolicy) {
  return {
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
  } satisfies Partial<dynamodb.TablePropsV2>;
}
