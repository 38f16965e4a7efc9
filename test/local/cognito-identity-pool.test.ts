/**
 * The local identity pool with the AWS SDK v3 Cognito Identity client: stable
 * identity IDs, credentials bound to the identity and the role the template
 * attaches (token-based group roles included), the roles' trust policies
 * honoured, guests only when allowed.
 */
import { CognitoIdentityClient, DeleteIdentitiesCommand, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createIdentityPoolService, type IdentityPoolService } from '../../scripts/local/cognito-identity/identity-pool-service';
import { createUserPoolService, type UserPoolService } from '../../scripts/local/cognito-idp/user-pool-service';
import { serve, type Served } from './support/http-service';
import {
  ADMIN_ROLE,
  AUTH_ROLE,
  CLIENT,
  cognitoTemplate,
  GUEST_ROLE,
  OTHER_CLIENT,
  MemoryCredentials,
  MemoryMailbox,
  removeTempStateDirs,
  tempStateDir,
  type FragmentOptions,
} from './support/cognito-fragment';

const PASSWORD = 'Correct-horse-9';
const started: Served[] = [];

interface Pools {
  readonly userPool: UserPoolService;
  readonly identityPool: IdentityPoolService;
  readonly idp: CognitoIdentityProviderClient;
  readonly identity: CognitoIdentityClient;
  readonly credentials: MemoryCredentials;
  readonly mailbox: MemoryMailbox;
  readonly clientId: string;
  readonly providerName: string;
  readonly adminCalls: string[];
}

async function startPools(options: FragmentOptions = {}): Promise<Pools> {
  const template = cognitoTemplate({ explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], ...options });
  const stateDir = tempStateDir();
  const mailbox = new MemoryMailbox();
  const credentials = new MemoryCredentials();
  const adminCalls: string[] = [];
  const userPool = createUserPoolService({
    template,
    mailbox,
    stateDir,
    port: 0,
    // Stands in for SigV4 + IAM evaluation: records and allows.
    authorizeAdmin: async ({ action, resource }) => void adminCalls.push(`${action} ${resource}`),
  });
  const identityPool = createIdentityPoolService({
    template,
    verifier: userPool.verifier,
    credentials,
    stateDir,
    authorizeSigned: async ({ action, resource }) => void adminCalls.push(`${action} ${resource}`),
  });
  const [idpServed, identityServed] = await Promise.all([serve(userPool), serve(identityPool)]);
  started.push(idpServed, identityServed);
  const sdkOptions = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 };
  return {
    userPool,
    identityPool,
    idp: new CognitoIdentityProviderClient({ ...sdkOptions, endpoint: idpServed.endpoint }),
    identity: new CognitoIdentityClient({ ...sdkOptions, endpoint: identityServed.endpoint }),
    credentials,
    mailbox,
    clientId: userPool.clientIds[CLIENT],
    providerName: `cognito-idp.eu-west-1.amazonaws.com/${userPool.userPoolId}`,
    adminCalls,
  };
}

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  removeTempStateDirs();
});

async function signedIn(pools: Pools, email: string): Promise<{ idToken: string; accessToken: string; sub: string }> {
  const { UserSub } = await pools.idp.send(new SignUpCommand({ ClientId: pools.clientId, Username: email, Password: PASSWORD }));
  await pools.idp.send(new ConfirmSignUpCommand({ ClientId: pools.clientId, Username: email, ConfirmationCode: pools.mailbox.lastCode(email) }));
  return { ...(await signIn(pools, email)), sub: UserSub! };
}

