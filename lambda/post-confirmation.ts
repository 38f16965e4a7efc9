/**
 * Post-confirmation trigger: each newly confirmed user joins the default group
 * (AdminAddUserToGroup on the pool that invoked the trigger). A confirmed
 * password reset (PostConfirmation_ConfirmForgotPassword) changes nothing.
 */
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { SDK_RETRY_SETTINGS } from './shared/aws-retry';
import { lambdaCredentials } from './shared/lambda-credentials';
import { createLogger, describeError } from './shared/log';
import { TRIGGER_ENV } from '../contracts/trigger-env';

const cognito = new CognitoIdentityProviderClient({ credentials: lambdaCredentials, ...SDK_RETRY_SETTINGS });
const defaultGroup = process.env[TRIGGER_ENV.defaultGroup] ?? '';

const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

export const handler = async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
  const log = createLogger('post-confirmation', String(event?.triggerSource ?? 'unknown'));
  if (event?.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  if (defaultGroup === '') {
    log.error('DEFAULT_GROUP is not set; the new user joins no group');
    throw new Error('Sign-up could not be completed; contact support.');
  }
  const { userPoolId, userName } = event;
  if (typeof userPoolId !== 'string' || !USER_POOL_ID.test(userPoolId) || typeof userName !== 'string' || userName.length === 0) {
    log.error('malformed post-confirmation event');
    throw new Error('Sign-up could not be completed; contact support.');
  }
  try {
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: userName, GroupName: defaultGroup }));
  } catch (error) {
    // Rethrown so the failure counts in the function's Errors metric; the user is confirmed either way.
    log.error('could not add the new user to the default group', { group: defaultGroup, ...describeError(error) });
    throw new Error('Sign-up could not be completed; contact support.');
  }
  log.info('new user added to the default group', { group: defaultGroup });
  return event;
};
