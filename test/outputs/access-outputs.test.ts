import { synthStage } from '../support/synth';

const dev = synthStage({ stage: 'dev', rulePacks: false });
const prod = synthStage({ stage: 'prod', rulePacks: false });

const CONTRACT = ['UserPoolId', 'UserPoolClientId', 'IdentityPoolId', 'Region', 'BucketName', 'TableName', 'ApiUrl'];
const PARAMETERS: Record<string, string> = {
  UserPoolId: 'user-pool-id',
  UserPoolClientId: 'user-pool-client-id',
  IdentityPoolId: 'identity-pool-id',
  Region: 'region',
  BucketName: 'bucket-name',
  TableName: 'table-name',
  ApiUrl: 'api-url',
  SignInDomain: 'sign-in-domain',
  SignInDomainAliasTarget: 'sign-in-domain-alias-target',
  WebAppUrl: 'web-app-url',
  AlarmTopicArn: 'alarm-topic-arn',
};

describe('outputs and SSM parameters', () => {
  test('GIVEN dev (no domain, hosted web app) THEN exactly the contract outputs and WebAppUrl exist, with stable export names', () => {
    const outputs = dev.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual([...CONTRACT, 'WebAppUrl', 'AlarmTopicArn'].sort());
    for (const name of [...CONTRACT, 'WebAppUrl', 'AlarmTopicArn']) expect(outputs[name].Export).toEqual({ Name: `CognitoAccess-dev-${name}` });
  });

  test('GIVEN prod (with a domain) THEN SignInDomain is output too', () => {
    const outputs = prod.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual([...CONTRACT, 'SignInDomain', 'AlarmTopicArn'].sort());
    expect(outputs.SignInDomain.Value).toEqual('example-org-signin.auth.eu-west-1.amazoncognito.com');
    expect(outputs.Region.Value).toEqual('eu-west-1');
  });

  test.each([
    ['dev', dev],
    ['prod', prod],
  ])('GIVEN stage %s THEN every output has an SSM parameter of the same value under /cognito-access/<stage>/', (stage, synth) => {
    const template = synth.template.toJSON();
    const parameters = Object.values(template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SSM::Parameter');
    expect(parameters).toHaveLength(Object.keys(template.Outputs).length);
    for (const [name, output] of Object.entries(template.Outputs as Record<string, any>)) {
      const parameter = parameters.find((p) => p.Properties.Name === `/cognito-access/${stage}/${PARAMETERS[name]}`);
      expect(parameter).toBeDefined();
      expect(parameter.Properties.Value).toEqual(output.Value);
      expect(parameter.Properties.Type).toBe('String');
    }
  });

  test('GIVEN the outputs THEN they reference the resources they name', () => {
    const outputs = dev.template.toJSON().Outputs;
    expect(outputs.UserPoolId.Value).toEqual({ Ref: expect.stringMatching(/^UserDirectoryUserPool/) });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: expect.stringMatching(/^UserDirectoryUserPoolWebClient/) });
    expect(outputs.IdentityPoolId.Value).toEqual({ Ref: expect.stringMatching(/^IdentityStorageIdentityPool/) });
    expect(outputs.BucketName.Value).toEqual({ Ref: expect.stringMatching(/^IdentityStorageBucket/) });
    expect(outputs.TableName.Value).toEqual({ Ref: expect.stringMatching(/^IdentityStorageTable/) });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toMatch(
      /"https:\/\/",{"Ref":"AuthorizedApi\w+"},".execute-api.".*"AuthorizedApiDeploymentStagev1\w+"},"\/"\]/,
    );
  });

  test('GIVEN a custom sign-in domain THEN the CloudFront alias target for its DNS record is output too', () => {
    const { template } = synthStage({
      stage: 'custom-domain',
      rulePacks: false,
      config: {
        webClient: { callbackUrls: ['https://a.example.org/cb'], logoutUrls: ['https://a.example.org/'] },
        domain: {
          customDomain: { name: 'auth.example.org', certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000000' },
        },
      },
    });
    const outputs = template.toJSON().Outputs;
    expect(outputs.SignInDomain.Value).toBe('auth.example.org');
    expect(outputs.SignInDomainAliasTarget.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^UserDirectoryUserPoolDomain/), 'CloudFrontDistribution'] });
  });

  test('GIVEN ssmPrefix in config THEN parameters move under it', () => {
    const { template } = synthStage({
      stage: 'custom',
      rulePacks: false,
      config: { ssmPrefix: '/platform/auth', webClient: { callbackUrls: ['https://a.example.org/cb'], logoutUrls: ['https://a.example.org/'] } },
    });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/platform/auth/user-pool-id' });
  });
});
