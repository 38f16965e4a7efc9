/**
 * The local REST API follows the synthesized template: routes and path
 * parameters, the Cognito authorizer (ID tokens; access tokens with the
 * method's scopes), CORS preflights from the MOCK integrations, gateway
 * responses with their CORS headers, and stage throttling.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaInvoker } from '../../scripts/local/contracts';
import { createApiService, type ApiService } from '../../scripts/local/api/api-service';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthForLocal } from '../../scripts/local/synth-stage';
import { loadLocalTemplate } from '../../scripts/local/template/load-template';
import { startTestSigner, type TestSigner } from './support/test-jwt';

// The local run's own synth (no bundling): the handlers are faked here, the template is real.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-api-'));
const synth = synthForLocal({ stage: 'dev', outdir, bundling: false, rulePacks: false });
const template = loadLocalTemplate({ assemblyDir: synth.assemblyDir, stackId: synth.stackId });
const userPoolLogicalId = template.resourcesOfType('AWS::Cognito::UserPool')[0];
const userPoolId = template.resolve<string>({ Ref: userPoolLogicalId });
const ORIGIN = 'http://localhost:5173';

let signer: TestSigner;
let api: ApiService;
let server: Server;
let baseUrl: string;
let clock = 0;
const invocations: Array<{ logicalId: string; event: any }> = [];

const invoker: LambdaInvoker = {
  functionFor: (arn) => template.resourcesOfType('AWS::Lambda::Function').find((id) => template.resolve({ 'Fn::GetAtt': [id, 'Arn'] }) === arn),
  invoke: async (logicalId, event) => {
    invocations.push({ logicalId, event });
    if (logicalId.includes('ListUploads')) return { statusCode: 'not a number' };
    return { statusCode: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': ORIGIN }, body: JSON.stringify({ ok: logicalId }) };
  },
};

beforeAll(async () => {
  signer = await startTestSigner(template.region, userPoolId);
  server = createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = createApiService({ template, userPool: signer, lambda: invoker, origin, now: () => clock })!;
  baseUrl = api.baseUrl;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await signer?.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

const idToken = (extra: Record<string, unknown> = {}) =>
  signer.sign({ sub: 'sub-1', token_use: 'id', aud: 'client', email: 'a@example.com', 'cognito:groups': ['admins', 'members'], ...extra });
const accessToken = (scope: string) => signer.sign({ sub: 'sub-1', token_use: 'access', client_id: 'client', scope });
const call = (path: string, init: RequestInit = {}) =>
  fetch(new URL(path, baseUrl), { ...init, headers: { Origin: ORIGIN, ...(init.headers as Record<string, string>) } });

describe('local REST API', () => {
  beforeEach(() => {
    invocations.length = 0;
    clock += 10_000; // refills the throttle bucket between tests
  });

  it('GIVEN the dev stage WHEN served THEN the base URL carries the template stage name', () => {
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/$/);
  });

  it('GIVEN an ID token WHEN GET /me THEN the handler gets a REST proxy event with string claims', async () => {
    const response = await call('me', { headers: { Authorization: idToken() } });
    expect(response.status).toBe(200);
    expect(invocations).toHaveLength(1);
    const { logicalId, event } = invocations[0];
    expect(logicalId).toMatch(/^AuthorizedApiMeFunction/);
    expect(event).toMatchObject({
      resource: '/me',
      path: '/me',
      httpMethod: 'GET',
      pathParameters: null,
      isBase64Encoded: false,
      requestContext: { stage: 'v1', resourcePath: '/me' },
    });
    expect(event.requestContext.authorizer.claims).toMatchObject({ sub: 'sub-1', 'cognito:groups': '[admins members]', token_use: 'id' });
    expect(event.requestContext.authorizer.claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
  });

  it('GIVEN no token or a bad token WHEN GET /me THEN 401 from the gateway response, with CORS headers, and no handler runs', async () => {
    for (const headers of [{}, { Authorization: 'not-a-jwt' }, { Authorization: idToken().slice(0, -4) + 'AAAA' }] as Array<Record<string, string>>) {
      const response = await call('me', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'Unauthorized' } });
    }
    expect(invocations).toHaveLength(0);
  });

  it('GIVEN an access token WHEN calling a method without scopes THEN 401 (ID tokens only)', async () => {
    expect((await call('me', { headers: { Authorization: accessToken('api/uploads.read') } })).status).toBe(401);
  });

  it('GIVEN /admin/uploads (scoped) WHEN an ID token or an access token without the scope THEN 401; with the scope THEN the handler runs', async () => {
    expect((await call('admin/uploads', { headers: { Authorization: idToken() } })).status).toBe(401);
    expect((await call('admin/uploads', { headers: { Authorization: accessToken('openid email') } })).status).toBe(401);
    expect(invocations).toHaveLength(0);
    // This fake handler answers with an invalid proxy response: API Gateway's 502.
    const response = await call('admin/uploads', { headers: { Authorization: accessToken('openid api/uploads.read') } });
    expect(invocations).toHaveLength(1);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ error: { code: 'gateway_error', message: 'Internal server error' } });
  });

  it('GIVEN /files/{name}/status WHEN called with an encoded name THEN the path parameter arrives as sent', async () => {
    const response = await call('files/a%20b.csv/status', { headers: { Authorization: idToken() } });
    expect(response.status).toBe(200);
    expect(invocations[0].logicalId).toMatch(/^AuthorizedApiGetFileStatusFunction/);
    expect(invocations[0].event).toMatchObject({ resource: '/files/{name}/status', pathParameters: { name: 'a%20b.csv' } });
  });

  it('GIVEN /files/upload-url WHEN POSTed THEN the literal route wins over {name} and the body is passed', async () => {
    const response = await call('files/upload-url', {
      method: 'POST',
      headers: { Authorization: idToken(), 'Content-Type': 'application/json' },
      body: '{"name":"x.csv"}',
    });
    expect(response.status).toBe(200);
    expect(invocations[0].event).toMatchObject({ resource: '/files/upload-url', body: '{"name":"x.csv"}', httpMethod: 'POST' });
  });

  it('GIVEN an unknown route or method WHEN called THEN 403 Missing Authentication Token', async () => {
    for (const [path, method] of [
      ['nowhere', 'GET'],
      ['me', 'PUT'],
    ]) {
      const response = await call(path, { method, headers: { Authorization: idToken() } });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: 'request_error', message: 'Missing Authentication Token' } });
    }
  });

  it('GIVEN a preflight WHEN OPTIONS /files THEN 204 with the CORS headers of the MOCK integration, no token needed', async () => {
    const response = await call('files', { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'GET' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
  });

  it('GIVEN the stage throttle (burst 40) WHEN 41 calls come at once THEN the 41st gets 429 throttled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await call('nowhere-throttle-probe')).status);
    // Unknown routes are refused before throttling; use a real one without a token (401 until the bucket is empty).
    const real: number[] = [];
    for (let i = 0; i < 41; i++) real.push((await call('me')).status);
    expect(real.slice(0, 40).every((s) => s === 401)).toBe(true);
    expect(real[40]).toBe(429);
    expect(statuses.every((s) => s === 403)).toBe(true);
  });
});
