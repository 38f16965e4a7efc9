/**
 * Admin operations (SigV4-signed, e.g. the post-confirmation trigger's
 * AdminAddUserToGroup): each is authorized by the orchestrator's
 * AdminAuthorizer against the caller's IAM policies before it runs.
 */
import { randomUUID } from 'node:crypto';
import { AwsJsonError, requireString, type JsonRequest } from '../aws-json';
import { checkPassword } from '../password-policy';
import { attributeList, findUser, signsInWithEmail, type PoolContext } from '../pool-context';
import { registerSrpUser, storeSrpUser } from '../srp-server';
import { attributesOf, preSignUp } from '../triggers';
import { newStoredUser, type StoredUser } from '../user-store';

async function authorize(ctx: PoolContext, request: JsonRequest): Promise<void> {
  if (!ctx.authorizeAdmin)
    throw new AwsJsonError('AccessDeniedException', `${request.operation} needs SigV4 authorization, and this local user pool has no authorizer configured.`);
  if (request.body.UserPoolId !== ctx.userPoolId)
    throw new AwsJsonError('ResourceNotFoundException', `User pool ${String(request.body.UserPoolId)} does not exist.`);
  try {
    await ctx.authorizeAdmin({
      req: request.req,
      body: request.raw,
      action: `cognito-idp:${request.operation}`,
      resource: ctx.userPoolArn,
      service: 'cognito-idp',
    });
  } catch (error) {
    if (error instanceof AwsJsonError) throw error;
    throw new AwsJsonError('AccessDeniedException', (error as Error).message);
  }
}

function adminUser(ctx: PoolContext, name: string): StoredUser {
  const user = findUser(ctx, name);
  if (!user) throw new AwsJsonError('UserNotFoundException', 'User does not exist.');
  return user;
}

function group(ctx: PoolContext, name: string) {
  const found = ctx.config.groups.find((g) => g.name === name);
  if (!found) throw new AwsJsonError('ResourceNotFoundException', 'Group not found.');
  return found;
}

export async function adminAddUserToGroup(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  const g = group(ctx, requireString(request.body, 'GroupName'));
  ctx.users.change(user, (u) => {
    if (!u.groups.includes(g.name)) u.groups.push(g.name);
  });
  return {};
}

export async function adminRemoveUserFromGroup(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  const g = group(ctx, requireString(request.body, 'GroupName'));
  ctx.users.change(user, (u) => {
    u.groups = u.groups.filter((name) => name !== g.name);
  });
  return {};
}

export async function adminListGroupsForUser(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  return {
    Groups: ctx.config.groups
      .filter((g) => user.groups.includes(g.name))
      .map((g) => ({ GroupName: g.name, UserPoolId: ctx.userPoolId, Precedence: g.precedence, RoleArn: g.roleArn })),
  };
}

export async function adminGetUser(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserStatus: user.status,
    Enabled: user.enabled,
    UserCreateDate: Date.parse(user.createdAt) / 1000,
    UserLastModifiedDate: Date.parse(user.updatedAt) / 1000,
  };
}

/** Permanent: the user is CONFIRMED with it; otherwise it is a temporary password (NEW_PASSWORD_REQUIRED at sign-in). */
export async function adminSetUserPassword(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  const password = requireString(request.body, 'Password');
  checkPassword(ctx.config.passwordPolicy, password);
  ctx.users.change(user, (u) => {
    u.srp = storeSrpUser(registerSrpUser(ctx.srpPoolName, u.username, password));
    u.status = request.body.Permanent === true ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  });
  return {};
}

export async function adminDeleteUser(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const user = adminUser(ctx, requireString(request.body, 'Username'));
  ctx.tokens.revokeAll(user.username);
  ctx.users.remove(user);
  return {};
}

/** An admin-created user signs in with the mailed temporary password, then must choose one (NEW_PASSWORD_REQUIRED). */
export async function adminCreateUser(ctx: PoolContext, request: JsonRequest): Promise<unknown> {
  await authorize(ctx, request);
  const body = request.body;
  const givenName = requireString(body, 'Username');
  if (body.MessageAction !== undefined && body.MessageAction !== 'SUPPRESS')
    throw new AwsJsonError('InvalidParameterException', `MessageAction ${String(body.MessageAction)} is not emulated by the local user pool.`);
  const attributes = attributesOf(body.UserAttributes);
  const byEmail = signsInWithEmail(ctx);
  if (byEmail) attributes.email ??= givenName;
  if (findUser(ctx, givenName) || (byEmail && attributes.email && findUser(ctx, attributes.email)))
    throw new AwsJsonError('UsernameExistsException', 'User account already exists');
  const temporary = typeof body.TemporaryPassword === 'string' ? body.TemporaryPassword : `Tmp-${randomUUID()}-aA1!`;
  checkPassword(ctx.config.passwordPolicy, temporary);
  const sub = randomUUID();
  const username = byEmail ? sub : givenName;
  await preSignUp(ctx, {
    userName: username,
    clientId: 'CLIENT_ID_NOT_APPLICABLE',
    triggerSource: 'PreSignUp_AdminCreateUser',
    userAttributes: attributes,
    clientMetadata: body.ClientMetadata,
  });
  const user = newStoredUser({
    srpPoolName: ctx.srpPoolName,
    username,
    sub,
    attributes: { ...attributes, ...(attributes.email_verified ? {} : attributes.email ? { email_verified: 'false' } : {}) },
    status: 'FORCE_CHANGE_PASSWORD',
    password: temporary,
  });
  ctx.users.add(user);
  if (body.MessageAction !== 'SUPPRESS' && user.attributes.email) {
    ctx.mailbox.send({
      to: user.attributes.email,
      subject: 'Your temporary password',
      body: `Your username is ${givenName} and temporary password is ${temporary}.`,
    });
  }
  return {
    User: { Username: username, Attributes: attributeList(user), UserStatus: user.status, Enabled: true, UserCreateDate: Date.parse(user.createdAt) / 1000 },
  };
}