async function signIn(pools: Pools, email: string): Promise<{ idToken: string; accessToken: string }> {
  const auth = await pools.idp.send(
    new InitiateAuthCommand({ ClientId: pools.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
  );
  return { idToken: auth.AuthenticationResult!.IdToken!, accessToken: auth.AuthenticationResult!.AccessToken! };
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('expected the call to fail');
}

describe('local identity pool', () => {
  let pools: Pools;
  beforeAll(async () => {
    pools = await startPools();
  });

  test('GIVEN a signed-in user WHEN GetId twice, across sign-ins THEN the same <region>:<uuid>; another user gets another', async () => {
    const a = await signedIn(pools, 'a@example.org');
    const IdentityPoolId = pools.identityPool.identityPoolId;
    expect(IdentityPoolId).toMatch(/^eu-west-1:[0-9a-f-]{36}$/);
    const first = await pools.identity.send(new GetIdCommand({ IdentityPoolId, Logins: { [pools.providerName]: a.idToken } }));
    expect(first.IdentityId).toMatch(/^eu-west-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = await pools.identity.send(
      new GetIdCommand({ IdentityPoolId, Logins: { [pools.providerName]: (await signIn(pools, 'a@example.org')).idToken } }),
    );
    expect(again.IdentityId).toBe(first.IdentityId);
    const b = await signedIn(pools, 'b@example.org');
    const other = await pools.identity.send(new GetIdCommand({ IdentityPoolId, Logins: { [pools.providerName]: b.idToken } }));
    expect(other.IdentityId).not.toBe(first.IdentityId);
  });

  test('GIVEN an identity WHEN GetCredentialsForIdentity with its login THEN credentials bound to that identity and the authenticated role, with the amr/aud context', async () => {
    const c = await signedIn(pools, 'c@example.org');
    const Logins = { [pools.providerName]: c.idToken };
    const { IdentityId } = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
    const result = await pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    expect(result.IdentityId).toBe(IdentityId);
    expect(result.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    const issued = pools.credentials.lookup(result.Credentials!.AccessKeyId!);
    expect(issued?.principal).toEqual({
      roleLogicalId: AUTH_ROLE,
      roleArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
      identityId: IdentityId,
      contextKeys: {
        'cognito-identity.amazonaws.com:aud': pools.identityPool.identityPoolId,
        'cognito-identity.amazonaws.com:amr': ['authenticated', pools.providerName, `${pools.providerName}:CognitoSignIn:${c.sub}`],
        'cognito-identity.amazonaws.com:sub': IdentityId,
      },
    });
  });

  test("GIVEN user D's identity WHEN user E asks for its credentials with E's own token THEN refused", async () => {
    const d = await signedIn(pools, 'd@example.org');
    const e = await signedIn(pools, 'e@example.org');
    const { IdentityId } = await pools.identity.send(
      new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins: { [pools.providerName]: d.idToken } }),
    );
    expect(await failure(pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [pools.providerName]: e.idToken } })))).toMatchObject(
      { name: 'NotAuthorizedException' },
    );
    expect(await failure(pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId })))).toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('GIVEN a pool without guests WHEN GetId without logins THEN NotAuthorizedException; a tampered token is refused', async () => {
    expect(await failure(pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    });
    const f = await signedIn(pools, 'f@example.org');
    const [h, p, s] = f.idToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
    expect(
      await failure(pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins: { [pools.providerName]: forged } }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: expect.stringContaining('Invalid login token'),
    });
  });

  test('GIVEN a signed-out user WHEN GetCredentialsForIdentity with the old ID token THEN refused (server-side token check)', async () => {
    const g = await signedIn(pools, 'g@example.org');
    const Logins = { [pools.providerName]: g.idToken };
    const { IdentityId } = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
    await pools.idp.send(new GlobalSignOutCommand({ AccessToken: g.accessToken }));
    expect(await failure(pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: expect.stringContaining('revoked'),
    });
  });

  test('GIVEN a second app client the identity pool does not name WHEN its ID token is a login THEN Incorrect token audience', async () => {
    const two = await startPools({ otherClient: true });
    const email = 'aud@example.org';
    const other = two.userPool.clientIds[OTHER_CLIENT];
    await two.idp.send(new SignUpCommand({ ClientId: other, Username: email, Password: PASSWORD }));
    await two.idp.send(new ConfirmSignUpCommand({ ClientId: other, Username: email, ConfirmationCode: two.mailbox.lastCode(email) }));
    const auth = await two.idp.send(
      new InitiateAuthCommand({ ClientId: other, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
    );
    expect(
      await failure(
        two.identity.send(
          new GetIdCommand({ IdentityPoolId: two.identityPool.identityPoolId, Logins: { [two.providerName]: auth.AuthenticationResult!.IdToken! } }),
        ),
      ),
    ).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid login token. Incorrect token audience.',
    });
  });

  test('GIVEN an identity WHEN an authorized caller deletes it THEN its credentials are refused and the next GetId makes a new one', async () => {
    const h = await signedIn(pools, 'h@example.org');
    const Logins = { [pools.providerName]: h.idToken };
    const { IdentityId } = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
    await expect(pools.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId!] }))).resolves.toMatchObject({
      UnprocessedIdentityIds: [],
    });
    // DeleteIdentities has no resource type: IAM judges it against "*" (a pool ARN would deny every caller but an administrator).
    expect(pools.adminCalls).toContain('cognito-identity:DeleteIdentities *');
    expect(await failure(pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const again = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
    expect(again.IdentityId).not.toBe(IdentityId);
  });
});

