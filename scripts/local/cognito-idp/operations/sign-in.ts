/**
 * InitiateAuth and RespondToAuthChallenge: SRP, plain password (when the
 * client allows it), choice-based USER_AUTH, refresh; then the steps of
 * sign-in-steps.ts. GetTokensFromRefreshToken, which rotates refresh tokens.
 */
import { AwsJsonError, requireString, type JsonBody } from '../aws-json';
import { checkPassword } from '../password-policy';
import type { FirstFactor } from '../pool-config';
import { clientFor, findUser, userNotFound, type LocalClient, type PoolContext } from '../pool-context';
import { afterFirstFactor, challenge, complete, emailOtpChallenge, mfaChallenge, mfaStep, totpMatches, type SignInStep } from '../sign-in-steps';
import { loadSrpUser, srpPasswordMatches, startSrp, storeSrpUser, registerSrpUser, verifySrp } from '../srp-server';
import type { StoredUser } from '../user-store';
import { webAuthnChallenge, verifyWebAuthnSignIn } from './webauthn';

const WRONG_PASSWORD = () => new AwsJsonError('NotAuthorizedException', 'Incorrect username or password.');

function requireFlow(client: LocalClient, flow: string, allowedBy: string): void {
  if (!client.explicitAuthFlows.has(allowedBy)) throw new AwsJsonError('InvalidParameterException', `${flow} flow not enabled for this client`);
}

function srpChallenge(ctx: PoolContext, user: StoredUser, client: LocalClient, srpA: unknown): SignInStep {
  if (typeof srpA !== 'string' || !/^[0-9a-fA-F]+$/.test(srpA)) throw new AwsJsonError('InvalidParameterException', 'Missing required parameter SRP_A');
  let started;
  try {
    started = startSrp(loadSrpUser(user.srp), srpA);
  } catch {
    throw new AwsJsonError('InvalidParameterException', 'Invalid SRP_A value.');
  }
  return challenge(ctx, user, client, 'PASSWORD_VERIFIER', started.challengeParameters, { passwordFirstFactor: true, srp: started.session });
}

function knownUser(ctx: PoolContext, client: LocalClient, name: unknown): StoredUser {
  const user = findUser(ctx, name);
  if (!user) throw userNotFound(client);
  return user;
}

/** The first factors USER_AUTH offers this user: PASSWORD also allows PASSWORD_SRP; passkeys only when registered. */
function availableChallenges(ctx: PoolContext, user: StoredUser): string[] {
  const factors = ctx.config.firstFactors;
  const out: string[] = [];
  if (factors.has('PASSWORD')) out.push('PASSWORD', 'PASSWORD_SRP');
  if (factors.has('EMAIL_OTP') && user.attributes.email_verified === 'true') out.push('EMAIL_OTP');
  if (factors.has('WEB_AUTHN') && user.webAuthn.length > 0) out.push('WEB_AUTHN');
  return out;
}

/** Starts the chosen USER_AUTH first factor. */
function startFirstFactor(ctx: PoolContext, user: StoredUser, client: LocalClient, choice: string, params: JsonBody): SignInStep {
  if (!availableChallenges(ctx, user).includes(choice))
    throw new AwsJsonError('InvalidParameterException', `The challenge ${choice} is not available for this user.`);
  switch (choice as FirstFactor | 'PASSWORD_SRP') {
    case 'PASSWORD':
      if (typeof params.PASSWORD !== 'string') throw new AwsJsonError('InvalidParameterException', 'Missing required parameter PASSWORD');
      if (!srpPasswordMatches(ctx.srpPoolName, loadSrpUser(user.srp), params.PASSWORD)) throw WRONG_PASSWORD();
      return afterFirstFactor(ctx, user, client, true);
    case 'PASSWORD_SRP':
      return srpChallenge(ctx, user, client, params.SRP_A);
    case 'EMAIL_OTP':
      if (user.status !== 'CONFIRMED') throw new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');
      return emailOtpChallenge(ctx, user, client, user.attributes.email, false);
    case 'WEB_AUTHN':
      if (user.status !== 'CONFIRMED') throw new AwsJsonError('UserNotConfirmedException', 'User is not confirmed.');
      return webAuthnChallenge(ctx, user, client);
  }
}

