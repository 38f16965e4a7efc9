/**
 * The local DynamoDB endpoint authorizes every call with the template's
 * policies, as IAM would, before dynalite sees it: an identity reaches only
 * items whose partition key is its own identity ID (dynamodb:LeadingKeys).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DynamoDBClient,
  ExecuteStatementCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { createDynamoDbService, type DynamoDbService } from '../../scripts/local/dynamodb/dynamodb-service';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { templateFragment } from './support/template-fragment';

const REGION = 'eu-west-1';
const ALICE = `${REGION}:11111111-1111-4111-8111-111111111111`;
const BOB = `${REGION}:22222222-2222-4222-8222-222222222222`;

const template = templateFragment(
  {
    Items: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        AttributeDefinitions: [
          { AttributeName: 'identityId', AttributeType: 'S' },
          { AttributeName: 'itemId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'identityId', KeyType: 'HASH' },
          { AttributeName: 'itemId', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [{ Region: { Ref: 'AWS::Region' } }],
      },
    },
    UserRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } },
    // The shape grantOwnData writes (lib/identity-storage/identity-scoped-policy.ts).
    UserPolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'own-items',
        Roles: [{ Ref: 'UserRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'OwnItems',
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
              Resource: { 'Fn::GetAtt': ['Items', 'Arn'] },
              Condition: {
                'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] },
                Null: { 'dynamodb:LeadingKeys': 'false' },
              },
            },
          ],
        },
      },
    },
  },
  REGION,
);

let service: DynamoDbService;
let server: Server;
let alice: DynamoDBClient;
let bob: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  const credentials = new LocalCredentialStore();
  service = await createDynamoDbService({ template, credentials, authorizer: new TemplateAuthorizer(template) });
  server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const roleArn = template.resolve<string>({ 'Fn::GetAtt': ['UserRole', 'Arn'] });
  const clientFor = (identityId: string) => {
    const c = credentials.issue({ roleLogicalId: 'UserRole', roleArn, identityId });
    return new DynamoDBClient({ region: REGION, endpoint, credentials: c, maxAttempts: 1 });
  };
  alice = clientFor(ALICE);
  bob = clientFor(BOB);
  tableName = service.tables[0].name;
});

afterAll(async () => {
  alice?.destroy();
  bob?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await service?.close?.();
});

const item = (owner: string, id: string, extra: Record<string, { S: string } | { N: string }> = {}) => ({
  TableName: tableName,
  Item: { identityId: { S: owner }, itemId: { S: id }, ...extra },
});

describe('local DynamoDB', () => {
  it('GIVEN the template table WHEN created THEN it has the stack-derived physical name', () => {
    expect(tableName).toMatch(/^Fragment-Items-[A-Z0-9]{12}$/);
    expect(service.tables[0].arn).toBe(`arn:aws:dynamodb:${REGION}:000000000000:table/${tableName}`);
  });

  it('GIVEN Alice WHEN she writes and reads her own item THEN both succeed', async () => {
    await alice.send(new PutItemCommand(item(ALICE, 'a1', { note: { S: 'hello' } })));
    const got = await alice.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: ALICE }, itemId: { S: 'a1' } } }));
    expect(got.Item?.note).toEqual({ S: 'hello' });
  });

  it("GIVEN Alice WHEN she writes or reads Bob's item THEN AccessDenied (LeadingKeys)", async () => {
    await expect(alice.send(new PutItemCommand(item(BOB, 'b1')))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(alice.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: BOB }, itemId: { S: 'b1' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('GIVEN a Query WHEN its key condition pins her own ID THEN allowed; another ID THEN denied', async () => {
    const query = (owner: string) =>
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :me',
        ExpressionAttributeNames: { '#pk': 'identityId' },
        ExpressionAttributeValues: { ':me': { S: owner } },
      });
    const own = await alice.send(query(ALICE));
    expect(own.Items?.map((i) => i.itemId.S)).toEqual(['a1']);
    await expect(alice.send(query(BOB))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('GIVEN a Scan (no leading key) WHEN Alice sends it THEN denied', async () => {
    await expect(alice.send(new ScanCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('GIVEN a TransactWriteItems whose second condition fails THEN nothing is written and the reasons say which item', async () => {
    await bob.send(new PutItemCommand(item(BOB, 'counter', { n: { N: '1' } })));
    const attempt = bob.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { ...item(BOB, 'new-one') } },
          {
            Update: {
              TableName: tableName,
              Key: { identityId: { S: BOB }, itemId: { S: 'counter' } },
              UpdateExpression: 'SET n = n + :one',
              ConditionExpression: 'n > :big',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':big': { N: '5' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );
    const error = (await attempt.catch((e: unknown) => e)) as TransactionCanceledException;
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.CancellationReasons?.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(error.CancellationReasons?.[1].Item?.n).toEqual({ N: '1' });
    const rolledBack = await bob.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: BOB }, itemId: { S: 'new-one' } } }));
    expect(rolledBack.Item).toBeUndefined();
  });

  it('GIVEN a TransactWriteItems whose conditions hold THEN every item is written', async () => {
    await bob.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { ...item(BOB, 'second'), ConditionExpression: 'attribute_not_exists(itemId)' } },
          {
            Update: {
              TableName: tableName,
              Key: { identityId: { S: BOB }, itemId: { S: 'counter' } },
              UpdateExpression: 'SET n = n + :one',
              ExpressionAttributeValues: { ':one': { N: '1' } },
            },
          },
          {
            ConditionCheck: {
              TableName: tableName,
              Key: { identityId: { S: BOB }, itemId: { S: 'absent' } },
              ConditionExpression: 'attribute_not_exists(itemId)',
            },
          },
        ],
      }),
    );
    const counter = await bob.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: BOB }, itemId: { S: 'counter' } } }));
    expect(counter.Item?.n).toEqual({ N: '2' });
    const absent = await bob.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: BOB }, itemId: { S: 'absent' } } }));
    expect(absent.Item).toBeUndefined();
  });

  it("GIVEN a transaction touching another identity's item THEN the whole call is denied", async () => {
    await expect(
      bob.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { ...item(BOB, 'x') } }, { Put: { ...item(ALICE, 'x') } }] })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('GIVEN PartiQL WHEN sent THEN refused with a message naming the operation', async () => {
    await expect(alice.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${tableName}"` }))).rejects.toThrow(
      /ExecuteStatement is refused by the local run/,
    );
  });

  it('GIVEN unsigned or unknown credentials THEN refused before any authorization', async () => {
    const stranger = new DynamoDBClient({
      region: REGION,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'ASIAUNKNOWNUNKNOWN00', secretAccessKey: 'x', sessionToken: 'y' },
      maxAttempts: 1,
    });
    await expect(stranger.send(new GetItemCommand({ TableName: tableName, Key: { identityId: { S: ALICE }, itemId: { S: 'a1' } } }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
    stranger.destroy();
  });
});
