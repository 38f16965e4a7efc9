import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The caller's identity pool ID (`region:GUID`) as IAM substitutes it at
 * request time. It is NOT the user pool `sub` claim. Amplify once shipped a
 * typo in this placeholder; tests pin the rendered string.
 */
export const IDENTITY_ID_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

export interface IdentityScopedResources {
  /** ARN of the bucket holding each identity's objects under `<identityId>/`. */
  readonly bucketArn: string;
  /** ARN of the table whose partition key is the identity ID. */
  readonly tableArn: string;
}

/** Item-level DynamoDB actions a client may run on its own partition. No Scan: it cannot be scoped by key. */
export const OWN_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * Everything an authenticated identity may do, and nothing else: its own
 * objects under `<identityId>/` (written only directly below it), listing
 * only that prefix, and only items whose partition key is its identity ID.
 */
export function identityScopedStatements(resources: IdentityScopedResources): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'OwnObjects',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [`${resources.bucketArn}/${IDENTITY_ID_VARIABLE}/*`],
    }),
    new iam.PolicyStatement({
      sid: 'ListOwnPrefix',
      actions: ['s3:ListBucket'],
      resources: [resources.bucketArn],
      // Without s3:prefix (or with another one) the condition fails, so a bare list is denied.
      conditions: { StringLike: { 's3:prefix': [`${IDENTITY_ID_VARIABLE}/`, `${IDENTITY_ID_VARIABLE}/*`] } },
    }),
    new iam.PolicyStatement({
      sid: 'OwnItems',
      actions: OWN_ITEM_ACTIONS,
      resources: [resources.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [IDENTITY_ID_VARIABLE] },
        // ForAllValues is vacuously true when the key is absent; require it.
        Null: { 'dynamodb:LeadingKeys': 'false' },
      },
    }),
    // A file is `<identityId>/<name>` with no "/" in the name (docs/design.md, "REST API"); ARN wildcards
    // cannot say "no slash", so a key with a second "/" is denied explicitly.
    denyNestedKeyWrites(`${resources.bucketArn}/${IDENTITY_ID_VARIABLE}/*/*`),
  ];
}

/**
 * Object writes: PutObject also authorizes every step of a multipart upload
 * (create, upload part, complete) and a presigned POST signed by the role.
 */
export const OBJECT_WRITE_ACTIONS = ['s3:PutObject'];

/** Denies writes at `nestedKeys` (an ARN pattern with a second "/" below the prefix). */
export function denyNestedKeyWrites(nestedKeys: string): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'DenyNestedKeyWrites', effect: iam.Effect.DENY, actions: OBJECT_WRITE_ACTIONS, resources: [nestedKeys] });
}

/** Read access to every identity's objects, for an operator group such as `admins`. */
export function readAllFilesStatements(bucketArn: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'ReadAllObjects', actions: ['s3:GetObject'], resources: [`${bucketArn}/*`] }),
    new iam.PolicyStatement({ sid: 'ListAllPrefixes', actions: ['s3:ListBucket'], resources: [bucketArn] }),
  ];
}
