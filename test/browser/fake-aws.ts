/**
 * Every AWS endpoint the web app calls, answered inside Chromium by request
 * interception: the Cognito user pool (real SRP), Cognito Identity, S3 with
 * the identity pool's `<identityId>/` boundary, and the REST API. Nothing
 * leaves the machine; any other cross-origin request fails the test.
 */
import { randomBytes } from 'node:crypto';
import type { HTTPRequest } from 'puppeteer-core';
import type { AmplifyOutputs } from '../../scripts/client-config/amplify-outputs';
import { registerSrpUser, startSrp, verifySrp, type SrpSession, type SrpUser } from './srp-server';

export interface FakeUser {
  readonly email: string;
  readonly password: string;
  readonly confirmed: boolean;
}

interface StoredObject {
  readonly size: number;
  readonly contentType?: string;
  readonly lastModified: string;
}

type Answer = { status: number; headers?: Record<string, string>; contentType?: string; body?: string };

const base64url = (value: object | Buffer) => (Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value))).toString('base64url');

export class FakeAws {
  readonly identityId: string;
  readonly accessKeyId = 'ASIAFAKEBROWSERTEST1';
  /** Every S3 object, by key. */
  readonly objects = new Map<string, StoredObject>();
  /** Check results the API reports, by file name (a rejected file's object is gone). */
  readonly statuses = new Map<string, { status: 'pending' | 'accepted' | 'rejected'; size: number; lastModified: string }>();
  /** `METHOD url` of every AWS request answered, for assertions. */
  readonly log: string[] = [];
  /**
   * Sizes of files the test uploads: Chromium does not hand a File body to
   * request interception, so the fake S3 cannot measure it.
   */
  readonly uploadSizes = new Map<string, number>();
  /** Requests that were not for a known endpoint. */
  readonly unexpected: string[] = [];

  private readonly region: string;
  private readonly poolId: string;
  private readonly poolName: string;
  private readonly clientId: string;
  private readonly bucketHost: string;
  private readonly apiUrl: string;
  private readonly users = new Map<string, { user: FakeUser; srp: SrpUser; sub: string }>();
  private readonly sessions = new Map<string, SrpSession>();
  private idToken?: string;
  private signedIn?: { sub: string; email: string };

