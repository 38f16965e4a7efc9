/**
 * The local user pool and identity pool built from the synthesized dev stage
 * (once, no bundling): its password policy and clients come from the
 * template, and the credentials a signed-in user gets are judged by the
 * template's own policies, so user A can write under A's identity prefix and
 * not under B's.
 */
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import type { CredentialPrincipal, LambdaInvoker } from '../../scripts/local/contracts';
import { createIdentityPoolService, type IdentityPoolService } from '../../scripts/local/cognito-identity/identity-pool-service';
import { createUserPoolService, type UserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import type { CfnLocalTemplate } from '../../scripts/local/template/local-template';
import { serve, type Served } from './support/http-service';
import { MemoryCredentials, MemoryMailbox, removeTempStateDirs, tempStateDir } from './support/cognito-fragment';
import { synthLocalTemplate } from './support/synth-local-template';

const PASSWORD = 'Correct-horse-9';
let template: CfnLocalTemplate;
let userPool: UserPoolService;
let identityPool: IdentityPoolService;
let idpServed: Served;
let identityServed: Served;
const mailbox = new MemoryMailbox();
const credentials = new MemoryCredentials();
let clientId: string;

// The triggers, if the stage has any, accept everyone here: they are the bundle tests' subject.
const passThrough: LambdaInvoker = {
  invoke: async (_id, event) => event,
  functionFor: (value) => (value as { 'Fn::GetAtt'?: string[] })?.['Fn::GetAtt']?.[0],
};

beforeAll(async () => {
  template = synthLocalTemplate('dev');
  const stateDir = tempStateDir();
  userPool = createUserPoolService({ template, mailbox, lambda: passThrough, stateDir, port: 0 });
  identityPool = createIdentityPoolService({ template, verifier: userPool.verifier, credentials, stateDir });
  [idpServed, identityServed] = await Promise.all([serve(userPool), serve(identityPool)]);
  clientId = Object.values(userPool.clientIds)[0];
}, 60_000);

afterAll(async () => {
  await Promise.all([idpServed?.close(), identityServed?.close()]);
  removeTempStateDirs();
});

async function credentialsFor(email: string): Promise<CredentialPrincipal> {
  const idp = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: idpServed.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
  await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: mailbox.lastCode(email) }));
  const pool = new CognitoUserPool({ UserPoolId: userPool.userPoolId, ClientId: clientId, endpoint: idpServed.endpoint });
  const session = await new Promise<any>((resolve, reject) =>
    new CognitoUser({ Username: email, Pool: pool }).authenticateUser(new AuthenticationDetails({ Username: email, Password: PASSWORD }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
  const identity = new CognitoIdentityClient({
    region: 'eu-west-1',
    endpoint: identityServed.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const Logins = { [`cognito-idp.eu-west-1.amazonaws.com/${userPool.userPoolId}`]: session.getIdToken().getJwtToken() };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: identityPool.identityPoolId, Logins }));
  const result = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  return credentials.lookup(result.Credentials!.AccessKeyId!)!.principal;
}

test('GIVEN the dev stage WHEN the local pools start THEN the template decides the password policy and the flows the web client allows', async () => {
  const idp = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: idpServed.endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  // dev: MinimumLength 12.
  await expect(idp.send(new SignUpCommand({ ClientId: clientId, Username: 'short@example.org', Password: 'Abcdef-9xy' }))).rejects.toMatchObject({
    name: 'InvalidPasswordException',
  });
  // dev's web client allows SRP and USER_AUTH, not USER_PASSWORD_AUTH.
  await expect(
    idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x@example.org', PASSWORD } })),
  ).rejects.toMatchObject({
    name: 'InvalidParameterException',
  });
});

test("GIVEN two users of the dev stage WHEN each gets identity-pool credentials THEN the template's policies let A write under A's prefix and not under B's", async () => {
  const a = await credentialsFor('a@example.org');
  const b = await credentialsFor('b@example.org');
  expect(a.roleLogicalId).toBe(template.resourcesOfType('AWS::IAM::Role').find((id) => id.startsWith('FederatedIdentitiesIdentityPoolAuthenticatedRole')));
  const bucket = template.resolve<string>({ Ref: template.resourcesOfType('AWS::S3::Bucket').find((id) => id.startsWith('IdentityStorageBucket'))! });
  const authorizer = new TemplateAuthorizer(template);
  const put = (principal: CredentialPrincipal, owner: CredentialPrincipal) =>
    authorizer.authorize({ principal, action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${owner.identityId}/data.csv` });
  expect((await put(a, a)).allowed).toBe(true);
  expect((await put(a, b)).allowed).toBe(false);
});
