/** The signed-in user's own account: GetUser, sign-out, revocation, deletion and passwords. */
import { AwsJsonError, requireString, type JsonBody } from '../aws-json';
import { checkCode, CODE_LIFETIME_SECONDS, mailCode, pretendedDelivery } from '../messages';
import { checkPassword } from '../password-policy';
import { attributeList, clientFor, findUser, userOfAccessToken, type PoolContext } from '../pool-context';
import { userMfaTypes } from '../sign-in-steps';
import { loadSrpUser, registerSrpUser, srpPasswordMatches, storeSrpUser } from '../srp-server';
import { postConfirmation } from '../triggers';
import type { StoredUser } from '../user-store';

export async function getUser(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  const mfa = userMfaTypes(ctx, user);
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    ...(mfa.length > 0
      ? { UserMFASettingList: mfa, ...(user.mfa.preferred && mfa.includes(user.mfa.preferred) ? { PreferredMfaSetting: user.mfa.preferred } : {}) }
      : {}),
  };
}

export async function globalSignOut(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  ctx.tokens.revokeAll(user.username);
  return {};
}

export async function revokeToken(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const token = requireString(body, 'Token');
  const client = clientFor(ctx, body.ClientId, { clientSecret: body.ClientSecret ?? null });
  if (!client.enableTokenRevocation) throw new AwsJsonError('UnsupportedOperationException', 'Token revocation is not enabled for this client.');
  if (token.split('.').length === 3) throw new AwsJsonError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  ctx.tokens.revokeRefreshToken(token, client.clientId);
  return {};
}

export async function deleteUser(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const { user } = userOfAccessToken(ctx, body);
  ctx.tokens.revokeAll(user.username);
  ctx.users.remove(user);
  return {};
}

/** A new password: the policy, then PasswordHistorySize earlier passwords refused. */
function setPassword(ctx: PoolContext, user: StoredUser, password: string): void {
  checkPassword(ctx.config.passwordPolicy, password);
  const size = ctx.config.passwordPolicy.passwordHistorySize;
  if (size > 0 && [user.srp, ...user.passwordHistory].slice(0, size).some((old) => srpPasswordMatches(ctx.srpPoolName, loadSrpUser(old), password))) {
    throw new AwsJsonError('PasswordHistoryPolicyViolationException', 'The password history policy was violated: the new password was used recently.');
  }
  ctx.users.change(user, (u) => {
    u.passwordHistory = [u.srp, ...u.passwordHistory].slice(0, Math.max(size - 1, 0));
    u.srp = storeSrpUser(registerSrpUser(ctx.srpPoolName, u.username, password));
  });
}

export async function changePassword(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const previous = requireString(body, 'PreviousPassword');
  const proposed = requireString(body, 'ProposedPassword');
  const { user } = userOfAccessToken(ctx, body);
  if (!srpPasswordMatches(ctx.srpPoolName, loadSrpUser(user.srp), previous))
    throw new AwsJsonError('NotAuthorizedException', 'Incorrect username or password.');
  setPassword(ctx, user, proposed);
  return {};
}

export async function forgotPassword(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const name = requireString(body, 'Username');
  const client = clientFor(ctx, body.ClientId, { username: name, secretHash: body.SecretHash });
  const user = findUser(ctx, name);
  if (!user) {
    if (client.preventUserExistenceErrors) return pretendedDelivery(name);
    throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.attributes.email === undefined || user.attributes.email_verified !== 'true') {
    throw new AwsJsonError('InvalidParameterException', 'Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  const { subject, message } = ctx.config.verificationEmail;
  const { stored, details } = mailCode(ctx.mailbox, user.attributes.email, subject, message, CODE_LIFETIME_SECONDS.forgotPassword);
  ctx.users.change(user, (u) => {
    u.codes.forgotPassword = stored;
  });
  return { CodeDeliveryDetails: details };
}

export async function confirmForgotPassword(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const name = requireString(body, 'Username');
  const code = requireString(body, 'ConfirmationCode');
  const password = requireString(body, 'Password');
  const client = clientFor(ctx, body.ClientId, { username: name, secretHash: body.SecretHash });
  const user = findUser(ctx, name);
  if (!user) {
    if (client.preventUserExistenceErrors) throw new AwsJsonError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
  }
  checkCode(user.codes.forgotPassword, code);
  setPassword(ctx, user, password);
  ctx.users.change(user, (u) => {
    delete u.codes.forgotPassword;
    if (u.status === 'RESET_REQUIRED' || u.status === 'FORCE_CHANGE_PASSWORD') u.status = 'CONFIRMED';
  });
  await postConfirmation(ctx, user, client.clientId, 'PostConfirmation_ConfirmForgotPassword', body.ClientMetadata);
  return {};
}
