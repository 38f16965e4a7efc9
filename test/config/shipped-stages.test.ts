/** Every shipped stage validates, and a minimal file gets the documented defaults. */
import { listStages, loadStageConfig, parseStageConfig } from '../../lib/config/load-stage-config';

describe('shipped stage configs', () => {
  test('GIVEN the config directory WHEN listed THEN dev (the default stage) and prod ship', () => {
    expect(listStages()).toEqual(expect.arrayContaining(['dev', 'prod']));
  });

  test.each(listStages())('GIVEN config/%s.json WHEN loaded THEN it validates', (stage) => {
    expect(() => loadStageConfig(stage)).not.toThrow();
  });

  test('GIVEN config/prod.json WHEN loaded THEN it is a production setup', () => {
    const prod = loadStageConfig('prod');
    expect(prod.removal).toBe('retain');
    expect(prod.userPool.featurePlan).toBe('plus');
    expect(prod.userPool.threatProtection).toBe('enforced');
    expect(prod.userPool.mfa.mode).toBe('required');
    expect(prod.domain).toBeDefined();
    const { google, facebook, amazon, apple, oidc, saml } = prod.identityProviders;
    expect([google, facebook, amazon, apple, ...oidc, ...saml].filter(Boolean).length).toBeGreaterThan(0);
    for (const url of [...prod.webClient.callbackUrls, ...prod.webClient.logoutUrls]) expect(url).toMatch(/^https:\/\//);
  });

  test('GIVEN config/prod.json ("only administrators create users") WHEN loaded THEN self sign-up is off and every provider admits existing users only', () => {
    const prod = loadStageConfig('prod');
    expect(prod.userPool.selfSignUp).toBe(false);
    const { google, facebook, amazon, apple, oidc, saml } = prod.identityProviders;
    const providers = [google, facebook, amazon, apple, ...oidc, ...saml].filter((provider) => provider !== undefined);
    expect(providers.map((provider) => provider.signUp)).toEqual(['existingUsers', 'existingUsers']);
  });

  test('GIVEN config/dev.json WHEN loaded THEN it needs no account, region or secret', () => {
    const dev = loadStageConfig('dev');
    expect(dev.account).toBeUndefined();
    expect(dev.region).toBeUndefined();
    expect(dev.identityProviders).toEqual({ oidc: [], saml: [] });
  });
});

describe('defaults', () => {
  test('GIVEN only the required web client URLs WHEN validated THEN every default is applied', () => {
    const config = parseStageConfig(
      { webClient: { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] } },
      'config/test.json',
    );

    // Section by section, so a new config section (with its own tests) does not break this one.
    expect(config.removal).toBe('retain');
    expect(config.userPool).toEqual({
      selfSignUp: false,
      featurePlan: 'essentials',
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidityDays: 3,
        passwordHistorySize: 5,
      },
      mfa: { mode: 'optional', totp: true, sms: false, email: false },
      groups: [],
      signIn: { firstFactors: ['password'], passkeyUserVerification: 'preferred' },
      triggers: {},
    });
    expect(config.webClient).toEqual({
      callbackUrls: ['https://app.example.org/cb'],
      logoutUrls: ['https://app.example.org/'],
      scopes: ['openid', 'email', 'profile'],
      accessTokenMinutes: 30,
      idTokenMinutes: 30,
      refreshTokenDays: 7,
      authSessionMinutes: 3,
      refreshTokenRotation: { enabled: true, retryGraceSeconds: 10 },
    });
    expect(config.machineClients).toEqual([]);
    expect(config.domain).toBeUndefined();
    expect(config.identityProviders).toEqual({ oidc: [], saml: [] });
    expect(config.tags).toEqual({});
  });

  test('GIVEN a partial password policy WHEN validated THEN the missing fields keep their defaults', () => {
    const config = parseStageConfig(
      { userPool: { passwordPolicy: { minLength: 16 } }, webClient: { callbackUrls: ['https://a.example.org/'], logoutUrls: ['https://a.example.org/'] } },
      'config/test.json',
    );
    expect(config.userPool.passwordPolicy).toEqual(expect.objectContaining({ minLength: 16, requireSymbols: true, passwordHistorySize: 5 }));
  });

  test('GIVEN a domain prefix without a version WHEN validated THEN managed login (v2) is chosen', () => {
    const config = parseStageConfig(
      { domain: { prefix: 'example-org' }, webClient: { callbackUrls: ['https://a.example.org/'], logoutUrls: ['https://a.example.org/'] } },
      'config/test.json',
    );
    expect(config.domain).toEqual({ prefix: 'example-org', managedLoginVersion: 'managed' });
  });

  test('GIVEN an OIDC provider without scopes WHEN validated THEN it asks for openid, email and profile', () => {
    const config = parseStageConfig(
      {
        domain: { prefix: 'example-org' },
        webClient: { callbackUrls: ['https://a.example.org/'], logoutUrls: ['https://a.example.org/'] },
        identityProviders: {
          oidc: [{ name: 'Corp', issuerUrl: 'https://idp.example.org', clientId: 'c', clientSecret: { secretName: 's' }, signUp: 'existingUsers' }],
        },
      },
      'config/test.json',
    );
    expect(config.identityProviders.oidc[0].scopes).toEqual(['openid', 'email', 'profile']);
  });
});
