/**
 * Passkeys on the local user pool with the AWS SDK v3 and a software
 * authenticator: registration, sign-in with the WEB_AUTHN first factor
 * (checked against the pool's relying party ID and the web origin),
 * listing and deletion.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  ConfirmSignUpCommand,
  DeleteWebAuthnCredentialCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createUserPoolService, type UserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { serve, type Served } from './support/http-service';
import { CLIENT, cognitoTemplate, MemoryMailbox, removeTempStateDirs, tempStateDir } from './support/cognito-fragment';
import { SoftAuthenticator } from './support/soft-authenticator';

const PASSWORD = 'Correct-horse-9';
const WEB_ORIGIN = 'http://localhost:5173';
const email = 'passkey@example.org';
let served: Served;
let service: UserPoolService;
let sdk: CognitoIdentityProviderClient;
let clientId: string;
let accessToken: string;
const authenticator = new SoftAuthenticator(WEB_ORIGIN);

beforeAll(async () => {
  const mailbox = new MemoryMailbox();
  service = createUserPoolService({
    template: cognitoTemplate({ firstFactors: ['PASSWORD', 'WEB_AUTHN'] }),
    mailbox,
    stateDir: tempStateDir(),
    port: 0,
    webOrigin: WEB_ORIGIN,
  });
  served = await serve(service);
  sdk = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: served.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  clientId = service.clientIds[CLIENT];
  await sdk.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: mailbox.lastCode(email) }));
  const auth = await sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD } }),
  );
  accessToken = auth.AuthenticationResult!.AccessToken!;
});

afterAll(async () => {
  await served.close();
  removeTempStateDirs();
});

const passkeySignIn = async (answer: (options: any) => Record<string, unknown>) => {
  const challenge = await sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'WEB_AUTHN' } }),
  );
  expect(challenge.ChallengeName).toBe('WEB_AUTHN');
  const options = JSON.parse(challenge.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS);
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'WEB_AUTHN',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(answer(options)) },
    }),
  );
};

test('GIVEN a signed-in user WHEN registering a passkey THEN it is listed and signs in alone; a signature by another key is refused', async () => {
  const before = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } }));
  expect(before.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);

  const { CredentialCreationOptions } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
  const options = CredentialCreationOptions as { challenge: string; rp: { id: string } };
  expect(options.rp.id).toBe('localhost');
  await sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: authenticator.create(options) as never }));
  const listed = await sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }));
  expect(listed.Credentials).toEqual([
    expect.objectContaining({
      CredentialId: authenticator.credentialId.toString('base64url'),
      RelyingPartyId: 'localhost',
      AuthenticatorAttachment: 'platform',
    }),
  ]);

  const signedIn = await passkeySignIn((o) => authenticator.get(o));
  expect(signedIn.AuthenticationResult?.IdToken).toBeDefined();

  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  await expect(passkeySignIn((o) => authenticator.get(o, stranger))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
});

test('GIVEN a registration answered for another origin WHEN completing THEN refused', async () => {
  const { CredentialCreationOptions } = await sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
  const phishing = new SoftAuthenticator('http://evil.localhost:5173');
  await expect(
    sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: phishing.create(CredentialCreationOptions as never) as never })),
  ).rejects.toMatchObject({
    name: 'WebAuthnClientMismatchException',
  });
});

test('GIVEN a registered passkey WHEN deleted THEN USER_AUTH no longer offers WEB_AUTHN', async () => {
  await sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: authenticator.credentialId.toString('base64url') }));
  const after = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } }));
  expect(after.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
});
