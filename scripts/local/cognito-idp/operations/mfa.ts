/**
 * TOTP enrolment (AssociateSoftwareToken, VerifySoftwareToken) for a
 * signed-in user (AccessToken) or during the MFA_SETUP challenge (Session),
 * and SetUserMFAPreference.
 */
import { randomBytes } from 'node:crypto';
import { AwsJsonError, requireString, type JsonBody } from '../aws-json';
import { userOfAccessToken, type PoolContext } from '../pool-context';
import { totpMatches } from '../sign-in-steps';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A 160-bit secret in RFC 4648 base32, as Cognito's SecretCode. */
function newTotpSecret(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function requireTotpEnabled(ctx: PoolContext): void {
  if (!ctx.config.enabledMfas.has('SOFTWARE_TOKEN_MFA') || ctx.config.mfa === 'OFF')
    throw new AwsJsonError('SoftwareTokenMFANotFoundException', 'Software Token MFA has not been enabled by the userPool.');
}

/** The MFA_SETUP session a Session-based call continues (any client's). */
function setupSession(ctx: PoolContext, token: unknown) {
  for (const clientId of ctx.clients.keys()) {
    try {
      return ctx.sessions.get(token, clientId, 'MFA_SETUP');
    } catch {
      // another client's or no session
    }
  }
  throw new AwsJsonError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
}

export async function associateSoftwareToken(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  requireTotpEnabled(ctx);
  const secret = newTotpSecret();
  if (body.Session !== undefined && body.AccessToken === undefined) {
    const session = setupSession(ctx, body.Session);
    session.mfaSetupSecret = { secret, verified: false };
    return { SecretCode: secret, Session: body.Session };
  }
  const { user } = userOfAccessToken(ctx, body);
  ctx.users.change(user, (u) => {
    u.totp = u.totp?.verified ? { ...u.totp, pending: secret } : { secret, verified: false };
  });
  return { SecretCode: secret };
}

export async function verifySoftwareToken(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  requireTotpEnabled(ctx);
  const code = requireString(body, 'UserCode');
  const friendlyName = typeof body.FriendlyDeviceName === 'string' ? body.FriendlyDeviceName : undefined;
  const mismatch = () => new AwsJsonError('EnableSoftwareTokenMFAException', 'Code mismatch');
  if (body.Session !== undefined && body.AccessToken === undefined) {
    const session = setupSession(ctx, body.Session);
    if (!session.mfaSetupSecret) throw new AwsJsonError('InvalidParameterException', 'Call AssociateSoftwareToken first.');
    if (!totpMatches(session.mfaSetupSecret.secret, code)) throw mismatch();
    session.mfaSetupSecret = { ...session.mfaSetupSecret, verified: true, friendlyName };
    return { Status: 'SUCCESS', Session: body.Session };
  }
  const { user } = userOfAccessToken(ctx, body);
  const pending = user.totp?.pending ?? (user.totp && !user.totp.verified ? user.totp.secret : undefined);
  if (!pending) throw new AwsJsonError('InvalidParameterException', 'Call AssociateSoftwareToken first.');
  if (!totpMatches(pending, code)) throw mismatch();
  ctx.users.change(user, (u) => {
    u.totp = { secret: pending, verified: true, friendlyName };
  });
  return { Status: 'SUCCESS' };
}

export async function setUserMfaPreference(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  if (body.SMSMfaSettings?.Enabled === true) throw new AwsJsonError('InvalidParameterException', 'SMS MFA is not emulated by the local user pool.');
  const totp = body.SoftwareTokenMfaSettings;
  const email = body.EmailMfaSettings;
  if (totp?.Enabled === true) {
    requireTotpEnabled(ctx);
    if (!user.totp?.verified) throw new AwsJsonError('InvalidParameterException', 'User has not verified software token mfa');
  }
  if (email?.Enabled === true) {
    if (!ctx.config.enabledMfas.has('EMAIL_OTP') || ctx.config.mfa === 'OFF')
      throw new AwsJsonError('InvalidParameterException', 'Email MFA is not enabled for this user pool.');
    if (user.attributes.email_verified !== 'true') throw new AwsJsonError('InvalidParameterException', 'User does not have a verified email address.');
  }
  ctx.users.change(user, (u) => {
    if (totp) {
      u.mfa.totp = totp.Enabled === true;
      if (totp.PreferredMfa === true) u.mfa.preferred = 'SOFTWARE_TOKEN_MFA';
      else if (u.mfa.preferred === 'SOFTWARE_TOKEN_MFA' && (totp.Enabled === false || totp.PreferredMfa === false)) delete u.mfa.preferred;
    }
    if (email) {
      u.mfa.email = email.Enabled === true;
      if (email.PreferredMfa === true) u.mfa.preferred = 'EMAIL_OTP';
      else if (u.mfa.preferred === 'EMAIL_OTP' && (email.Enabled === false || email.PreferredMfa === false)) delete u.mfa.preferred;
    }
  });
  return {};
}
