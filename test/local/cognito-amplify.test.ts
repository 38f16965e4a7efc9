/**
 * Amplify JS v6 (what the web app uses) against the local user pool and
 * identity pool through its custom endpoint options: sign-up, confirmation,
 * SRP sign-in, then fetchAuthSession's identity ID and credentials.
 */
import { Amplify } from 'aws-amplify';
import { confirmSignIn, confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { createIdentityPoolService } from '../../scripts/local/cognito-identity/identity-pool-service';
import { createUserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { base32Decode, totp } from '../../scripts/smoke/totp';
import { serve, type Served } from './support/http-service';
import { AUTH_ROLE, CLIENT, cognitoTemplate, MemoryCredentials, MemoryMailbox, removeTempStateDirs, tempStateDir } from './support/cognito-fragment';

const PASSWORD = 'Correct-horse-9';
const started: Served[] = [];
const mailbox = new MemoryMailbox();
const credentials = new MemoryCredentials();

beforeAll(async () => {
  // MFA required with TOTP, as a retained stage would have it.
  const template = cognitoTemplate({ mfa: 'ON', enabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  const stateDir = tempStateDir();
  const userPool = createUserPoolService({ template, mailbox, stateDir, port: 0 });
  const identityPool = createIdentityPoolService({ template, verifier: userPool.verifier, credentials, stateDir });
  const [idp, identity] = await Promise.all([serve(userPool), serve(identityPool)]);
  started.push(idp, identity);
  const { userPoolId } = userPool;
  const { identityPoolId } = identityPool;
  // Amplify warns about custom endpoints on every configure; that is the point here.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId,
        userPoolClientId: userPool.clientIds[CLIENT],
        identityPoolId,
        userPoolEndpoint: idp.endpoint,
        identityPoolEndpoint: identity.endpoint,
      },
    },
  });
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  removeTempStateDirs();
});

test('GIVEN Amplify configured with the local endpoints WHEN a user signs up, confirms, signs in (SRP, then TOTP setup) THEN fetchAuthSession returns the identity and credentials of the authenticated role', async () => {
  const email = 'amplify@example.org';
  const signedUp = await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
  expect(signedUp.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
  await expect(confirmSignUp({ username: email, confirmationCode: mailbox.lastCode(email) })).resolves.toMatchObject({ isSignUpComplete: true });

  await expect(signIn({ username: email, password: 'Wrong-horse-99' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  const first = await signIn({ username: email, password: PASSWORD });
  expect(first.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
  const secret = (first.nextStep as { totpSetupDetails: { sharedSecret: string } }).totpSetupDetails.sharedSecret;
  const done = await confirmSignIn({ challengeResponse: totp(base32Decode(secret)) });
  expect(done.nextStep.signInStep).toBe('DONE');

  const session = await fetchAuthSession();
  expect(session.tokens?.idToken?.payload.email).toBe(email);
  expect(session.identityId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
  const principal = credentials.lookup(session.credentials!.accessKeyId)!.principal;
  expect(principal).toMatchObject({ roleLogicalId: AUTH_ROLE, identityId: session.identityId });
  expect((await getCurrentUser()).signInDetails?.loginId).toBe(email);

  // Forced refresh goes through GetTokensFromRefreshToken (rotation is on).
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  expect(refreshed.tokens?.idToken?.toString()).not.toBe(session.tokens?.idToken?.toString());
  expect(refreshed.identityId).toBe(session.identityId);

  await signOut({ global: true });
  // Next sign-in asks for the enrolled TOTP code.
  const again = await signIn({ username: email, password: PASSWORD });
  expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  await expect(confirmSignIn({ challengeResponse: '000000' === totp(base32Decode(secret)) ? '111111' : '000000' })).rejects.toMatchObject({
    name: 'CodeMismatchException',
  });
  await expect(confirmSignIn({ challengeResponse: totp(base32Decode(secret)) })).resolves.toMatchObject({ nextStep: { signInStep: 'DONE' } });
  expect((await fetchAuthSession()).identityId).toBe(session.identityId);
});