export async function initiateAuth(ctx: PoolContext, body: JsonBody): Promise<SignInStep> {
  const flow = requireString(body, 'AuthFlow');
  const params: JsonBody = body.AuthParameters && typeof body.AuthParameters === 'object' ? body.AuthParameters : {};
  const client = clientFor(ctx, body.ClientId, { username: params.USERNAME, secretHash: params.SECRET_HASH });
  if (client.allowedOAuthFlows.includes('client_credentials'))
    throw new AwsJsonError('NotAuthorizedException', 'This client only supports the client_credentials OAuth flow, which the local run does not emulate.');
  switch (flow) {
    case 'USER_SRP_AUTH': {
      requireFlow(client, flow, 'ALLOW_USER_SRP_AUTH');
      return srpChallenge(ctx, knownUser(ctx, client, params.USERNAME), client, params.SRP_A);
    }
    case 'USER_PASSWORD_AUTH': {
      requireFlow(client, flow, 'ALLOW_USER_PASSWORD_AUTH');
      const user = knownUser(ctx, client, params.USERNAME);
      if (typeof params.PASSWORD !== 'string' || !srpPasswordMatches(ctx.srpPoolName, loadSrpUser(user.srp), params.PASSWORD)) throw WRONG_PASSWORD();
      return afterFirstFactor(ctx, user, client, true);
    }
    case 'USER_AUTH': {
      requireFlow(client, flow, 'ALLOW_USER_AUTH');
      const user = knownUser(ctx, client, params.USERNAME);
      if (typeof params.PREFERRED_CHALLENGE === 'string' && availableChallenges(ctx, user).includes(params.PREFERRED_CHALLENGE)) {
        return startFirstFactor(ctx, user, client, params.PREFERRED_CHALLENGE, params);
      }
      const available = availableChallenges(ctx, user);
      return withAvailable(ctx, user, client, available);
    }
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      // With rotation on, Cognito refreshes only through GetTokensFromRefreshToken.
      if (client.refreshTokenRotation.enabled)
        throw new AwsJsonError('NotAuthorizedException', 'Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.');
      const token = params.REFRESH_TOKEN;
      if (typeof token !== 'string') throw new AwsJsonError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
      return { AuthenticationResult: ctx.tokens.refresh(token, client, false, (name) => ctx.users.find(name, false)), ChallengeParameters: {} };
    }
    default:
      throw new AwsJsonError('InvalidParameterException', `AuthFlow ${flow} is not emulated by the local user pool.`);
  }
}

/** SELECT_CHALLENGE: Cognito lists the choices in the response's AvailableChallenges. */
function withAvailable(ctx: PoolContext, user: StoredUser, client: LocalClient, available: string[]): SignInStep & { AvailableChallenges: string[] } {
  const step = challenge(ctx, user, client, 'SELECT_CHALLENGE', {}, { passwordFirstFactor: false, availableChallenges: available });
  return { ...step, AvailableChallenges: available };
}

