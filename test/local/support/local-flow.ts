/**
 * The user's whole path through a running local stage, with the real client
 * libraries, as the end-to-end test and a manual check both drive it: sign up,
 * read the code from the mailbox, confirm, SRP sign-in, identity credentials,
 * S3 under the own prefix, the upload check, the API.
 */
import { GetCredentialsForIdentityCommand, GetIdCommand, CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { LocalEndpoints } from '../../../scripts/local/local-endpoints';
import { srpSignIn, type SignInTokens } from '../../../scripts/smoke/srp-sign-in';

export interface SignedInUser {
  readonly email: string;
  readonly password: string;
  readonly tokens: SignInTokens;
  readonly identityId: string;
  readonly s3: S3Client;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export function newEmail(): string {
  return `local-${randomBytes(4).toString('hex')}@example.com`;
}

export function strongPassword(): string {
  return `Aa1!${randomBytes(18).toString('base64url')}`;
}

/** The newest code the mailbox holds for `to`, polled briefly (the message may still be on its way). */
export async function codeFromMailbox(endpoints: LocalEndpoints, to: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = (await (await fetch(`${endpoints.mailbox}?to=${encodeURIComponent(to)}`)).json()) as Array<{ code?: string }>;
    const code = messages.filter((m) => m.code).pop()?.code;
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no code in the mailbox for ${to}`);
}

export async function signUpAndSignIn(endpoints: LocalEndpoints, email = newEmail(), password = strongPassword()): Promise<SignedInUser> {
  const idp = new CognitoIdentityProviderClient({
    region: endpoints.region,
    endpoint: endpoints.endpoints.cognitoIdp,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  await idp.send(
    new SignUpCommand({ ClientId: endpoints.userPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
  );
  const code = await codeFromMailbox(endpoints, email);
  await idp.send(new ConfirmSignUpCommand({ ClientId: endpoints.userPoolClientId, Username: email, ConfirmationCode: code }));
  idp.destroy();
  const tokens = await srpSignIn({
    userPoolId: endpoints.userPoolId,
    clientId: endpoints.userPoolClientId,
    username: email,
    password,
    endpoint: endpoints.endpoints.cognitoIdp,
  });
  const identity = new CognitoIdentityClient({
    region: endpoints.region,
    endpoint: endpoints.endpoints.cognitoIdentity,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  const logins = { [`cognito-idp.${endpoints.region}.amazonaws.com/${endpoints.userPoolId}`]: tokens.idToken };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: endpoints.identityPoolId, Logins: logins }));
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  identity.destroy();
  const credentials = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretKey!, sessionToken: Credentials!.SessionToken! };
  return {
    email,
    password,
    tokens,
    identityId: IdentityId!,
    credentials,
    s3: new S3Client({ region: endpoints.region, endpoint: endpoints.endpoints.s3, forcePathStyle: true, credentials, maxAttempts: 1 }),
  };
}

/** The API's check status of one of the caller's files, polled until it is no longer pending. */
export async function awaitStatus(endpoints: LocalEndpoints, idToken: string, name: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${endpoints.api}files/${encodeURIComponent(name)}/status`, { headers: { Authorization: idToken } });
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status === 200 && body.status !== 'pending') return body;
    if (response.status !== 200 && response.status !== 404) throw new Error(`status of ${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
    if (Date.now() > deadline) throw new Error(`${name} still ${JSON.stringify(body)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
