/**
 * The pool's Lambda triggers, invoked with Cognito's event shapes through the
 * local LambdaInvoker (the real bundled handlers). A trigger's error reaches
 * the caller as UserLambdaValidationException "<Trigger> failed with error <message>.".
 */
import { AwsJsonError } from './aws-json';
import type { PoolContext } from './pool-context';
import type { StoredUser } from './user-store';
import type { UntypedJson } from '../../common/untyped-json';

const SDK_VERSION = 'aws-sdk-unknown-unknown';

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'errorMessage' in error) return String(error.errorMessage);
  return String(error);
}

async function invoke(
  ctx: PoolContext,
  trigger: 'PreSignUp' | 'PostConfirmation',
  logicalId: string,
  event: Record<string, unknown>,
): Promise<Record<string, UntypedJson>> {
  if (!ctx.lambda) throw new Error(`the user pool's ${trigger} trigger needs a LambdaInvoker`);
  try {
    const result = await ctx.lambda.invoke(logicalId, event);
    return (result && typeof result === 'object' ? result : event) as Record<string, UntypedJson>;
  } catch (error) {
    throw new AwsJsonError('UserLambdaValidationException', `${trigger} failed with error ${errorMessage(error)}.`);
  }
}

const base = (ctx: PoolContext, userName: string, clientId: string, triggerSource: string) => ({
  version: '1',
  region: ctx.region,
  userPoolId: ctx.userPoolId,
  userName,
  callerContext: { awsSdkVersion: SDK_VERSION, clientId },
  triggerSource,
});

export interface PreSignUpDecision {
  readonly autoConfirmUser: boolean;
  readonly autoVerifyEmail: boolean;
}

/** PreSignUp_SignUp (or PreSignUp_AdminCreateUser); no trigger means no change. */
export async function preSignUp(
  ctx: PoolContext,
  input: {
    userName: string;
    clientId: string;
    triggerSource: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser';
    userAttributes: Record<string, string>;
    validationData?: Record<string, string>;
    clientMetadata?: Record<string, string>;
  },
): Promise<PreSignUpDecision> {
  const fn = ctx.config.triggers.preSignUp;
  if (!fn) return { autoConfirmUser: false, autoVerifyEmail: false };
  const result = await invoke(ctx, 'PreSignUp', fn, {
    ...base(ctx, input.userName, input.clientId, input.triggerSource),
    request: { userAttributes: input.userAttributes, validationData: input.validationData ?? null, clientMetadata: input.clientMetadata ?? {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  return { autoConfirmUser: result.response?.autoConfirmUser === true, autoVerifyEmail: result.response?.autoVerifyEmail === true };
}

/** PostConfirmation_ConfirmSignUp or PostConfirmation_ConfirmForgotPassword. */
export async function postConfirmation(
  ctx: PoolContext,
  user: StoredUser,
  clientId: string,
  triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  clientMetadata?: Record<string, string>,
): Promise<void> {
  const fn = ctx.config.triggers.postConfirmation;
  if (!fn) return;
  await invoke(ctx, 'PostConfirmation', fn, {
    ...base(ctx, user.username, clientId, triggerSource),
    request: { userAttributes: { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status }, clientMetadata: clientMetadata ?? {} },
    response: {},
  });
}

/** The attributes object a trigger sees. */
export function attributesOf(list: unknown): Record<string, string> {
  if (!Array.isArray(list)) return {};
  return Object.fromEntries(list.filter((a) => a && typeof a.Name === 'string').map((a) => [a.Name, String(a.Value ?? '')]));
}
