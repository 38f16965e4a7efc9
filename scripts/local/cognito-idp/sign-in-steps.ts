/**
 * What follows a verified first factor: a new password for admin-created
 * users, then MFA as the pool and the user configure it (setup, selection,
 * TOTP or email code), then tokens. Each step answers like Cognito:
 * `{ ChallengeName, ChallengeParameters, Session }` or `{ AuthenticationResult }`.
 */
import { base32Decode, totp } from '../../smoke/totp';
import { AwsJsonError } from './aws-json';
import { mailCode, maskEmail } from './messages';
import type { MfaType } from './pool-config';
import { attributeList, type LocalClient, type PoolContext } from './pool-context';
import type { AuthSession } from './auth-sessions';
import type { StoredUser } from './user-store';

export type SignInStep =
  | { ChallengeName: string; ChallengeParameters: Record<string, string>; Session: string }
  | { AuthenticationResult: unknown; ChallengeParameters: Record<string, string> };

/** The email MFA / one-time-password message (Cognito's default wording). */
const EMAIL_OTP_SUBJECT = 'Your sign-in code';
const EMAIL_OTP_MESSAGE = 'Your authentication code is {####}. ';

export function challenge(
  ctx: PoolContext,
  user: StoredUser,
  client: LocalClient,
  name: string,
  parameters: Record<string, string>,
  extra: Partial<Omit<AuthSession, 'username' | 'clientId' | 'challenge' | 'failedAttempts'>> & { passwordFirstFactor: boolean },
): SignInStep {
  const session = ctx.sessions.start({ username: user.username, clientId: client.clientId, challenge: name, ...extra }, client.authSessionSeconds);
  return { ChallengeName: name, ChallengeParameters: { USERNAME: user.username, ...parameters }, Session: session };
}

export function complete(ctx: PoolContext, user: StoredUser, client: LocalClient): SignInStep {
  return { AuthenticationResult: ctx.tokens.signIn(user, client), ChallengeParameters: {} };
}

/**
 * The MFA factors this user has that the pool allows. Where MFA is required,
 * a verified email address counts as email MFA without any setup, as in Cognito.
 */
export function userMfaTypes(ctx: PoolContext, user: StoredUser): MfaType[] {
  const types: MfaType[] = [];
  if (ctx.config.enabledMfas.has('SOFTWARE_TOKEN_MFA') && user.mfa.totp && user.totp?.verified) types.push('SOFTWARE_TOKEN_MFA');
  const emailByDefault = ctx.config.mfa === 'ON' && user.attributes.email_verified === 'true';
  if (ctx.config.enabledMfas.has('EMAIL_OTP') && user.attributes.email && (user.mfa.email || emailByDefault)) types.push('EMAIL_OTP');
  return types;
}

/** After a first factor: status checks, new password, MFA, tokens. */
export function afterFirstFactor(ctx: PoolContext, user: StoredUser, client: LocalClient, passwordFirstFactor: boolean): SignInStep {
  if (!user.enabled) throw new AwsJsonError('NotAuthorizedException', 'User is disabled.');
  if (user.status === 'UNCONFIRMED') throw new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new AwsJsonError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const writable = attributeList(user).filter((a) => !['sub', 'email_verified'].includes(a.Name));
    return challenge(
      ctx,
      user,
      client,
      'NEW_PASSWORD_REQUIRED',
      { userAttributes: JSON.stringify(Object.fromEntries(writable.map((a) => [a.Name, a.Value]))), requiredAttributes: '[]' },
      { passwordFirstFactor },
    );
  }
  return mfaStep(ctx, user, client, passwordFirstFactor);
}

/** MFA only follows a password; passwordless first factors (email code, passkey) are complete on their own. */
export function mfaStep(ctx: PoolContext, user: StoredUser, client: LocalClient, passwordFirstFactor: boolean): SignInStep {
  if (!passwordFirstFactor || ctx.config.mfa === 'OFF') return complete(ctx, user, client);
  const types = userMfaTypes(ctx, user);
  if (types.length === 0) {
    if (ctx.config.mfa === 'OPTIONAL') return complete(ctx, user, client);
    return challenge(ctx, user, client, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify([...ctx.config.enabledMfas]) }, { passwordFirstFactor });
  }
  const chosen = types.length === 1 ? types[0] : types.find((t) => t === user.mfa.preferred);
  if (!chosen) return challenge(ctx, user, client, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(types) }, { passwordFirstFactor, mfaCanChoose: types });
  return mfaChallenge(ctx, user, client, chosen, passwordFirstFactor);
}

export function mfaChallenge(ctx: PoolContext, user: StoredUser, client: LocalClient, type: MfaType, passwordFirstFactor: boolean): SignInStep {
  if (type === 'SOFTWARE_TOKEN_MFA')
    return challenge(ctx, user, client, 'SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: user.totp?.friendlyName ?? 'TOTP device' }, { passwordFirstFactor });
  return emailOtpChallenge(ctx, user, client, user.attributes.email, passwordFirstFactor);
}

export function emailOtpChallenge(
  ctx: PoolContext,
  user: StoredUser,
  client: LocalClient,
  to: string,
  passwordFirstFactor: boolean,
  mfaSetupEmail?: string,
): SignInStep {
  const { stored } = mailCode(ctx.mailbox, to, EMAIL_OTP_SUBJECT, EMAIL_OTP_MESSAGE, client.authSessionSeconds);
  return challenge(
    ctx,
    user,
    client,
    'EMAIL_OTP',
    { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: maskEmail(to) },
    { passwordFirstFactor, emailCode: stored.code, mfaSetupEmail },
  );
}

/** RFC 6238 with one step of clock skew either way, as authenticator apps need. */
export function totpMatches(secretBase32: string, code: unknown): boolean {
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) return false;
  const secret = base32Decode(secretBase32);
  const now = Date.now();
  return [-30_000, 0, 30_000].some((skew) => totp(secret, now + skew) === code);
}
