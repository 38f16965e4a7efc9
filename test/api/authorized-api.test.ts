import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuthorizedApi } from '../../lib/api/authorized-api';
import { HANDLER_ENV } from '../../contracts/handler-env';
import { API_ROUTES } from '../../lib/api/routes';
import { contextApp, synthStage } from '../support/synth';

const dev = synthStage({ stage: 'dev', rulePacks: false });
const prod = synthStage({ stage: 'prod', rulePacks: false });

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DependsOn?: string[] }>;
const resourcesOf = (template: Template, type: string): Resources => template.findResources(type) as Resources;
/** Only what the API construct created (the stack also holds the upload checker and CDK's helpers). */
const apiResourcesOf = (template: Template, type: string): Resources =>
  Object.fromEntries(Object.entries(resourcesOf(template, type)).filter(([id]) => id.startsWith('AuthorizedApi')));

describe('AuthorizedApi in the synthesized stages', () => {
  test.each([
    ['dev', dev.template],
    ['prod', prod.template],
  ])('GIVEN stage %s THEN every method other than OPTIONS needs the Cognito authorizer', (_stage, template) => {
    const methods = Object.values(resourcesOf(template, 'AWS::ApiGateway::Method'));
    const authorizers = Object.keys(resourcesOf(template, 'AWS::ApiGateway::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const protectedMethods = methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(protectedMethods).toHaveLength(API_ROUTES.length);
    for (const method of protectedMethods) {
      expect(method.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(method.Properties.AuthorizerId).toEqual({ Ref: authorizers[0] });
    }
    for (const preflight of methods.filter((m) => m.Properties.HttpMethod === 'OPTIONS')) {
      expect(preflight.Properties.AuthorizationType).toBe('NONE');
      expect(preflight.Properties.Integration.Type).toBe('MOCK');
    }
  });

  test('GIVEN the documented routes THEN each one exists with its method', () => {
    const resources = resourcesOf(dev.template, 'AWS::ApiGateway::Resource');
    const paths = Object.values(resources).map((r) => r.Properties.PathPart);
    expect(paths.sort()).toEqual(['admin', 'files', 'me', 'upload-url', 'uploads', '{name}', 'status'].sort());
    const methods = Object.values(resourcesOf(dev.template, 'AWS::ApiGateway::Method'))
      .map((m) => m.Properties.HttpMethod)
      .filter((m) => m !== 'OPTIONS')
      .sort();
    expect(methods).toEqual(['DELETE', 'DELETE', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST']);
  });

  test('GIVEN the authorizer THEN it reads the Authorization header of the user pool and caches per config', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
      ProviderARNs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^UserDirectoryUserPool'), 'Arn'] }],
    });
  });

  test('GIVEN the stage THEN it is regional, throttled, traced, logs JSON access logs and never logs bodies', () => {
    prod.template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    prod.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
    dev.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40, LoggingLevel: 'OFF', DataTraceEnabled: false })],
    });
  });

  test('GIVEN the stack THEN it does not create the account-wide API Gateway CloudWatch role', () => {
    dev.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    prod.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test.each([
    ['prod', prod.template, 'Retain'],
    ['dev', dev.template, 'Delete'],
  ])('GIVEN %s THEN the access and handler log groups follow the stage removal (%s)', (_stage, template, policy) => {
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(group.DeletionPolicy).toBe(policy);
  });

  test('GIVEN log groups THEN every one has a retention from config', () => {
    const groups = Object.values(apiResourcesOf(prod.template, 'AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(API_ROUTES.length + 1);
    // prod keeps every log a year, as the Control Tower retention control expects.
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual(groups.map(() => 365));
  });

  test.each([
    ['UNAUTHORIZED', 'unauthorized'],
    ['ACCESS_DENIED', 'forbidden'],
    ['THROTTLED', 'throttled'],
    ['DEFAULT_4XX', 'request_error'],
    ['DEFAULT_5XX', 'gateway_error'],
  ])('GIVEN gateway response %s THEN it uses the JSON error shape and the configured origin', (type, code) => {
    prod.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: type,
      ResponseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.org'",
        'gatewayresponse.header.Content-Type': "'application/json'",
      },
      ResponseTemplates: { 'application/json': `{"error":{"code":"${code}","message":$context.error.messageString}}` },
    });
  });

  test('GIVEN CORS preflight THEN only configured origins, methods and headers are allowed', () => {
    const preflight = Object.values(resourcesOf(prod.template, 'AWS::ApiGateway::Method')).find((m) => m.Properties.HttpMethod === 'OPTIONS')!;
    const headers = preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters;
    expect(headers['method.response.header.Access-Control-Allow-Origin']).toBe("'https://app.example.org'");
    expect(headers['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,POST,DELETE,OPTIONS'");
    expect(headers['method.response.header.Access-Control-Allow-Headers']).toBe("'Authorization,Content-Type'");
  });
});

describe('handlers', () => {
  const functions = Object.values(apiResourcesOf(prod.template, 'AWS::Lambda::Function'));

  test('GIVEN every handler THEN it runs on ARM64 with a current Node runtime, explicit memory and timeout, JSON logs and tracing', () => {
    expect(functions).toHaveLength(API_ROUTES.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: lambda.Runtime.NODEJS_24_X.name,
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 10,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
        TracingConfig: { Mode: 'Active' },
      });
      // The handler-env contract's names, minus the checker's own limits (and the items table, which only
      // the account-deletion handler is told): none can go missing or drift.
      const checkerOnly: string[] = [HANDLER_ENV.quotaBytesPerUser, HANDLER_ENV.csvMaxColumns, HANDLER_ENV.csvMaxFieldBytes];
      const names = Object.keys(fn.Properties.Environment.Variables).filter((name) => name !== HANDLER_ENV.itemsTable);
      expect(names.sort()).toEqual(
        Object.values(HANDLER_ENV)
          .filter((name) => !checkerOnly.includes(name) && name !== HANDLER_ENV.itemsTable)
          .sort(),
      );
    }
  });

  test.each([
    ['prod', 'retain', 'hash'],
    ['dev', 'destroy', 'plain'],
  ])('GIVEN %s (removal %s) THEN every handler logs file names as %s', (stage, _removal, expected) => {
    const template = stage === 'prod' ? prod.template : dev.template;
    const handlers = Object.values(apiResourcesOf(template, 'AWS::Lambda::Function'));
    expect(handlers).toHaveLength(API_ROUTES.length);
    for (const fn of handlers) expect(fn.Properties.Environment.Variables[HANDLER_ENV.logFileNames]).toBe(expected);
  });

  test('GIVEN handler roles THEN none uses a managed policy and each gets exactly the S3 actions its route declares', () => {
    const roles = resourcesOf(prod.template, 'AWS::IAM::Role');
    const policies = Object.values(resourcesOf(prod.template, 'AWS::IAM::Policy'));
    // The account-deletion role gets its owners' deletion grants instead (test/api/delete-me-route.test.ts).
    for (const route of API_ROUTES.filter((r) => !r.deletesAccount)) {
      const fn = Object.entries(resourcesOf(prod.template, 'AWS::Lambda::Function')).find(([id]) => id.startsWith(`AuthorizedApi${route.id}Function`));
      expect(fn).toBeDefined();
      const roleId = fn![1].Properties.Role['Fn::GetAtt'][0];
      expect(roles[roleId].Properties.ManagedPolicyArns).toBeUndefined();
      const statements = policies.filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId)).flatMap((p) => p.Properties.PolicyDocument.Statement);
      const s3Actions = statements
        .filter((s: any) => s.Effect === 'Allow')
        .flatMap((s: any) => [s.Action].flat())
        .filter((a: string) => a.startsWith('s3:'));
      expect(s3Actions.sort()).toEqual([...route.s3Actions].sort());
      // A role that writes objects may not write below a file name (`<identityId>/<name>/…`).
      const denies = statements.filter((s: any) => s.Effect === 'Deny');
      expect(denies).toEqual(
        route.s3Actions.includes('s3:PutObject')
          ? [
              {
                Sid: 'DenyNestedKeyWrites',
                Effect: 'Deny',
                Action: 's3:PutObject',
                Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^IdentityStorageBucket/), 'Arn'] }, '/*/*/*']] },
              },
            ]
          : [],
      );
      const logs = statements.find((s: any) => [s.Action].flat().includes('logs:PutLogEvents'));
      expect(logs.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^AuthorizedApi${route.id}LogGroup`)), 'Arn'] });
      const identityMap = statements.filter((s: any) => JSON.stringify(s.Resource).includes('AuthorizedApiIdentityMap'));
      const results = statements.filter((s: any) => JSON.stringify(s.Resource).includes('UploadChecksResultsTable'));
      // Statuses are read by key only: no Query, no Scan, no write.
      expect(results).toEqual([
        ...(route.readsUploadResults ? [expect.objectContaining({ Action: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'] })] : []),
        // Operators list through the newest-first index only, never the table itself.
        ...(route.listsUploadResults
          ? [
              {
                Effect: 'Allow',
                Action: 'dynamodb:Query',
                Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^UploadChecksResultsTable/), 'Arn'] }, '/index/ByCheckedAt']] },
              },
            ]
          : []),
      ]);
      if (route.resolvesIdentity) {
        // Read the mapping or write it once: no update, no delete, no other table.
        expect(identityMap).toEqual([
          expect.objectContaining({
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
            Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AuthorizedApiIdentityMap/), 'Arn'] },
          }),
        ]);
      } else {
        expect(identityMap).toEqual([]);
      }
      expect(statements.flatMap((s: any) => [s.Action].flat()).filter((a: string) => !/^(s3|logs|xray|dynamodb|kms):/.test(a))).toEqual([]);
      // prod encrypts the bucket with KMS: the key is usable only through S3.
      for (const statement of statements.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')))) {
        expect(statement.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
      }
    }
  });
});

describe('GIVEN a KMS-encrypted bucket', () => {
  const kms = synthStage({
    stage: 'kms',
    rulePacks: false,
    config: {
      region: 'eu-west-1',
      webClient: { callbackUrls: ['https://a.example.org/cb'], logoutUrls: ['https://a.example.org/'] },
      storage: { kmsEncryption: true },
    },
  });
  // Presigned URLs are signed with the handler role, so the S3 request they make needs the key.
  const EXPECTED_KMS: Record<string, string[]> = { GetFile: ['kms:Decrypt'], GetFileStatus: ['kms:Decrypt'], CreateUploadUrl: ['kms:GenerateDataKey'] };

  test.each(API_ROUTES.map((r) => r.id))('WHEN the %s role is read THEN it may use the key only through S3, and only as its route needs', (routeId) => {
    const fn = Object.entries(kms.template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(`AuthorizedApi${routeId}Function`))!;
    // Both GetFile and GetFileStatus start with "GetFile"; match the whole route ID.
    expect(fn[0]).toMatch(new RegExp(`^AuthorizedApi${routeId}Function[0-9A-F]{8}$`));
    const roleId = fn[1].Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(kms.template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('kms:')));
    if (!EXPECTED_KMS[routeId]) {
      expect(statements).toEqual([]);
      return;
    }
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: EXPECTED_KMS[routeId].length === 1 ? EXPECTED_KMS[routeId][0] : EXPECTED_KMS[routeId],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^IdentityStorageEncryptionKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
  });
});

describe('RequireCognitoAuthorization', () => {
  function apiWithExtraMethod(options: apigw.MethodOptions): App {
    const app = contextApp();
    const stack = new Stack(app, 'Bare');
    const userPool = new cognito.UserPool(stack, 'Pool');
    const api = new AuthorizedApi(stack, 'Api', {
      userPool,
      identityPoolId: 'eu-west-1:00000000-0000-0000-0000-000000000000',
      bucket: new s3.Bucket(stack, 'Bucket'),
      routes: [],
    });
    api.api.root.addResource('protected').addMethod('GET', new apigw.MockIntegration());
    api.api.root.addResource('open').addMethod('GET', new apigw.MockIntegration(), options);
    return app;
  }

  test('GIVEN a route added later with no options THEN it inherits the authorizer and synth succeeds', () => {
    const app = apiWithExtraMethod({});
    const template = Template.fromStack(app.node.findChild('Bare') as Stack);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    expect(methods.map((m) => m.Properties.AuthorizationType)).toEqual(['COGNITO_USER_POOLS', 'COGNITO_USER_POOLS']);
  });

  test('GIVEN a route that overrides authorization to NONE THEN synth fails naming the method', () => {
    const app = apiWithExtraMethod({ authorizationType: apigw.AuthorizationType.NONE, authorizer: undefined });
    expect(() => app.synth()).toThrow(/GET .*open.* is not protected by the Cognito authorizer/);
  });

  test('GIVEN a method that demands a named scope THEN it keeps the authorizer and synth succeeds', () => {
    const app = apiWithExtraMethod({ authorizationScopes: ['api/uploads.read'] });
    const template = Template.fromStack(app.node.findChild('Bare') as Stack);
    template.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['api/uploads.read'] });
  });

  test('GIVEN a scope without its resource server THEN synth fails naming the method and the scope', () => {
    const app = apiWithExtraMethod({ authorizationScopes: ['uploads.read'] });
    expect(() => app.synth()).toThrow(/GET .*open.* names authorization scopes \["uploads.read"\]/);
  });

  test('GIVEN a scoped method whose authorization is overridden to NONE THEN synth still fails', () => {
    const app = apiWithExtraMethod({ authorizationType: apigw.AuthorizationType.NONE, authorizer: undefined, authorizationScopes: ['api/uploads.read'] });
    expect(() => app.synth()).toThrow(/is not protected by the Cognito authorizer/);
  });

  test('GIVEN a "*" origin THEN the construct refuses it', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S');
    expect(
      () =>
        new AuthorizedApi(stack, 'Api', {
          userPool: new cognito.UserPool(stack, 'Pool'),
          identityPoolId: 'x',
          bucket: new s3.Bucket(stack, 'Bucket'),
          routes: [],
          allowedOrigins: ['*'],
        }),
    ).toThrow(/exact origins/);
  });
});
