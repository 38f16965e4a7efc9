/** SignUp, ConfirmSignUp and ResendConfirmationCode. */
import { randomUUID } from 'node:crypto';
import { AwsJsonError, requireString, type JsonBody } from '../aws-json';
import { checkCode, CODE_LIFETIME_SECONDS, mailCode, pretendedDelivery, type CodeDeliveryDetails } from '../messages';
import { checkPassword } from '../password-policy';
import { clientFor, findUser, signsInWithEmail, type PoolContext } from '../pool-context';
import { attributesOf, postConfirmation, preSignUp } from '../triggers';
import { newStoredUser, type StoredUser } from '../user-store';

const EMAIL = /^[^@\s]+@[^@\s]+$/;

function sendSignUpCode(ctx: PoolContext, user: StoredUser): CodeDeliveryDetails {
  const { subject, message } = ctx.config.verificationEmail;
  const { stored, details } = mailCode(ctx.mailbox, user.attributes.email, subject, message, CODE_LIFETIME_SECONDS.signUp);
  ctx.users.change(user, (u) => {
    u.codes.signUp = stored;
  });
  return details;
}

export async function signUp(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const givenName = requireString(body, 'Username');
  const password = requireString(body, 'Password');
  const client = clientFor(ctx, body.ClientId, { username: givenName, secretHash: body.SecretHash });
  if (!ctx.config.selfSignUp) throw new AwsJsonError('NotAuthorizedException', 'SignUp is not permitted for this user pool');
  const attributes = attributesOf(body.UserAttributes);
  for (const reserved of ['sub', 'email_verified', 'phone_number_verified']) {
    if (reserved in attributes)
      throw new AwsJsonError('InvalidParameterException', `Attributes did not conform to the schema: ${reserved}: cannot be set by the caller`);
  }
  const byEmail = signsInWithEmail(ctx);
  if (byEmail) {
    if (!EMAIL.test(givenName)) throw new AwsJsonError('InvalidParameterException', 'Username should be an email.');
    attributes.email ??= givenName;
  }
  if (attributes.email !== undefined && !EMAIL.test(attributes.email)) throw new AwsJsonError('InvalidParameterException', 'Invalid email address format.');
  const missing = ctx.config.requiredAttributes.filter((name) => !attributes[name]);
  if (missing.length > 0)
    throw new AwsJsonError(
      'InvalidParameterException',
      `Attributes did not conform to the schema: ${missing.map((m) => `${m}: The attribute ${m} is required`).join(', ')}`,
    );
  if (findUser(ctx, givenName) || (byEmail && findUser(ctx, attributes.email))) {
    throw new AwsJsonError('UsernameExistsException', byEmail ? 'An account with the given email already exists.' : 'User already exists');
  }
  checkPassword(ctx.config.passwordPolicy, password);

  // With email as the username attribute Cognito names the user by its sub.
  const sub = randomUUID();
  const username = byEmail ? sub : givenName;
  const decision = await preSignUp(ctx, {
    userName: username,
    clientId: client.clientId,
    triggerSource: 'PreSignUp_SignUp',
    userAttributes: attributes,
    validationData: body.ValidationData ? attributesOf(body.ValidationData) : undefined,
    clientMetadata: body.ClientMetadata,
  });
  const user = newStoredUser({
    srpPoolName: ctx.srpPoolName,
    username,
    sub,
    attributes: { ...attributes, ...(attributes.email !== undefined ? { email_verified: decision.autoVerifyEmail ? 'true' : 'false' } : {}) },
    status: decision.autoConfirmUser ? 'CONFIRMED' : 'UNCONFIRMED',
    password,
  });
  ctx.users.add(user);
  const needsCode = user.status === 'UNCONFIRMED' && ctx.config.autoVerifiedAttributes.includes('email') && user.attributes.email !== undefined;
  const details = needsCode ? sendSignUpCode(ctx, user) : undefined;
  return { UserConfirmed: user.status === 'CONFIRMED', UserSub: sub, ...(details ? { CodeDeliveryDetails: details } : {}) };
}

export async function confirmSignUp(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const name = requireString(body, 'Username');
  const code = requireString(body, 'ConfirmationCode');
  const client = clientFor(ctx, body.ClientId, { username: name, secretHash: body.SecretHash });
  const user = findUser(ctx, name);
  if (!user) {
    if (client.preventUserExistenceErrors) throw new AwsJsonError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.status === 'CONFIRMED') throw new AwsJsonError('NotAuthorizedException', 'User cannot be confirmed. Current status is CONFIRMED');
  checkCode(user.codes.signUp, code);
  ctx.users.change(user, (u) => {
    u.status = 'CONFIRMED';
    if (u.attributes.email !== undefined) u.attributes.email_verified = 'true';
    delete u.codes.signUp;
  });
  // The user stays confirmed when the trigger fails; the caller still sees the error.
  await postConfirmation(ctx, user, client.clientId, 'PostConfirmation_ConfirmSignUp', body.ClientMetadata);
  return {};
}

export async function resendConfirmationCode(ctx: PoolContext, body: JsonBody): Promise<unknown> {
  const name = requireString(body, 'Username');
  const client = clientFor(ctx, body.ClientId, { username: name, secretHash: body.SecretHash });
  const user = findUser(ctx, name);
  if (!user) {
    if (client.preventUserExistenceErrors) return pretendedDelivery(name);
    throw new AwsJsonError('UserNotFoundException', 'Username/client id combination not found.');
  }
  if (user.status === 'CONFIRMED') throw new AwsJsonError('InvalidParameterException', 'User is already confirmed.');
  if (user.attributes.email === undefined) throw new AwsJsonError('InvalidParameterException', 'Cannot resend codes. Auto verification not turned on.');
  return { CodeDeliveryDetails: sendSignUpCode(ctx, user) };
}
