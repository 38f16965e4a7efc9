/**
 * A deployed stage faked in memory: mocked SDK clients (aws-sdk-client-mock),
 * a mocked SRP sign-in and a fetch that plays the REST API and S3's presigned
 * POST. Each test changes the one behaviour it is about.
 */
import { DeleteIdentitiesCommand, CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { checkCsv } from '../../../lambda/shared/csv-check';
import type { SmokeDependencies, SmokeTarget } from '../../../scripts/smoke/smoke-context';

export const TARGET: SmokeTarget = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_Pool1',
  userPoolClientId: 'client1',
  identityPoolId: 'eu-west-1:99999999-0000-0000-0000-000000000000',
  bucketName: 'smoke-bucket',
  apiUrl: 'https://api1.execute-api.eu-west-1.amazonaws.com/prod/',
};
export const USER_SUB = '11111111-aaaa-bbbb-cccc-000000000001';
export const COGNITO_USERNAME = USER_SUB;
export const IDENTITY_ID = 'eu-west-1:22222222-dddd-eeee-ffff-000000000002';
export const PASSWORD = 'Sm0ke!not-a-real-Passw0rd-xyz';
export const EMAIL = 'cognito-access-smoke-test1@example.com';
export const RUN_ID = 'run1';
export const PRESIGNED_POST_URL = 'https://smoke-bucket.s3.eu-west-1.amazonaws.com/';

