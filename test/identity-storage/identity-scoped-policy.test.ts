import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IDENTITY_ID_VARIABLE, OWN_ITEM_ACTIONS, identityScopedStatements, readAllFilesStatements } from '../../lib/identity-storage/identity-scoped-policy';

/** Spelled out by hand: importing the library's constant would let a typo in it pass. */
const SUB = '${cognito-identity.amazonaws.com:sub}';
const BUCKET_ARN = 'arn:aws:s3:::user-files-bucket';
const TABLE_ARN = 'arn:aws:dynamodb:eu-west-1:111122223333:table/items';

function rendered(statements: iam.PolicyStatement[]): unknown[] {
  const stack = new Stack();
  return statements.map((statement) => stack.resolve(statement.toStatementJson()));
}

describe('identityScopedStatements', () => {
  const statements = identityScopedStatements({ bucketArn: BUCKET_ARN, tableArn: TABLE_ARN });

  test('GIVEN literal ARNs WHEN rendered THEN the statements are exactly these four', () => {
    expect(rendered(statements)).toEqual([
      {
        Sid: 'OwnObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::user-files-bucket/${cognito-identity.amazonaws.com:sub}/*',
      },
      {
        Sid: 'ListOwnPrefix',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::user-files-bucket',
        Condition: { StringLike: { 's3:prefix': ['${cognito-identity.amazonaws.com:sub}/', '${cognito-identity.amazonaws.com:sub}/*'] } },
      },
      {
        Sid: 'OwnItems',
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        Resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/items',
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      },
      {
        Sid: 'DenyNestedKeyWrites',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::user-files-bucket/${cognito-identity.amazonaws.com:sub}/*/*',
      },
    ]);
  });

  test('GIVEN the exported placeholder THEN it is the identity pool ID variable, character for character', () => {
    expect(IDENTITY_ID_VARIABLE).toBe(SUB);
  });

  test('WHEN rendered THEN the placeholder appears exactly five times and no other policy variable appears', () => {
    const text = JSON.stringify(rendered(statements));
    expect(text.split(SUB).length - 1).toBe(5);
    expect(text.match(/\$\{[^}]*\}/g)).toEqual([SUB, SUB, SUB, SUB, SUB]);
  });

  test('GIVEN the object statement THEN the placeholder is a whole path segment directly under the bucket', () => {
    const [objects] = statements.map((s) => s.toJSON());
    expect(objects.Resource).toBe(`${BUCKET_ARN}/${SUB}/*`);
  });

  test('GIVEN the list statement THEN s3:prefix is limited to the placeholder followed by a slash', () => {
    const list = statements[1].toJSON();
    expect(list.Condition.StringLike['s3:prefix']).toEqual([`${SUB}/`, `${SUB}/*`]);
  });

  test('GIVEN the item statement THEN every leading key must equal the placeholder and one must be present', () => {
    const items = statements[2].toJSON();
    expect(items.Condition['ForAllValues:StringEquals']['dynamodb:LeadingKeys']).toEqual([SUB]);
    expect(items.Condition.Null).toEqual({ 'dynamodb:LeadingKeys': 'false' });
  });

  test('GIVEN the deny statement THEN it covers object writes one level below a file name, and only them', () => {
    const deny = statements[3].toJSON();
    expect(deny).toEqual({ Sid: 'DenyNestedKeyWrites', Effect: 'Deny', Action: 's3:PutObject', Resource: `${BUCKET_ARN}/${SUB}/*/*` });
  });

  test('THEN nothing else is granted: no Scan, no wildcard actions, no Not* tricks, only the two resources', () => {
    const json = statements.filter((s) => s.effect === iam.Effect.ALLOW).map((s) => s.toJSON());
    const actions = json.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain('dynamodb:Scan');
    expect(OWN_ITEM_ACTIONS).not.toContain('dynamodb:Scan');
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
    expect(new Set(actions)).toEqual(new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', ...OWN_ITEM_ACTIONS]));
    for (const statement of json) {
      expect(statement.Effect).toBe('Allow');
      expect(Object.keys(statement).sort()).toEqual(expect.arrayContaining(['Action', 'Effect', 'Resource']));
      expect(statement).not.toHaveProperty('NotAction');
      expect(statement).not.toHaveProperty('NotResource');
      expect(statement).not.toHaveProperty('Principal');
    }
    expect(json.flatMap((s) => [s.Resource].flat()).sort()).toEqual([`${BUCKET_ARN}/${SUB}/*`, BUCKET_ARN, TABLE_ARN].sort());
  });

  test('GIVEN token ARNs from a real bucket WHEN resolved THEN the placeholder survives intact after the bucket ARN', () => {
    const stack = new Stack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    const [objects] = identityScopedStatements({ bucketArn: bucket.bucketArn, tableArn: TABLE_ARN });
    const logicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    expect(stack.resolve(objects.toStatementJson()).Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/${cognito-identity.amazonaws.com:sub}/*']],
    });
  });
});

describe('readAllFilesStatements', () => {
  test('GIVEN a literal bucket ARN WHEN rendered THEN it grants reading and listing only', () => {
    expect(rendered(readAllFilesStatements(BUCKET_ARN))).toEqual([
      { Sid: 'ReadAllObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::user-files-bucket/*' },
      { Sid: 'ListAllPrefixes', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::user-files-bucket' },
    ]);
  });
});