  constructor(
    private readonly outputs: AmplifyOutputs,
    users: readonly FakeUser[],
  ) {
    this.region = outputs.auth.aws_region;
    this.poolId = outputs.auth.user_pool_id;
    this.poolName = this.poolId.split('_')[1];
    this.clientId = outputs.auth.user_pool_client_id;
    this.bucketHost = `${outputs.storage.bucket_name}.s3.${outputs.storage.aws_region}.amazonaws.com`;
    this.apiUrl = Object.values(outputs.custom.API)[0].endpoint;
    this.identityId = `${this.region}:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
    users.forEach((user, i) => {
      const sub = `7d1c5a2e-0000-4000-8000-00000000000${i}`;
      this.users.set(user.email, { user, sub, srp: registerSrpUser(this.poolName, sub, user.password) });
    });
  }

  /** Seeds an object under the caller's prefix with a check result. */
  seedFile(name: string, size: number, status: 'pending' | 'accepted' | 'rejected', keepObject = true): void {
    const lastModified = '2025-01-15T10:00:00.000Z';
    if (keepObject) this.objects.set(`${this.identityId}/${name}`, { size, lastModified });
    this.statuses.set(name, { status, size, lastModified });
  }

  /** Answers one intercepted request; pages' own origin goes through untouched. */
  async handle(request: HTTPRequest, pageOrigin: string): Promise<void> {
    const url = new URL(request.url());
    if (url.origin === pageOrigin || url.protocol === 'data:') {
      await request.continue();
      return;
    }
    const cors = {
      'Access-Control-Allow-Origin': pageOrigin,
      'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, HEAD',
      'Access-Control-Allow-Headers': request.headers()['access-control-request-headers'] ?? '*',
      'Access-Control-Expose-Headers': 'ETag, x-amz-request-id, x-amz-id-2, x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date',
      'Access-Control-Max-Age': '600',
    };
    let answer: Answer;
    try {
      answer = request.method() === 'OPTIONS' ? { status: 204 } : await this.answer(request, url);
    } catch (error) {
      answer = { status: 500, contentType: 'text/plain', body: `fake AWS failed: ${(error as Error).message}` };
    }
    if (request.method() !== 'OPTIONS') this.log.push(`${request.method()} ${url.origin}${url.pathname} ${answer.status}`);
    await request.respond({ status: answer.status, headers: { ...cors, ...answer.headers }, contentType: answer.contentType, body: answer.body ?? '' });
  }

  private async answer(request: HTTPRequest, url: URL): Promise<Answer> {
    if (url.host === `cognito-idp.${this.region}.amazonaws.com`) return this.userPool(request);
    if (url.host === `cognito-identity.${this.region}.amazonaws.com`) return this.identityPool(request);
    if (url.host === this.bucketHost) return this.s3(request, url);
    if (url.href.startsWith(this.apiUrl)) return this.api(request, url.href.slice(this.apiUrl.length));
    this.unexpected.push(`${request.method()} ${url.href}`);
    return { status: 404, contentType: 'text/plain', body: 'not faked' };
  }

  private userPool(request: HTTPRequest): Answer {
    const target = request.headers()['x-amz-target'];
    const body = JSON.parse(request.postData() ?? '{}') as Record<string, any>;
    if (body.ClientId !== this.clientId) return cognitoError('ResourceNotFoundException', 'User pool client does not exist.');
    if (target === 'AWSCognitoIdentityProviderService.InitiateAuth' && body.AuthFlow === 'USER_SRP_AUTH') {
      const entry = this.users.get(body.AuthParameters?.USERNAME);
      if (!entry) return cognitoError('NotAuthorizedException', 'Incorrect username or password.');
      if (!entry.user.confirmed) return cognitoError('UserNotConfirmedException', 'User is not confirmed.');
      const { session, challengeParameters } = startSrp(entry.srp, body.AuthParameters.SRP_A);
      const sessionId = randomBytes(24).toString('base64');
      this.sessions.set(sessionId, session);
      return cognitoJson({ ChallengeName: 'PASSWORD_VERIFIER', ChallengeParameters: challengeParameters, Session: sessionId });
    }
    if (target === 'AWSCognitoIdentityProviderService.RespondToAuthChallenge' && body.ChallengeName === 'PASSWORD_VERIFIER') {
      const session = this.sessions.get(body.Session);
      this.sessions.delete(body.Session);
      if (!session || !verifySrp(this.poolName, session, body.ChallengeResponses ?? {})) {
        return cognitoError('NotAuthorizedException', 'Incorrect username or password.');
      }
      const entry = [...this.users.values()].find((u) => u.sub === session.user.userId)!;
      this.signedIn = { sub: entry.sub, email: entry.user.email };
      this.idToken = this.jwt({ token_use: 'id', sub: entry.sub, email: entry.user.email, email_verified: true, 'cognito:username': entry.sub, aud: this.clientId });
      return cognitoJson({
        AuthenticationResult: {
          IdToken: this.idToken,
          AccessToken: this.jwt({ token_use: 'access', sub: entry.sub, username: entry.sub, client_id: this.clientId, scope: 'aws.cognito.signin.user.admin' }),
          RefreshToken: randomBytes(48).toString('base64url'),
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
        ChallengeParameters: {},
      });
    }
    return cognitoError('InvalidParameterException', `fake user pool does not answer ${target}`);
  }

  private identityPool(request: HTTPRequest): Answer {
    const target = request.headers()['x-amz-target'];
    const body = JSON.parse(request.postData() ?? '{}') as Record<string, any>;
    const login = body.Logins?.[`cognito-idp.${this.region}.amazonaws.com/${this.poolId}`];
    if (!this.idToken || login !== this.idToken) return cognitoError('NotAuthorizedException', 'Invalid login token.');
    if (target === 'AWSCognitoIdentityService.GetId' && body.IdentityPoolId === this.outputs.auth.identity_pool_id) {
      return cognitoJson({ IdentityId: this.identityId });
    }
    if (target === 'AWSCognitoIdentityService.GetCredentialsForIdentity' && body.IdentityId === this.identityId) {
      return cognitoJson({
        IdentityId: this.identityId,
        Credentials: { AccessKeyId: this.accessKeyId, SecretKey: 'fake-secret', SessionToken: 'fake-session-token', Expiration: Math.floor(Date.now() / 1000) + 3600 },
      });
    }
    return cognitoError('InvalidParameterException', `fake identity pool does not answer ${target}`);
  }

  /** S3 as the authenticated role sees it: everything under `<identityId>/`, nothing else. */
  private s3(request: HTTPRequest, url: URL): Answer {
    const signed = (request.headers().authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/`) || url.searchParams.get('X-Amz-Credential')?.startsWith(`${this.accessKeyId}/`);
    const key = decodeURIComponent(url.pathname.slice(1));
    const listing = request.method() === 'GET' && url.searchParams.get('list-type') === '2';
    const target = listing ? (url.searchParams.get('prefix') ?? '') : key;
    if (!signed || !target.startsWith(`${this.identityId}/`)) return s3Error(403, 'AccessDenied', 'Access Denied');
    if (listing) {
      const contents = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(target))
        .map(([k, o]) => `<Contents><Key>${k}</Key><LastModified>${o.lastModified}</LastModified><ETag>"etag"</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`);
      return xml(
        `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${this.outputs.storage.bucket_name}</Name><Prefix>${target}</Prefix><KeyCount>${contents.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`,
      );
    }
    if (request.method() === 'PUT') {
      const size = request.postData() === undefined ? (this.uploadSizes.get(key.slice(key.indexOf('/') + 1)) ?? 0) : Buffer.byteLength(request.postData()!);
      this.objects.set(key, { size, contentType: request.headers()['content-type'], lastModified: '2025-01-15T11:00:00.000Z' });
      this.statuses.set(key.slice(key.indexOf('/') + 1), { status: 'pending', size, lastModified: '2025-01-15T11:00:00.000Z' });
      return { status: 200, headers: { ETag: '"etag"' } };
    }
    if (request.method() === 'DELETE') {
      this.objects.delete(key);
      this.statuses.delete(key.slice(key.indexOf('/') + 1));
      return { status: 204 };
    }
    if (request.method() === 'GET' && this.objects.has(key)) {
      return { status: 200, contentType: 'text/csv', headers: { 'Content-Disposition': url.searchParams.get('response-content-disposition') ?? '' }, body: 'a,b\n1,2\n' };
    }
    return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
  }

  private api(request: HTTPRequest, route: string): Answer {
    const caller = this.signedIn;
    if (!caller || request.headers().authorization !== this.idToken) return json(401, { message: 'Unauthorized' });
    if (request.method() === 'GET' && route === 'me') return json(200, { sub: caller.sub, username: caller.sub, email: caller.email, groups: [] });
    if (request.method() === 'GET' && (route === 'files' || route.startsWith('files?'))) {
      const files = [...this.statuses.entries()].map(([name, s]) => ({ name, size: s.size, lastModified: s.lastModified, status: s.status }));
      return json(200, { identityId: this.identityId, files });
    }
    return json(404, { error: { code: 'NotFound', message: 'No such route' } });
  }

  /** A well-formed but unsigned-in-any-real-way JWT with the claims Amplify reads. */
  private jwt(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...claims, iss: `https://cognito-idp.${this.region}.amazonaws.com/${this.poolId}`, auth_time: now, iat: now, exp: now + 3600 };
    return `${base64url({ alg: 'RS256', kid: 'browser-test' })}.${base64url(payload)}.${base64url(randomBytes(32))}`;
  }
}

function cognitoJson(body: object): Answer {
  return { status: 200, contentType: 'application/x-amz-json-1.1', headers: { 'x-amzn-RequestId': 'req-1' }, body: JSON.stringify(body) };
}

function cognitoError(type: string, message: string): Answer {
  return { status: 400, contentType: 'application/x-amz-json-1.1', headers: { 'x-amzn-ErrorType': `${type}:`, 'x-amzn-RequestId': 'req-1' }, body: JSON.stringify({ __type: type, message }) };
}

function s3Error(status: number, code: string, message: string): Answer {
  return xml(`<Error><Code>${code}</Code><Message>${message}</Message><RequestId>req-1</RequestId></Error>`, status);
}

function xml(body: string, status = 200): Answer {
  return { status, contentType: 'application/xml', headers: { 'x-amz-request-id': 'req-1' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

function json(status: number, body: object): Answer {
  return { status, contentType: 'application/json', body: JSON.stringify(body) };
}
