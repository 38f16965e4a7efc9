/**
 * Property-based tests: for any input, no handler throws or answers 5xx, every
 * non-2xx has the error shape of docs/design.md, and invalid input never reaches AWS.
 * The SDK mocks always succeed, so every 4xx here must come from validation.
 */
import '../../scripts/fixtures/env';
import fc from 'fast-check';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { HeadObjectCommand, ListObjectsV2Command, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { handler as me } from '../../lambda/me';
import { handler as listFiles } from '../../lambda/list-files';
import { handler as createUploadUrl } from '../../lambda/create-upload-url';
import { handler as getFile } from '../../lambda/get-file';
import { handler as deleteFile } from '../../lambda/delete-file';
import { handler as deleteMe } from '../../lambda/delete-me';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { clearIdentityCache } from '../../lambda/shared/identity';
import { apiEvent, CONTEXT, IDENTITY_ID, idToken, setUpMocks, SUB, TOKEN } from '../../scripts/fixtures/events';
import { FakeResultsTable } from '../../scripts/fixtures/fake-results-table';

const RUNS = { numRuns: 1000 };
const mocks = setUpMocks();
// DELETE /me's last step; it answers every call.
const cognitoIdp = mockClient(CognitoIdentityProviderClient);
const table = new FakeResultsTable();

beforeEach(() => {
  table.install();
  mocks.s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${IDENTITY_ID}/a.csv`, Size: 1, LastModified: new Date(0) }] });
  mocks.s3.on(HeadObjectCommand).resolves({});
  mocks.s3.on(DeleteObjectCommand).resolves({});
  mocks.cognito.on(GetIdCommand).resolves({ IdentityId: IDENTITY_ID });
});

// ---- Reference rules, written independently of lambda/shared/validation.ts ----

const ID_BYTES = IDENTITY_ID.length;
function isWellFormed(value: string): boolean {
  try {
    encodeURIComponent(value); // throws on lone surrogates
    return true;
  } catch {
    return false;
  }
}
function nameIsValid(name: unknown): boolean {
  if (typeof name !== 'string' || !isWellFormed(name)) return false;
  const chars = [...name];
  if (chars.length < 1 || chars.length > 255 || name === '.' || name === '..' || name === 'upload-url' || name.includes('${filename}')) return false;
  if (chars.some((c) => c === '/' || c === '\\' || /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(c))) return false;
  return ID_BYTES + 1 + Buffer.byteLength(name) <= 1024;
}
function pathParamIsValid(raw: unknown): boolean {
  if (typeof raw !== 'string') return false;
  try {
    return nameIsValid(decodeURIComponent(raw));
  } catch {
    return false;
  }
}

// ---- Arbitraries ----

const TRICKY = [
  '../',
  '..',
  '.',
  '..%2F',
  '..%2f..%2fetc',
  '%2e%2e',
  '..\\',
  'a\\b',
  'a/b',
  '\u0000',
  'a\u0000b',
  '\n',
  '\u007f',
  '\u0085',
  '\u202E',
  '\u202Egnp.exe',
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u2066',
  '\u2028',
  '\u2029',
  '\uD800',
  '\uDFFF',
  '😀',
  '👨‍👩‍👧',
  '%',
  '%zz',
  '%E2%80%AE',
  '%00',
  '%ED%A0%80',
  '${filename}',
  'report.csv',
  'Résumé.csv',
  '数据',
  ' ',
  '~',
  '*',
  '?',
  '#',
];
const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TRICKY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.constantFrom(...TRICKY, 'a', 'b.csv'), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom('a', 'é', '😀', '数'), fc.integer({ min: 200, max: 1200 })).map(([c, n]) => c.repeat(n)),
);
const pathParamArb = fc.oneof(
  nameArb,
  nameArb.map((name) => (isWellFormed(name) ? encodeURIComponent(name) : name)),
  nameArb.map((name) => (isWellFormed(name) ? encodeURIComponent(encodeURIComponent(name)) : name)),
);

const VALID_CLAIMS = { sub: SUB, 'cognito:username': 'alice', email: 'a@example.com', token_use: 'id' };
const claimsArb: fc.Arbitrary<Record<string, unknown> | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(VALID_CLAIMS) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ sub: fc.anything() }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('sub', 'email', 'cognito:username', 'cognito:groups', 'x'), fc.oneof(fc.string(), fc.anything())) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.anything()).map((groups) => ({ ...VALID_CLAIMS, 'cognito:groups': groups })) },
);
const authorizationArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(TOKEN) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(`Bearer ${TOKEN}`, `bearer ${TOKEN}`, idToken({ sub: 'other' }), idToken({ token_use: 'access' }), 'Bearer', '', 'a.b.c'),
  },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ minLength: 17000, maxLength: 17001 }) },
);
const headersArb: fc.Arbitrary<Record<string, string> | null> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      { Authorization: authorizationArb, Origin: fc.constantFrom('https://app.example.com', 'https://evil.example', '') },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.string()) },
);
const queryArb: fc.Arbitrary<Record<string, string> | null> = fc.oneof(
  fc.constant(null),
  fc.record(
    {
      limit: fc.oneof(fc.integer({ min: -5, max: 1005 }).map(String), fc.string(), fc.constantFrom('1', '1000', '100', '01', '1e3', ' 5', '0x10')),
      nextToken: fc.oneof(fc.string(), fc.base64String(), fc.string({ unit: 'binary' }), fc.string({ minLength: 2000, maxLength: 2100 })),
    },
    { requiredKeys: [] },
  ),
  fc.dictionary(fc.string(), fc.string()),
);

const CONTENT_TYPES = ['text/csv', 'TEXT/CSV', 'application/json', 'text/html', 'image/svg+xml', 'text/csv; charset=utf-8', '', 'text/csv ', '*/*'];
const uploadFieldsArb = fc.record(
  {
    name: fc.oneof({ weight: 4, arbitrary: nameArb }, { weight: 1, arbitrary: fc.anything() }),
    contentType: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.anything() }),
    size: fc.oneof(
      fc.integer({ min: -10, max: 10 * 1024 * 1024 + 10 }),
      fc.constantFrom(0, 1, 10485760, 10485761, 2 ** 53, -0, 1.5, NaN, Infinity),
      fc.double(),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
/** Mostly well-formed requests, so accepted and boundary cases are common too. */
const nearValidUploadArb = fc.record({
  name: fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9._ ()-]{1,40}$/) }, { weight: 1, arbitrary: nameArb }),
  contentType: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('text/csv', 'application/json', 'TEXT/CSV') },
    { weight: 1, arbitrary: fc.constantFrom('text/html', 'text/csv; charset=utf-8') },
  ),
  size: fc.oneof(fc.integer({ min: 1, max: 10485760 }), fc.constantFrom(0, 1, 10485760, 10485761, 2 ** 40)),
});
const bodyArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 12, arbitrary: nearValidUploadArb.map((fields) => JSON.stringify(fields)) },
  { weight: 6, arbitrary: uploadFieldsArb.map((fields) => JSON.stringify(fields)) },
  { weight: 1, arbitrary: fc.tuple(uploadFieldsArb, fc.string({ minLength: 1 }), fc.anything()).map(([f, k, v]) => JSON.stringify({ ...f, [k]: v })) },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ minLength: 5000, maxLength: 9000 }).map((s) => JSON.stringify({ name: s, contentType: 'text/csv', size: 1 })) },
);

// ---- The properties ----

type Handler = (event: APIGatewayProxyEvent, context: typeof CONTEXT) => Promise<APIGatewayProxyResult>;

/** Outcomes per test, to show the generators reach both accepted and rejected inputs. */
let outcomes = { accepted: 0, rejected: 0 };
beforeEach(() => {
  outcomes = { accepted: 0, rejected: 0 };
});
afterEach(() => {
  expect(outcomes.accepted).toBeGreaterThan(50);
  expect(outcomes.rejected).toBeGreaterThan(50);
});

/** Invokes once with a clean identity cache; returns the response and how many AWS calls it made. */
async function invoke(handler: Handler, event: APIGatewayProxyEvent) {
  clearIdentityCache();
  const before = mocks.awsCalls();
  const response = await handler(event, CONTEXT);
  if (response.statusCode < 300) outcomes.accepted++;
  else outcomes.rejected++;
  return { response, calls: mocks.awsCalls() - before };
}

function expectWellFormed(response: APIGatewayProxyResult, calls: number): void {
  expect(response.statusCode).toBeLessThan(500);
  expect(response.headers?.Vary).toBe('Origin');
  if (response.statusCode >= 300) {
    expect(response.headers?.['Content-Type']).toBe('application/json');
    const body = JSON.parse(response.body);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
    expect(typeof body.error.code).toBe('string');
    expect(typeof body.error.message).toBe('string');
    // The mocks always succeed, so a rejection can only have come before any AWS call.
    expect(calls).toBe(0);
  }
}

const callerOk = (claims: Record<string, unknown> | null, headers: Record<string, string> | null) =>
  claims?.sub === SUB && headers !== null && [TOKEN, `Bearer ${TOKEN}`, `bearer ${TOKEN}`].includes(headers.Authorization);

describe('handler properties (fast-check, 1000 runs each)', () => {
  test('GIVEN any claims and headers WHEN GET /me THEN never throws, never 5xx, 401 exactly when sub is unusable, never an AWS call', async () => {
    await fc.assert(
      fc.asyncProperty(claimsArb, headersArb, async (claims, headers) => {
        const { response, calls } = await invoke(me, apiEvent({ claims, headers }));
        expectWellFormed(response, calls);
        expect(calls).toBe(0);
        const sub = claims?.sub;
        const usable = typeof sub === 'string' && /^[\w-]{1,128}$/.test(sub);
        expect(response.statusCode).toBe(usable ? 200 : 401);
        if (usable) expect(JSON.parse(response.body).groups).toEqual(expect.any(Array));
      }),
      RUNS,
    );
  });

  test('GIVEN any query, claims and headers WHEN GET /files THEN never throws or 5xx, and invalid input makes no AWS call', async () => {
    await fc.assert(
      fc.asyncProperty(queryArb, claimsArb, headersArb, async (query, claims, headers) => {
        const { response, calls } = await invoke(listFiles, apiEvent({ query, claims, headers }));
        expectWellFormed(response, calls);
        const limit = query?.limit;
        const limitOk = limit === undefined || (/^[1-9]\d*$/.test(limit) && Number(limit) <= 1000);
        if (!limitOk || !callerOk(claims, headers)) {
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(calls).toBe(0);
        }
        if (response.statusCode === 200) expect(JSON.parse(response.body).identityId).toBe(IDENTITY_ID);
      }),
      RUNS,
    );
  });

  test('GIVEN any body, claims and headers WHEN POST /files/upload-url THEN never throws or 5xx, 200 exactly for valid input, else no AWS call', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, claimsArb, headersArb, async (body, claims, headers) => {
        const { response, calls } = await invoke(createUploadUrl, apiEvent({ method: 'POST', body, claims, headers }));
        expectWellFormed(response, calls);
        let valid = false;
        try {
          const parsed = JSON.parse(body ?? '');
          valid =
            parsed !== null &&
            typeof parsed === 'object' &&
            !Array.isArray(parsed) &&
            Buffer.byteLength(body ?? '') <= 4096 &&
            Object.keys(parsed).every((k) => ['name', 'contentType', 'size'].includes(k)) &&
            nameIsValid(parsed.name) &&
            typeof parsed.contentType === 'string' &&
            ['text/csv', 'application/json'].includes(parsed.contentType.toLowerCase()) &&
            Number.isInteger(parsed.size) &&
            parsed.size >= 1 &&
            parsed.size <= 10485760;
        } catch {
          valid = false;
        }
        valid = valid && callerOk(claims, headers);
        if (!valid) {
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(calls).toBe(0);
        } else {
          expect(response.statusCode).toBe(200);
          const out = JSON.parse(response.body);
          expect(out.key).toBe(`${IDENTITY_ID}/${JSON.parse(body!).name}`);
        }
      }),
      RUNS,
    );
  });

  test('GIVEN any claims and headers WHEN DELETE /me THEN never throws or 5xx, 204 exactly for a valid caller with a user name, else no AWS call', async () => {
    cognitoIdp.reset();
    cognitoIdp.onAnyCommand().resolves({});
    await fc.assert(
      fc.asyncProperty(claimsArb, headersArb, async (claims, headers) => {
        const idpBefore = cognitoIdp.calls().length;
        const { response, calls } = await invoke(deleteMe, apiEvent({ method: 'DELETE', claims, headers }));
        expectWellFormed(response, calls);
        const username = claims?.['cognito:username'];
        const valid = callerOk(claims, headers) && typeof username === 'string' && /^[^\p{Cc}]{1,128}$/u.test(username);
        if (valid) expect(response.statusCode).toBe(204);
        else {
          expect(response.statusCode).toBe(401);
          expect(calls + cognitoIdp.calls().length - idpBefore).toBe(0);
        }
      }),
      RUNS,
    );
  });

  for (const [route, handler] of [
    ['GET /files/{name}', getFile],
    ['DELETE /files/{name}', deleteFile],
  ] as const) {
    test(`GIVEN any path parameter, claims and headers WHEN ${route} THEN never throws or 5xx, 2xx exactly for valid input, else no AWS call`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof({ weight: 9, arbitrary: pathParamArb.map((name) => ({ name })) }, { weight: 1, arbitrary: fc.constant(null) }),
          claimsArb,
          headersArb,
          async (pathParameters, claims, headers) => {
            const { response, calls } = await invoke(handler, apiEvent({ pathParameters, claims, headers }));
            expectWellFormed(response, calls);
            const valid = pathParameters !== null && pathParamIsValid(pathParameters.name) && callerOk(claims, headers);
            if (valid) expect(response.statusCode).toBeLessThan(300);
            else {
              expect(response.statusCode).toBeGreaterThanOrEqual(400);
              expect(calls).toBe(0);
            }
          },
        ),
        RUNS,
      );
    });
  }
});