export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.signature`;
}
export const ID_TOKEN = fakeJwt({ sub: USER_SUB, token_use: 'id', email: EMAIL });

export function accessDenied(): S3ServiceException {
  return new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' });
}

export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body?: unknown;
}

/** Routes of the API (docs/design.md) and the bucket's presigned POST endpoint, backed by one in-memory bucket. */
export function fakeHttp(objects: Map<string, string | Uint8Array>, apiUrl: string = TARGET.apiUrl) {
  const calls: HttpCall[] = [];
  const overrides = new Map<string, (call: HttpCall) => Response | undefined>();
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  const fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const method = init.method ?? 'GET';
    const authorization = (init.headers as Record<string, string> | undefined)?.Authorization;
    const call: HttpCall = { method, url: input, authorization, body: init.body };
    calls.push(call);
    const route = `${method} ${input.replace(apiUrl, '/')}`;
    const override = overrides.get(route)?.(call);
    if (override) return override;

    if (input === PRESIGNED_POST_URL && method === 'POST') {
      const form = init.body as FormData;
      objects.set(String(form.get('key')), await (form.get('file') as Blob).text());
      return new Response(null, { status: 204 });
    }
    if (authorization !== ID_TOKEN) return json(401, { message: 'Unauthorized' });
    switch (true) {
      case route === 'GET /me':
        return json(200, { sub: USER_SUB, username: COGNITO_USERNAME, email: EMAIL, groups: [] });
      case route === 'POST /files/upload-url': {
        const { name } = JSON.parse(String(init.body));
        const key = `${IDENTITY_ID}/${name}`;
        return json(200, { url: PRESIGNED_POST_URL, fields: { key, 'Content-Type': 'text/csv', Policy: 'p', 'X-Amz-Signature': 's' }, key, expiresIn: 300 });
      }
      case route === 'GET /files':
        return json(200, {
          identityId: IDENTITY_ID,
          files: [...objects.keys()]
            .filter((k) => k.startsWith(`${IDENTITY_ID}/`))
            .map((k) => ({ name: k.slice(IDENTITY_ID.length + 1), size: 1, lastModified: '2024-01-01T00:00:00.000Z' })),
        });
      case route.startsWith('GET /files/') && route.endsWith('/status'): {
        const name = decodeURIComponent(route.slice('GET /files/'.length, -'/status'.length));
        return json(200, await checkedStatus(objects, name));
      }
      case route.startsWith('DELETE /files/'): {
        objects.delete(`${IDENTITY_ID}/${decodeURIComponent(route.slice('DELETE /files/'.length))}`);
        return new Response(null, { status: 204 });
      }
      default:
        return json(404, { error: { code: 'NotFound', message: route } });
    }
  };
  return { fetch: jest.fn(fetch), calls, overrides };
}

/** The upload check as the stage runs it: the real checker over the stored bytes; a rejected object is removed. */
async function checkedStatus(objects: Map<string, string | Uint8Array>, name: string): Promise<Record<string, unknown>> {
  const key = `${IDENTITY_ID}/${name}`;
  const stored = objects.get(key);
  if (stored === undefined) return { name, status: 'pending' };
  const bytes = typeof stored === 'string' ? Buffer.from(stored) : Buffer.from(stored);
  const outcome = await checkCsv(
    (async function* () {
      yield bytes;
    })(),
    bytes.length,
    { maxBytes: 10 * 1024 * 1024, maxColumns: 1000, maxFieldBytes: 131072 },
  );
  if (outcome.status === 'rejected') objects.delete(key);
  return { name, ...outcome, checkedAt: '2024-01-01T00:00:01.000Z' };
}

export interface FakeStageOptions {
  /** Mock the client classes (every instance, e.g. those the CLI makes) instead of this file's own instances. */
  readonly classLevel?: boolean;
  readonly apiUrl?: string;
}

/** A stage where everything works: the policy lets the user write only under its own identity ID. */
export function fakeStage(options: FakeStageOptions = {}) {
  const objects = new Map<string, string | Uint8Array>();
  const cognitoIdp = new CognitoIdentityProviderClient({ region: TARGET.region });
  const cognitoIdentity = new CognitoIdentityClient({ region: TARGET.region });
  const adminS3 = new S3Client({ region: TARGET.region });
  const userS3 = new S3Client({ region: TARGET.region });

  const idp = mockClient(options.classLevel ? CognitoIdentityProviderClient : cognitoIdp);
  idp.on(AdminCreateUserCommand).resolves({ User: { Username: COGNITO_USERNAME, Attributes: [{ Name: 'sub', Value: USER_SUB }] } });
  idp.on(AdminSetUserPasswordCommand).resolves({});
  idp.on(AdminDeleteUserCommand).resolves({});

  const identity = mockClient(options.classLevel ? CognitoIdentityClient : cognitoIdentity);
  identity.on(GetIdCommand).resolves({ IdentityId: IDENTITY_ID });
  identity.on(GetCredentialsForIdentityCommand).resolves({
    IdentityId: IDENTITY_ID,
    Credentials: { AccessKeyId: 'ASIAUSER', SecretKey: 'secret', SessionToken: 'token', Expiration: new Date('2030-01-01T00:00:00Z') },
  });
  identity.on(DeleteIdentitiesCommand).resolves({ UnprocessedIdentityIds: [] });

  const classS3 = options.classLevel ? mockClient(S3Client) : undefined;
  const user = classS3 ?? mockClient(userS3);
  user.on(PutObjectCommand).callsFake(async (input) => {
    if (!String(input.Key).startsWith(`${IDENTITY_ID}/`)) throw accessDenied();
    objects.set(input.Key, typeof input.Body === 'string' ? input.Body : (input.Body as Uint8Array));
    return {};
  });
  user.on(ListObjectsV2Command).callsFake(async (input) => ({
    Contents: [...objects.keys()].filter((k) => k.startsWith(input.Prefix)).map((Key) => ({ Key })),
  }));

  const admin = classS3 ?? mockClient(adminS3);
  admin.on(ListObjectsV2Command).callsFake(async (input) => ({
    Contents: [...objects.keys()].filter((k) => k.startsWith(input.Prefix)).map((Key) => ({ Key })),
  }));
  // The bucket is versioned: each object has one version plus, here, one older delete marker.
  admin.on(ListObjectVersionsCommand).callsFake(async (input) => {
    const keys = [...objects.keys()].filter((k) => k.startsWith(input.Prefix));
    return {
      Versions: keys.map((Key) => ({ Key, VersionId: 'v2' })),
      DeleteMarkers: keys.map((Key) => ({ Key, VersionId: 'v1' })),
      IsTruncated: false,
    };
  });
  admin.on(DeleteObjectCommand).callsFake(async (input) => {
    objects.delete(input.Key);
    return {};
  });

  const http = fakeHttp(objects, options.apiUrl);
  const lines: string[] = [];
  const signIn = jest.fn(async () => ({ idToken: ID_TOKEN, accessToken: 'access', refreshToken: 'refresh' }));
  const s3For = jest.fn(() => userS3);

  const deps: SmokeDependencies = {
    cognitoIdp,
    cognitoIdentity,
    adminS3,
    s3For,
    signIn,
    fetch: http.fetch,
    log: (line) => lines.push(line),
    newUser: () => ({ email: EMAIL, password: PASSWORD }),
    runId: RUN_ID,
    // Status polls do not sleep here, and give up after three.
    wait: async () => undefined,
    checkTimeoutMs: 9000,
  };
  const restore = () => [idp, identity, user, admin].forEach((mock) => mock.restore());
  return { deps, objects, lines, idp, identity, user, admin, http, signIn, s3For, restore };
}
