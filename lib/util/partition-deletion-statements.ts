import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What deleting whole partitions of a table takes, and no more: a Query that
 * reads only the key attributes, and DeleteItem that returns nothing. No
 * BatchWriteItem (it would also allow puts), no Scan, no index. Meant for a role
 * that serves every caller, so `dynamodb:LeadingKeys` cannot name one partition;
 * the handler confines each request to the caller's own partition in code.
 */
export function partitionDeletionStatements(tableArn: string, keyAttributes: readonly [string, string]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...keyAttributes] },
        // ForAllValues is vacuously true without a projection (a read of every attribute); require one.
        Null: { 'dynamodb:Attributes': 'false' },
        StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
      },
    }),
    new iam.PolicyStatement({
      actions: ['dynamodb:DeleteItem'],
      resources: [tableArn],
      // ALL_OLD would hand back the deleted item: a read by another name.
      conditions: { StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
    }),
  ];
}
