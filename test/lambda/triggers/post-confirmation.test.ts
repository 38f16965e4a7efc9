import '../support/trigger-env';
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { handler } from '../../../lambda/post-confirmation';

const cognito = mockClient(CognitoIdentityProviderClient);

function confirmation(triggerSource: PostConfirmationTriggerEvent['triggerSource'] = 'PostConfirmation_ConfirmSignUp'): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbC123',
    userName: 'google_1234567890',
    triggerSource,
    callerContext: { awsSdkVersion: '3', clientId: 'client' },
    request: { userAttributes: { email: 'alice@example.org' } },
    response: {},
  };
}

beforeEach(() => {
  cognito.reset();
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('post-confirmation trigger: every new user joins the default group', () => {
  test('GIVEN a confirmed sign-up WHEN the trigger runs THEN the user is added to DEFAULT_GROUP in the invoking pool', async () => {
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const event = confirmation();
    await expect(handler(event)).resolves.toBe(event);
    expect(cognito).toHaveReceivedCommandTimes(AdminAddUserToGroupCommand, 1);
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      UserPoolId: 'eu-west-1_AbC123',
      Username: 'google_1234567890',
      GroupName: 'members',
    });
  });

  test('GIVEN a confirmed password reset WHEN the trigger runs THEN nothing is called', async () => {
    await handler(confirmation('PostConfirmation_ConfirmForgotPassword'));
    expect(cognito.calls()).toHaveLength(0);
  });

  test('GIVEN Cognito refuses the call WHEN the trigger runs THEN it fails with a message that leaks no detail', async () => {
    cognito
      .on(AdminAddUserToGroupCommand)
      .rejects(Object.assign(new Error('ResourceNotFoundException: group members in pool eu-west-1_AbC123'), { name: 'ResourceNotFoundException' }));
    await expect(handler(confirmation())).rejects.toThrow(/^Sign-up could not be completed; contact support\.$/);
  });

  test('GIVEN a malformed event WHEN the trigger runs THEN it refuses before any AWS call', async () => {
    await expect(handler({ ...confirmation(), userPoolId: '../other' })).rejects.toThrow();
    expect(cognito.calls()).toHaveLength(0);
  });
});
