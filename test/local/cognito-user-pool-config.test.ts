/**
 * What the local user pool takes from the template: the password policy, the
 * sign-up triggers (with Cognito's event shapes and error wrapping, through a
 * fake LambdaInvoker) and the settings it refuses or notes on start.
 */
import { ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createUserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { cognitoTemplate, FakeLambda, MemoryMailbox, POST_CONFIRMATION, PRE_SIGN_UP, tempStateDir } from './support/cognito-fragment';
import { PASSWORD, sdkError, srpSignIn, startPool, stopPools, type Pool } from './support/user-pool-harness';

afterAll(stopPools);

describe('password policy', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await startPool();
  });

  test('GIVEN MinimumLength 12 in one template and 8 in another WHEN a 10-character password signs up THEN only the 8-character pool accepts it', async () => {
    const short = 'Abcdef-9xy';
    expect(await sdkError(pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'short@example.org', Password: short })))).toEqual({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const lenient = await startPool({ minimumLength: 8 });
    await expect(lenient.sdk.send(new SignUpCommand({ ClientId: lenient.clientId, Username: 'short@example.org', Password: short }))).resolves.toMatchObject({
      UserConfirmed: false,
    });
    expect(
      await sdkError(lenient.sdk.send(new SignUpCommand({ ClientId: lenient.clientId, Username: 'sym@example.org', Password: 'Abcdefg99x' }))),
    ).toMatchObject({
      message: 'Password did not conform with policy: Password must have symbol characters',
    });
  });
});

describe('local user pool triggers', () => {
  test("GIVEN a pre sign-up trigger that refuses WHEN signing up THEN UserLambdaValidationException with Cognito's prefix, and no user exists", async () => {
    const pool = await startPool({ triggers: true }, tempStateDir(), {
      [PRE_SIGN_UP]: (event) => {
        if (!String(event.request.userAttributes.email).endsWith('@example.org')) throw new Error('Sign-up is open only to the allowed domains.');
        return event;
      },
      [POST_CONFIRMATION]: (event) => event,
    });
    expect(await sdkError(pool.sdk.send(new SignUpCommand({ ClientId: pool.clientId, Username: 'eve@evil.test', Password: PASSWORD })))).toEqual({
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Sign-up is open only to the allowed domains..',
    });
    expect(pool.mailbox.list('eve@evil.test')).toHaveLength(0);
    await expect(srpSignIn(pool, 'eve@evil.test', PASSWORD)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  test("GIVEN both triggers WHEN a user signs up and confirms THEN they receive Cognito's event shapes", async () => {
    const pool = await startPool({ triggers: true }, tempStateDir(), { [PRE_SIGN_UP]: (event) => event, [POST_CONFIRMATION]: (event) => event });
    const signUp = await pool.sdk.send(
      new SignUpCommand({ ClientId: pool.clientId, Username: 'tri@example.org', Password: PASSWORD, ClientMetadata: { from: 'test' } }),
    );
    await pool.sdk.send(
      new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: 'tri@example.org', ConfirmationCode: pool.mailbox.lastCode('tri@example.org') }),
    );
    const [pre, post] = pool.lambda.events;
    expect(pre).toEqual({
      logicalId: PRE_SIGN_UP,
      event: {
        version: '1',
        region: 'eu-west-1',
        userPoolId: pool.service.userPoolId,
        userName: signUp.UserSub,
        callerContext: { awsSdkVersion: expect.any(String), clientId: pool.clientId },
        triggerSource: 'PreSignUp_SignUp',
        request: { userAttributes: { email: 'tri@example.org' }, validationData: null, clientMetadata: { from: 'test' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      },
    });
    expect(post.logicalId).toBe(POST_CONFIRMATION);
    expect(post.event).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      userName: signUp.UserSub,
      request: { userAttributes: { sub: signUp.UserSub, email: 'tri@example.org', email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
    });
  });

  test('GIVEN a pool with an unsupported trigger or enforced advanced security WHEN the service starts THEN it stops naming the setting', () => {
    const base = { mailbox: new MemoryMailbox(), lambda: new FakeLambda({}), port: 0 };
    expect(() =>
      createUserPoolService({
        ...base,
        stateDir: tempStateDir(),
        template: cognitoTemplate({ poolProperties: { LambdaConfig: { CustomMessage: 'arn:aws:lambda:eu-west-1:000000000000:function:x' } } }),
      }),
    ).toThrow(/LambdaConfig\.CustomMessage/);
    expect(() =>
      createUserPoolService({
        ...base,
        stateDir: tempStateDir(),
        template: cognitoTemplate({ poolProperties: { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } } }),
      }),
    ).toThrow(/AdvancedSecurityMode ENFORCED/);
    const audit = createUserPoolService({
      ...base,
      stateDir: tempStateDir(),
      template: cognitoTemplate({ poolProperties: { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } } }),
    });
    expect(audit.notes.join('\n')).toContain('AdvancedSecurityMode AUDIT');
  });
});
