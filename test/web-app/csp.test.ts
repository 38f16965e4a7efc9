/**
 * The CSP the local dev server, the browser test and the benchmark serve
 * (web/csp.ts), built from a stage's amplify_outputs.json: exactly the hosts
 * the app calls, no wildcard.
 */
import type { AmplifyOutputs } from '../../contracts/amplify-outputs';
import { awsDnsSuffix, contentSecurityPolicy, extraConnectOrigins } from '../../web/csp';

function outputs(overrides: { region?: string; oauthDomain?: string; customDomain?: string } = {}): AmplifyOutputs {
  const region = overrides.region ?? 'eu-west-1';
  return {
    auth: { aws_region: region, ...(overrides.oauthDomain ? { oauth: { domain: overrides.oauthDomain } } : {}) },
    storage: { aws_region: region, bucket_name: 'user-files-bucket' },
    custom: {
      API: { CognitoAccess: { endpoint: `https://abc123.execute-api.${region}.amazonaws.com/v1/`, region, apiName: 'CognitoAccess' } },
      auth: overrides.customDomain ? { custom_domain: overrides.customDomain } : {},
    },
  } as unknown as AmplifyOutputs;
}

describe('web/csp.ts', () => {
  test("GIVEN outputs without a sign-in domain WHEN the origins are listed THEN they are the two Cognito endpoints, the bucket's host and the API", () => {
    expect(extraConnectOrigins(outputs())).toEqual(
      [
        'https://cognito-idp.eu-west-1.amazonaws.com',
        'https://cognito-identity.eu-west-1.amazonaws.com',
        'https://user-files-bucket.s3.eu-west-1.amazonaws.com',
        'https://abc123.execute-api.eu-west-1.amazonaws.com',
      ].sort(),
    );
  });

  test('GIVEN a sign-in domain WHEN the origins are listed THEN the domain is one of them (the code exchange calls /oauth2/token)', () => {
    expect(extraConnectOrigins(outputs({ oauthDomain: 'example-org-signin.auth.eu-west-1.amazoncognito.com' }))).toContain(
      'https://example-org-signin.auth.eu-west-1.amazoncognito.com',
    );
    expect(extraConnectOrigins(outputs({ oauthDomain: 'auth.example.org', customDomain: 'auth.example.org' }))).toContain('https://auth.example.org');
  });

  test('GIVEN a China Region WHEN the origins are listed THEN they use its DNS suffix', () => {
    expect(awsDnsSuffix('cn-north-1')).toBe('amazonaws.com.cn');
    expect(extraConnectOrigins(outputs({ region: 'cn-north-1' }))).toContain('https://cognito-idp.cn-north-1.amazonaws.com.cn');
  });

  test('GIVEN the origins WHEN the policy is built THEN connect-src names exactly them and no wildcard', () => {
    const policy = contentSecurityPolicy(extraConnectOrigins(outputs()));
    expect(policy).toContain("connect-src 'self' https://abc123.execute-api.eu-west-1.amazonaws.com https://cognito-identity.eu-west-1.amazonaws.com");
    expect(policy).not.toContain('*');
  });
});