export async function respondToAuthChallenge(ctx: PoolContext, body: JsonBody): Promise<SignInStep> {
  const name = requireString(body, 'ChallengeName');
  const responses: JsonBody = body.ChallengeResponses && typeof body.ChallengeResponses === 'object' ? body.ChallengeResponses : {};
  const client = clientFor(ctx, body.ClientId, { username: responses.USERNAME, secretHash: responses.SECRET_HASH });
  const token = String(body.Session ?? '');
  const session = ctx.sessions.get(token, client.clientId, name);
  const user = ctx.users.find(session.username, false);
  if (!user) throw userNotFound(client);
  const wrong = (error: AwsJsonError) => {
    ctx.sessions.failed(token, session);
    return error;
  };
  const next = (step: SignInStep) => {
    ctx.sessions.end(token);
    return step;
  };
  switch (name) {
    case 'PASSWORD_VERIFIER': {
      ctx.sessions.end(token);
      if (!session.srp || !verifySrp(ctx.srpPoolName, session.srp, responses)) throw WRONG_PASSWORD();
      return afterFirstFactor(ctx, user, client, true);
    }
    case 'SOFTWARE_TOKEN_MFA': {
      if (!user.totp?.verified || !totpMatches(user.totp.secret, responses.SOFTWARE_TOKEN_MFA_CODE))
        throw wrong(new AwsJsonError('CodeMismatchException', 'Invalid code received for user'));
      return next(complete(ctx, user, client));
    }
    case 'EMAIL_OTP': {
      if (!session.emailCode || responses.EMAIL_OTP_CODE !== session.emailCode)
        throw wrong(new AwsJsonError('CodeMismatchException', 'Invalid code received for user'));
      if (session.mfaSetupEmail) {
        ctx.users.change(user, (u) => {
          u.attributes.email = session.mfaSetupEmail!;
          u.attributes.email_verified = 'true';
          u.mfa.email = true;
        });
      }
      return next(complete(ctx, user, client));
    }
    case 'SELECT_MFA_TYPE': {
      const answer = responses.ANSWER;
      if (!session.mfaCanChoose?.includes(answer))
        throw new AwsJsonError('InvalidParameterException', `ANSWER must be one of ${JSON.stringify(session.mfaCanChoose)}`);
      return next(mfaChallenge(ctx, user, client, answer, session.passwordFirstFactor));
    }
    case 'MFA_SETUP': {
      if (session.mfaSetupSecret?.verified) {
        const secret = session.mfaSetupSecret;
        ctx.users.change(user, (u) => {
          u.totp = { secret: secret.secret, verified: true, friendlyName: secret.friendlyName };
          u.mfa.totp = true;
          u.mfa.preferred ??= 'SOFTWARE_TOKEN_MFA';
        });
        return next(complete(ctx, user, client));
      }
      if (typeof responses.EMAIL === 'string' && ctx.config.enabledMfas.has('EMAIL_OTP')) {
        return next(emailOtpChallenge(ctx, user, client, responses.EMAIL, session.passwordFirstFactor, responses.EMAIL));
      }
      throw new AwsJsonError(
        'InvalidParameterException',
        'MFA_SETUP needs a verified software token (AssociateSoftwareToken, VerifySoftwareToken) or an EMAIL.',
      );
    }
    case 'NEW_PASSWORD_REQUIRED': {
      if (typeof responses.NEW_PASSWORD !== 'string') throw new AwsJsonError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
      checkPassword(ctx.config.passwordPolicy, responses.NEW_PASSWORD);
      ctx.users.change(user, (u) => {
        u.passwordHistory = [u.srp, ...u.passwordHistory].slice(0, Math.max(ctx.config.passwordPolicy.passwordHistorySize - 1, 0));
        u.srp = storeSrpUser(registerSrpUser(ctx.srpPoolName, u.username, responses.NEW_PASSWORD));
        u.status = 'CONFIRMED';
      });
      return next(mfaStep(ctx, user, client, session.passwordFirstFactor));
    }
    case 'SELECT_CHALLENGE': {
      const answer = String(responses.ANSWER ?? '');
      if (!session.availableChallenges?.includes(answer))
        throw new AwsJsonError('InvalidParameterException', `ANSWER must be one of ${JSON.stringify(session.availableChallenges)}`);
      ctx.sessions.end(token);
      return startFirstFactor(ctx, user, client, answer, responses);
    }
    case 'WEB_AUTHN': {
      const ok = await verifyWebAuthnSignIn(ctx, user, session, responses.CREDENTIAL);
      if (!ok) throw wrong(new AwsJsonError('NotAuthorizedException', 'Incorrect username or passkey.'));
      return next(complete(ctx, user, client));
    }
    default:
      throw new AwsJsonError('InvalidParameterException', `ChallengeName ${name} is not emulated by the local user pool.`);
  }
}

export async function getTokensFromRefreshToken(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const token = requireString(body, 'RefreshToken');
  const client = clientFor(ctx, body.ClientId, { clientSecret: body.ClientSecret ?? null });
  return { AuthenticationResult: ctx.tokens.refresh(token, client, client.refreshTokenRotation.enabled, (name) => ctx.users.find(name, false)) };
}