describe('local identity pool roles', () => {
  test('GIVEN a token-based role mapping WHEN an admins member and a plain user get credentials THEN the admin gets the group role (cognito:preferred_role), the other the authenticated role', async () => {
    const pools = await startPools({ roleMapping: true });
    const admin = await signedIn(pools, 'admin@example.org');
    await pools.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: pools.userPool.userPoolId, Username: admin.sub, GroupName: 'admins' }));
    expect(pools.adminCalls).toEqual([`cognito-idp:AdminAddUserToGroup arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${pools.userPool.userPoolId}`]);
    const adminToken = (await signIn(pools, 'admin@example.org')).idToken;
    const claims = JSON.parse(Buffer.from(adminToken.split('.')[1], 'base64url').toString());
    expect(claims['cognito:groups']).toEqual(['admins']);
    expect(claims['cognito:preferred_role']).toMatch(/^arn:aws:iam::000000000000:role\//);

    const credentialsOf = async (idToken: string) => {
      const Logins = { [pools.providerName]: idToken };
      const { IdentityId } = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
      const result = await pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
      return pools.credentials.lookup(result.Credentials!.AccessKeyId!)!.principal;
    };
    expect((await credentialsOf(adminToken)).roleLogicalId).toBe(ADMIN_ROLE);
    const plain = await signedIn(pools, 'plain@example.org');
    expect((await credentialsOf(plain.idToken)).roleLogicalId).toBe(AUTH_ROLE);
  });

  test('GIVEN a role whose trust policy names another identity pool WHEN getting credentials THEN InvalidIdentityPoolConfigurationException', async () => {
    const pools = await startPools({ trustAudience: 'eu-west-1:00000000-0000-4000-8000-000000000000' });
    const user = await signedIn(pools, 'trust@example.org');
    const Logins = { [pools.providerName]: user.idToken };
    const { IdentityId } = await pools.identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPool.identityPoolId, Logins }));
    expect(await failure(pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins })))).toMatchObject({
      name: 'InvalidIdentityPoolConfigurationException',
    });
  });

  test('GIVEN AllowUnauthenticatedIdentities WHEN a guest asks THEN a new identity each time with the guest role', async () => {
    const pools = await startPools({ allowGuests: true });
    const IdentityPoolId = pools.identityPool.identityPoolId;
    const one = await pools.identity.send(new GetIdCommand({ IdentityPoolId }));
    const two = await pools.identity.send(new GetIdCommand({ IdentityPoolId }));
    expect(one.IdentityId).not.toBe(two.IdentityId);
    const result = await pools.identity.send(new GetCredentialsForIdentityCommand({ IdentityId: one.IdentityId }));
    expect(pools.credentials.lookup(result.Credentials!.AccessKeyId!)!.principal).toMatchObject({
      roleLogicalId: GUEST_ROLE,
      identityId: one.IdentityId,
      contextKeys: { 'cognito-identity.amazonaws.com:amr': ['unauthenticated'] },
    });
  });
});
