/**
 * Passkeys: registration (StartWebAuthnRegistration / CompleteWebAuthnRegistration),
 * listing and deletion, and the WEB_AUTHN sign-in challenge, verified with
 * @simplewebauthn/server against the pool's WebAuthnRelyingPartyID and the
 * local web app's origin.
 */
import { randomBytes } from 'node:crypto';
import { generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { AwsJsonError, requireString, type JsonBody } from '../aws-json';
import type { AuthSession } from '../auth-sessions';
import { userOfAccessToken, type LocalClient, type PoolContext } from '../pool-context';
import { challenge, type SignInStep } from '../sign-in-steps';
import type { StoredUser } from '../user-store';

const TIMEOUT_MS = 180_000;

/** Registration challenges in flight, by username (one at a time, as Cognito). */
const pendingRegistrations = new WeakMap<PoolContext, Map<string, { challenge: string; expiresAt: number }>>();

function relyingPartyId(ctx: PoolContext): string {
  return ctx.config.webAuthn.relyingPartyId ?? new URL(ctx.webOrigin).hostname;
}

function requirePasskeys(ctx: PoolContext): void {
  if (!ctx.config.firstFactors.has('WEB_AUTHN')) throw new AwsJsonError('WebAuthnNotEnabledException', 'Passkey sign-in is not enabled for this user pool.');
}

export async function startWebAuthnRegistration(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  requirePasskeys(ctx);
  const { user } = userOfAccessToken(ctx, body);
  const options = await generateRegistrationOptions({
    rpName: ctx.config.name,
    rpID: relyingPartyId(ctx),
    userName: user.attributes.email ?? user.username,
    userID: new Uint8Array(Buffer.from(user.sub)),
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: user.webAuthn.map((c) => ({ id: c.credentialId, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: ctx.config.webAuthn.userVerification },
  });
  let pending = pendingRegistrations.get(ctx);
  if (!pending) pendingRegistrations.set(ctx, (pending = new Map()));
  pending.set(user.username, { challenge: options.challenge, expiresAt: Date.now() + TIMEOUT_MS });
  return { CredentialCreationOptions: options };
}

export async function completeWebAuthnRegistration(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  requirePasskeys(ctx);
  const { user } = userOfAccessToken(ctx, body);
  const pending = pendingRegistrations.get(ctx)?.get(user.username);
  if (!pending || pending.expiresAt <= Date.now())
    throw new AwsJsonError('WebAuthnChallengeNotFoundException', 'No passkey registration is in progress for this user.');
  pendingRegistrations.get(ctx)?.delete(user.username);
  let result;
  try {
    result = await verifyRegistrationResponse({
      response: body.Credential,
      expectedChallenge: pending.challenge,
      expectedOrigin: ctx.webOrigin,
      expectedRPID: relyingPartyId(ctx),
      requireUserVerification: ctx.config.webAuthn.userVerification === 'required',
    });
  } catch (error) {
    throw new AwsJsonError('WebAuthnClientMismatchException', `The passkey registration did not verify: ${(error as Error).message}`);
  }
  if (!result.verified) throw new AwsJsonError('WebAuthnClientMismatchException', 'The passkey registration did not verify.');
  const { credential } = result.registrationInfo;
  ctx.users.change(user, (u) => {
    u.webAuthn.push({
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports,
      relyingPartyId: relyingPartyId(ctx),
      createdAt: new Date().toISOString(),
      authenticatorAttachment: body.Credential?.authenticatorAttachment,
    });
  });
  return {};
}

export async function listWebAuthnCredentials(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  return {
    Credentials: user.webAuthn.map((c) => ({
      CredentialId: c.credentialId,
      FriendlyCredentialName: c.friendlyName ?? 'Passkey',
      RelyingPartyId: c.relyingPartyId,
      AuthenticatorAttachment: c.authenticatorAttachment,
      AuthenticatorTransports: c.transports ?? [],
      CreatedAt: Date.parse(c.createdAt) / 1000,
    })),
  };
}

export async function deleteWebAuthnCredential(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  const id = requireString(body, 'CredentialId');
  if (!user.webAuthn.some((c) => c.credentialId === id)) throw new AwsJsonError('ResourceNotFoundException', 'Credential not found.');
  ctx.users.change(user, (u) => {
    u.webAuthn = u.webAuthn.filter((c) => c.credentialId !== id);
  });
  return {};
}

/** The WEB_AUTHN challenge: request options limited to the user's passkeys. */
export function webAuthnChallenge(ctx: PoolContext, user: StoredUser, client: LocalClient): SignInStep {
  const nonce = randomBytes(32).toString('base64url');
  const options = {
    challenge: nonce,
    timeout: TIMEOUT_MS,
    rpId: relyingPartyId(ctx),
    allowCredentials: user.webAuthn.map((c) => ({ id: c.credentialId, type: 'public-key', transports: c.transports })),
    userVerification: ctx.config.webAuthn.userVerification,
  };
  return challenge(
    ctx,
    user,
    client,
    'WEB_AUTHN',
    { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
    { passwordFirstFactor: false, webAuthnChallenge: nonce },
  );
}

export async function verifyWebAuthnSignIn(ctx: PoolContext, user: StoredUser, session: AuthSession, credentialJson: unknown): Promise<boolean> {
  let response;
  try {
    response = typeof credentialJson === 'string' ? JSON.parse(credentialJson) : credentialJson;
  } catch {
    return false;
  }
  const stored = user.webAuthn.find((c) => c.credentialId === response?.id);
  if (!stored || !session.webAuthnChallenge) return false;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: session.webAuthnChallenge,
      expectedOrigin: ctx.webOrigin,
      expectedRPID: relyingPartyId(ctx),
      credential: {
        id: stored.credentialId,
        publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
        counter: stored.counter,
        transports: stored.transports,
      },
      requireUserVerification: ctx.config.webAuthn.userVerification === 'required',
    });
    if (!result.verified) return false;
    ctx.users.change(user, (u) => {
      const c = u.webAuthn.find((x) => x.credentialId === stored.credentialId);
      if (c) c.counter = result.authenticationInfo.newCounter;
    });
    return true;
  } catch {
    return false;
  }
}
