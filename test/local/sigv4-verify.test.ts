/**
 * SigV4 verification of requests the real AWS SDK v3 signs (a JSON-protocol
 * service here, DynamoDB, where the body's hash is signed without an
 * x-amz-content-sha256 header; S3 is covered by s3-service.test.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { LocalCredentials } from '../../scripts/local/contracts';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { SigV4Error, verifySigV4 } from '../../scripts/local/iam/sigv4-verify';

const store = new LocalCredentialStore();
const principal = {
  roleLogicalId: 'AuthenticatedRole',
  roleArn: 'arn:aws:iam::000000000000:role/Authenticated',
  identityId: 'eu-west-1:aaaaaaaa-0000-4000-8000-000000000001',
};
let clockOffsetMs = 0;
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  server = http.createServer((req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

/** A DynamoDB-shaped endpoint that answers with the verified caller, or the verifier's error. */
async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const verified = await verifySigV4({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) }, store, {
      service: 'dynamodb',
      region: 'eu-west-1',
      now: () => Date.now() + clockOffsetMs,
    });
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(JSON.stringify({ TableNames: [verified.principal.identityId] }));
  } catch (error) {
    const e = error as SigV4Error;
    res.statusCode = e.status ?? 500;
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${e.code}`, message: e.message }));
  }
}

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function dynamodb(credentials: LocalCredentials, region = 'eu-west-1'): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint, credentials, maxAttempts: 1 });
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('expected a failure');
}

describe('GIVEN credentials issued by the local credential store', () => {
  test('WHEN the SDK signs with them THEN the request verifies and names the principal they were issued for', async () => {
    const result = await dynamodb(store.issue(principal)).send(new ListTablesCommand({}));
    expect(result.TableNames).toEqual([principal.identityId]);
  });

  test('WHEN the secret is wrong THEN SignatureDoesNotMatch', async () => {
    const issued = store.issue(principal);
    expect(await errorName(dynamodb({ ...issued, secretAccessKey: 'x'.repeat(40) }).send(new ListTablesCommand({})))).toBe('SignatureDoesNotMatch');
  });

  test('WHEN the session token is not the one issued with the key THEN InvalidToken', async () => {
    const issued = store.issue(principal);
    const other = store.issue(principal);
    expect(await errorName(dynamodb({ ...issued, sessionToken: other.sessionToken }).send(new ListTablesCommand({})))).toBe('InvalidToken');
  });

  test('WHEN the key ID was never issued THEN InvalidAccessKeyId', async () => {
    const issued = store.issue(principal);
    expect(await errorName(dynamodb({ ...issued, accessKeyId: 'ASIANEVERISSUED00000' }).send(new ListTablesCommand({})))).toBe('InvalidAccessKeyId');
  });

  test('WHEN the request is signed for another region THEN AuthorizationHeaderMalformed', async () => {
    expect(await errorName(dynamodb(store.issue(principal), 'us-east-1').send(new ListTablesCommand({})))).toBe('AuthorizationHeaderMalformed');
  });

  test('WHEN the clock differs by more than 15 minutes THEN RequestTimeTooSkewed; WHEN the credentials expired THEN ExpiredToken', async () => {
    const issued = store.issue(principal, 3600);
    clockOffsetMs = 16 * 60 * 1000;
    try {
      expect(await errorName(dynamodb(issued).send(new ListTablesCommand({})))).toBe('RequestTimeTooSkewed');
    } finally {
      clockOffsetMs = 0;
    }
    const shortLived = store.issue(principal, 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await errorName(dynamodb(shortLived).send(new ListTablesCommand({})))).toBe('ExpiredToken');
  });

  test('WHEN a request carries no signature THEN AccessDenied', async () => {
    const response = await fetch(endpoint, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('AccessDenied');
  });
});
