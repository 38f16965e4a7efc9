/**
 * The nine steps of the smoke test, in the order a real client goes:
 * admin-created user → SRP sign-in → identity pool credentials → S3 under the
 * own prefix (and denied elsewhere) → the REST API.
 */
import { GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { ApiClient, describeResponse, type UploadUrl } from './api-client';
import type { SmokeContext } from './smoke-context';
import { describeError, StepFailure, type Step } from './step-runner';

export const CSV_CONTENT_TYPE = 'text/csv';
export const CSV_BODY = 'id,check\n1,cognito-access smoke test\n';
/** A PNG signature and a few bytes: what the checker must refuse as `not_csv`. */
export const NOT_CSV_BODY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const STATUS_POLL_MS = 3000;

export const SMOKE_STEPS: readonly Step<SmokeContext>[] = [
  {
    title: 'Create a throwaway user (admin API)',
    needs: [],
    run: async (ctx) => {
      const { target, deps, newUser } = ctx;
      const created = await deps.cognitoIdp.send(
        new AdminCreateUserCommand({
          UserPoolId: target.userPoolId,
          Username: newUser.email,
          // Left unverified on purpose: on a stage that requires MFA, an unverified
          // email takes EMAIL_OTP out of the picture, so Cognito offers TOTP setup,
          // which the SRP sign-in can answer. Sign-in uses Cognito's own username.
          // With email-code sign-in the address is a real test inbox and must count as verified.
          UserAttributes: [{ Name: 'email', Value: newUser.email }, ...(deps.signInMethod === 'emailOtp' ? [{ Name: 'email_verified', Value: 'true' }] : [])],
          MessageAction: 'SUPPRESS',
        }),
      );
      // The pool signs in by email, so Cognito names the user itself; use its name from here on.
      ctx.username = created.User?.Username ?? newUser.email;
      await deps.cognitoIdp.send(
        new AdminSetUserPasswordCommand({ UserPoolId: target.userPoolId, Username: ctx.username, Password: newUser.password, Permanent: true }),
      );
      return newUser.email;
    },
  },
  {
    title: 'Sign in (SRP, or an email code)',
    needs: [1],
    run: async (ctx) => {
      const { target, deps, newUser } = ctx;
      const tokens = await deps.signIn({
        userPoolId: target.userPoolId,
        clientId: target.userPoolClientId,
        username: ctx.username ?? newUser.email,
        password: newUser.password,
        email: newUser.email,
      });
      const claims = jwtClaims(tokens.idToken);
      if (claims.token_use !== 'id' || typeof claims.sub !== 'string') throw new StepFailure('the sign-in returned no usable ID token');
      ctx.tokens = tokens;
      ctx.userSub = claims.sub;
      return `ID token for user pool sub ${claims.sub}`;
    },
  },
  {
    title: 'Get identity pool credentials for the ID token',
    needs: [2],
    run: async (ctx) => {
      const { target, deps } = ctx;
      const logins = { [`cognito-idp.${target.region}.amazonaws.com/${target.userPoolId}`]: ctx.tokens!.idToken };
      const { IdentityId } = await deps.cognitoIdentity.send(new GetIdCommand({ IdentityPoolId: target.identityPoolId, Logins: logins }));
      if (!IdentityId) throw new StepFailure('GetId returned no IdentityId');
      ctx.identityId = IdentityId;
      const { Credentials } = await deps.cognitoIdentity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
      if (!Credentials?.AccessKeyId || !Credentials.SecretKey) throw new StepFailure('GetCredentialsForIdentity returned no credentials');
      ctx.userS3 = deps.s3For({
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretKey,
        sessionToken: Credentials.SessionToken,
        expiration: Credentials.Expiration,
      });
      return `identityId ${IdentityId} (the S3 prefix; not the user pool sub)`;
    },
  },
  {
    title: "Put a CSV under the user's own prefix <identityId>/",
    needs: [3],
    run: async (ctx) => {
      const key = `${ctx.identityId}/smoke-${ctx.runId}.csv`;
      await ctx.userS3!.send(new PutObjectCommand({ Bucket: ctx.target.bucketName, Key: key, Body: CSV_BODY, ContentType: CSV_CONTENT_TYPE }));
      ctx.createdKeys.add(key);
      ctx.ownKey = key;
      return `s3://${ctx.target.bucketName}/${key}`;
    },
  },
  {
    title: 'Put under not-permissions/ and under another identity (must be denied)',
    needs: [3],
    run: async (ctx) => {
      const otherIdentity = `${ctx.target.region}:${randomUUID()}`;
      const keys = [`not-permissions/smoke-${ctx.runId}.csv`, `${otherIdentity}/smoke-${ctx.runId}.csv`];
      const problems: string[] = [];
      for (const key of keys) {
        try {
          await ctx.userS3!.send(new PutObjectCommand({ Bucket: ctx.target.bucketName, Key: key, Body: CSV_BODY, ContentType: CSV_CONTENT_TYPE }));
          // The write went through: the policy is too wide. Remember the object so cleanup removes it.
          ctx.createdKeys.add(key);
          problems.push(`${key} was ALLOWED`);
        } catch (error) {
          if (!isAccessDenied(error)) problems.push(`${key}: expected AccessDenied, got ${describeError(error)}`);
        }
      }
      if (problems.length > 0) throw new StepFailure(problems.join('; '));
      return `AccessDenied for ${keys.map((k) => k.slice(0, k.indexOf('/') + 1)).join(' and ')}`;
    },
  },
  {
    title: "List the user's own prefix",
    needs: [3],
    run: async (ctx) => {
      const prefix = `${ctx.identityId}/`;
      const listed = await ctx.userS3!.send(new ListObjectsV2Command({ Bucket: ctx.target.bucketName, Prefix: prefix }));
      const keys = (listed.Contents ?? []).map((o) => o.Key);
      if (ctx.ownKey && !keys.includes(ctx.ownKey)) throw new StepFailure(`${ctx.ownKey} missing from the listing of ${prefix}`);
      return `${keys.length} object${keys.length === 1 ? '' : 's'} under ${prefix}`;
    },
  },
  {
    title: 'GET /me with the ID token (200) and without it (401)',
    needs: [2],
    run: async (ctx) => {
      const api = apiOf(ctx);
      const problems: string[] = [];
      const me = await api.call('GET', 'me', ctx.tokens!.idToken);
      if (me.status !== 200) problems.push(`with token: expected 200, got ${describeResponse(me)}`);
      else if (me.body?.sub !== ctx.userSub) problems.push(`with token: sub ${JSON.stringify(me.body?.sub)} is not the ID token's ${ctx.userSub}`);
      const anonymous = await api.call('GET', 'me');
      if (anonymous.status !== 401) problems.push(`without token: expected 401, got ${describeResponse(anonymous)}`);
      if (problems.length > 0) throw new StepFailure(problems.join('; '));
      return '200 with matching sub; 401 without a token';
    },
  },
  {
    title: 'Upload a CSV through POST /files/upload-url and see it in GET /files',
    // Needs the identity step: the returned key is checked against <identityId>/ before anything is posted.
    needs: [2, 3],
    run: async (ctx) => {
      const api = apiOf(ctx);
      const token = ctx.tokens!.idToken;
      const name = `smoke-${ctx.runId}-api.csv`;
      const size = Buffer.byteLength(CSV_BODY);
      const issued = await api.call('POST', 'files/upload-url', token, { name, contentType: CSV_CONTENT_TYPE, size });
      if (issued.status !== 200) throw new StepFailure(`upload-url: expected 200, got ${describeResponse(issued)}`);
      const upload = issued.body as UploadUrl;
      if (typeof upload?.url !== 'string' || typeof upload.key !== 'string' || typeof upload.fields !== 'object') {
        throw new StepFailure('upload-url: the answer lacks url, fields or key');
      }
      if (!ctx.identityId || upload.key !== `${ctx.identityId}/${name}`) {
        throw new StepFailure(`upload-url: key ${upload.key} is not under the caller's identity ${ctx.identityId}/`);
      }
      ctx.apiFile = { name, key: upload.key };
      const posted = await api.postToPresignedUrl(upload, CSV_BODY, CSV_CONTENT_TYPE, name);
      if (posted < 200 || posted > 299) throw new StepFailure(`presigned POST: expected 2xx, got ${posted}`);
      ctx.createdKeys.add(upload.key);

      const listed = await api.call('GET', 'files', token);
      if (listed.status !== 200) throw new StepFailure(`GET /files: expected 200, got ${describeResponse(listed)}`);
      const files: Array<{ name?: string }> = Array.isArray(listed.body?.files) ? listed.body.files : [];
      if (!files.some((f) => f.name === name)) throw new StepFailure(`GET /files does not list ${name}`);
      if (ctx.identityId && listed.body.identityId !== ctx.identityId) {
        throw new StepFailure(`GET /files: identityId ${listed.body.identityId} is not ${ctx.identityId}`);
      }
      return `${name} uploaded (${size} bytes) and listed`;
    },
  },
  {
    title: 'DELETE /files/{name}',
    needs: [8],
    run: async (ctx) => {
      const { name, key } = ctx.apiFile!;
      const deleted = await apiOf(ctx).call('DELETE', `files/${encodeURIComponent(name)}`, ctx.tokens!.idToken);
      if (deleted.status !== 204) throw new StepFailure(`expected 204, got ${describeResponse(deleted)}`);
      ctx.createdKeys.delete(key);
      return `${name} deleted (204)`;
    },
  },
  {
    title: 'The CSV put straight to S3 (step 4) is checked on the server and accepted',
    needs: [2, 4],
    run: async (ctx) => {
      const name = ctx.ownKey!.slice(ctx.ownKey!.indexOf('/') + 1);
      const result = await awaitCheck(ctx, name);
      if (result.status !== 'accepted') throw new StepFailure(`expected accepted, got ${JSON.stringify(result)}`);
      if (result.rows !== 1 || result.columns !== 2) throw new StepFailure(`expected 1 row and 2 columns, got ${result.rows} and ${result.columns}`);
      return `${name} accepted: ${result.rows} row, ${result.columns} columns`;
    },
  },
  {
    title: 'A file that is not CSV, put straight to S3, is rejected and removed',
    needs: [2, 3],
    run: async (ctx) => {
      const name = `smoke-${ctx.runId}-not-csv.csv`;
      const key = `${ctx.identityId}/${name}`;
      // The identity's own credentials may write any bytes here; only the server-side check stops them.
      await ctx.userS3!.send(new PutObjectCommand({ Bucket: ctx.target.bucketName, Key: key, Body: NOT_CSV_BODY, ContentType: CSV_CONTENT_TYPE }));
      ctx.createdKeys.add(key);
      const result = await awaitCheck(ctx, name);
      if (result.status !== 'rejected' || result.reason !== 'not_csv') throw new StepFailure(`expected rejected not_csv, got ${JSON.stringify(result)}`);
      const listed = await ctx.userS3!.send(new ListObjectsV2Command({ Bucket: ctx.target.bucketName, Prefix: key }));
      if ((listed.Contents ?? []).some((o) => o.Key === key)) throw new StepFailure(`${key} was rejected but is still in the bucket`);
      return `${name} rejected (not_csv) and gone from ${ctx.identityId}/`;
    },
  },
];

/** The check result of one of the caller's files, polled through the API until it is no longer pending. */
async function awaitCheck(ctx: SmokeContext, name: string): Promise<{ status?: string; reason?: string; rows?: number; columns?: number }> {
  const api = apiOf(ctx);
  const wait = ctx.deps.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const polls = Math.max(1, Math.ceil((ctx.deps.checkTimeoutMs ?? 120_000) / STATUS_POLL_MS));
  for (let poll = 0; poll < polls; poll++) {
    const answer = await api.call('GET', `files/${encodeURIComponent(name)}/status`, ctx.tokens!.idToken);
    if (answer.status !== 200) throw new StepFailure(`GET /files/${name}/status: expected 200, got ${describeResponse(answer)}`);
    if (answer.body?.status !== 'pending') return answer.body;
    await wait(STATUS_POLL_MS);
  }
  throw new StepFailure(
    `${name} was still pending after ${Math.round((ctx.deps.checkTimeoutMs ?? 120_000) / 1000)} s: is the upload check running (queue, dead-letter queue)?`,
  );
}

function apiOf(ctx: SmokeContext): ApiClient {
  return new ApiClient(ctx.deps.fetch, ctx.target.apiUrl);
}

/** The claims of a JWT, unverified: the API verifies; we only read `sub`. */
export function jwtClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

/** S3 reports a policy denial as `AccessDenied` (HTTP 403). */
export function isAccessDenied(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.name === 'AccessDenied' || e?.Code === 'AccessDenied' || e?.$metadata?.httpStatusCode === 403;
}
