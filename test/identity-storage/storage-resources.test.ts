import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { StageConfigError, parseStageConfig } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { IdentityScopedStorage } from '../../lib/identity-storage/identity-scoped-storage';
import { REPO_ROOT, synthStage, type SynthResult } from '../support/synth';
import { TemplatePolicies, logicalIdOf, type Json } from './template-policies';

const devConfig = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'config', 'dev.json'), 'utf8')) as StageConfigInput;

// Synthesized once for the whole file.
const synths: Record<'dev' | 'prod' | 'kms', SynthResult> = {
  dev: synthStage({ stage: 'dev', rulePacks: false }),
  prod: synthStage({ stage: 'prod', rulePacks: false }),
  // dev with KMS, other lifecycle periods and no access logs: proves the values come from config.
  kms: synthStage({
    stage: 'dev',
    rulePacks: false,
    config: { ...devConfig, storage: { kmsEncryption: true, noncurrentVersionDays: 14, abortIncompleteUploadDays: 3, accessLogs: false } },
  }),
};

/** Logical IDs that follow from the construct tree, read through the stack's own objects. */
function ids(result: SynthResult) {
  const { stack } = result;
  return {
    userPool: logicalIdOf(stack, stack.userDirectory.userPool),
    webClient: logicalIdOf(stack, stack.userDirectory.webClient),
    identityPool: logicalIdOf(stack, stack.identities.identityPool),
    authRole: logicalIdOf(stack, stack.identities.authenticatedRole),
    bucket: logicalIdOf(stack, stack.storage.bucket),
    accessLogBucket: stack.storage.accessLogBucket && logicalIdOf(stack, stack.storage.accessLogBucket),
    table: logicalIdOf(stack, stack.storage.table),
  };
}

function resource(result: SynthResult, id: string): Json {
  const found = result.template.toJSON().Resources[id];
  if (!found) throw new Error(`No resource ${id}`);
  return found;
}

const TRUSTS_AUTHENTICATED_IDENTITIES_OF = (identityPoolId: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: identityPoolId } },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
      },
    },
  ],
});

describe('stateful resources', () => {
  test.each([
    ['dev', 2],
    ['prod', 0],
  ] as const)('GIVEN %s THEN %i buckets are emptied on stack deletion (only a destroy stage can be torn down)', (stage, count) => {
    // Only the storage construct's buckets (the hosted web app has its own).
    const storageAutoDeletes = Object.values(synths[stage].template.findResources('Custom::S3AutoDeleteObjects')).filter((r) =>
      JSON.stringify(r.Properties.BucketName).includes('"IdentityStorage'),
    );
    expect(storageAutoDeletes).toHaveLength(count);
  });

  // The logical IDs themselves are pinned in test/composition/snapshots.test.ts.
  test.each<['dev' | 'prod', string]>([
    ['prod', 'Retain'],
    ['dev', 'Delete'],
  ])('GIVEN %s THEN the user pool, identity pool, bucket and table carry DeletionPolicy and UpdateReplacePolicy %s', (stage, policy) => {
    const { userPool, identityPool, bucket, table } = ids(synths[stage]);
    for (const id of [userPool, identityPool, bucket, table]) {
      expect({ id, DeletionPolicy: resource(synths[stage], id).DeletionPolicy, UpdateReplacePolicy: resource(synths[stage], id).UpdateReplacePolicy }).toEqual({
        id,
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
      });
    }
  });
});

describe.each(['dev', 'prod'] as const)('GIVEN the %s identity pool', (stage) => {
  const result = synths[stage];
  const { template } = result;
  const id = ids(result);

  test('THEN guests and the classic flow are off, and only the web client of this user pool signs in, with the server-side token check', () => {
    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: false,
      AllowClassicFlow: false,
      CognitoIdentityProviders: [
        {
          ClientId: { Ref: id.webClient },
          ProviderName: Match.anyValue(),
          ServerSideTokenCheck: true,
        },
      ],
    });
    expect(JSON.stringify(resource(result, id.identityPool).Properties.CognitoIdentityProviders[0].ProviderName)).toContain(id.userPool);
    expect(Object.keys(resource(result, id.identityPool).Properties)).not.toContain('SupportedLoginProviders');
  });

  test('THEN the identity pool did not create a second user pool client', () => {
    // Machine clients (client credentials only) are separate on purpose; one client signs users in.
    const userClients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).filter(
      (c) => !(c.Properties.AllowedOAuthFlows ?? []).includes('client_credentials'),
    );
    expect(userClients).toHaveLength(1);
  });

  test('THEN the authenticated role trusts only authenticated identities of this pool', () => {
    expect(resource(result, id.authRole).Properties.AssumeRolePolicyDocument).toEqual(TRUSTS_AUTHENTICATED_IDENTITIES_OF(id.identityPool));
  });
});

describe('GIVEN group roles', () => {
  test('WHEN prod has a read-all group THEN the role attachment maps roles from the token and falls back to the authenticated role', () => {
    const result = synths.prod;
    const id = ids(result);
    result.template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: { Ref: id.identityPool },
      Roles: { authenticated: { 'Fn::GetAtt': [id.authRole, 'Arn'] } },
      RoleMappings: {
        userpool: {
          Type: 'Token',
          AmbiguousRoleResolution: 'AuthenticatedRole',
          IdentityProvider: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id.userPool, 'ProviderName'] }, ':', { Ref: id.webClient }]] },
        },
      },
    });
  });

  test('WHEN dev has no read-all group THEN there is no role mapping', () => {
    synths.dev.template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', { RoleMappings: Match.absent() });
  });

  test('WHEN prod has the admins group THEN its RoleArn is the group role, which trusts authenticated identities of this pool (aud + amr)', () => {
    const result = synths.prod;
    const groupRoleId = logicalIdOf(result.stack, result.stack.identities.groupRoles.admins);
    result.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', RoleArn: { 'Fn::GetAtt': [groupRoleId, 'Arn'] } });
    result.template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'members', RoleArn: Match.absent() });
    expect(resource(result, groupRoleId).Properties.AssumeRolePolicyDocument).toEqual(TRUSTS_AUTHENTICATED_IDENTITIES_OF(ids(result).identityPool));
  });
});

describe.each(['dev', 'prod', 'kms'] as const)('GIVEN the %s user-files bucket', (variant) => {
  const result = synths[variant];
  const id = ids(result);
  const bucket = () => resource(result, id.bucket).Properties;

  test('THEN all four public access blocks are on and ACLs are disabled', () => {
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket().OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('THEN versioning is enabled', () => {
    expect(bucket().VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('THEN noncurrent versions expire and incomplete uploads abort after the configured days', () => {
    const rules = bucket().LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: result.config.storage.noncurrentVersionDays } }),
        expect.objectContaining({
          Status: 'Enabled',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: result.config.storage.abortIncompleteUploadDays },
        }),
      ]),
    );
  });

  /**
   * The bucket's CORS rule: its own property, or, with a hosted web app (whose CSP names the
   * bucket), the rule the PutBucketCors custom resource writes once the site exists.
   */
  const corsRule = (): Record<string, unknown> => {
    if (!result.config.webApp.enabled) return bucket().CorsConfiguration.CorsRules[0];
    expect(bucket().CorsConfiguration).toBeUndefined();
    const [cors] = Object.entries(result.template.findResources('Custom::AWS')).filter(([logicalId]) => logicalId.startsWith('IdentityStorageCorsRules'));
    const [, parts] = (cors[1] as any).Properties.Create['Fn::Join'];
    const call = JSON.parse(parts.map((part: any) => (typeof part === 'string' ? part : '<token>')).join(''));
    expect(call).toMatchObject({ service: 'S3', action: 'PutBucketCors', parameters: { Bucket: '<token>' } });
    const rule = call.parameters.CORSConfiguration.CORSRules[0];
    return {
      AllowedOrigins: rule.AllowedOrigins,
      AllowedMethods: rule.AllowedMethods,
      AllowedHeaders: rule.AllowedHeaders,
      ExposedHeaders: rule.ExposeHeaders,
      MaxAge: rule.MaxAgeSeconds,
    };
  };

  test('THEN CORS allows exactly the configured origins, with the methods and headers a browser upload needs', () => {
    expect(result.config.webOrigins.length).toBeGreaterThan(0);
    expect(corsRule()).toEqual({
      // The hosted web app's own origin joins the configured ones.
      AllowedOrigins: [...result.config.webOrigins, ...(result.config.webApp.enabled ? ['https://<token>'] : [])],
      AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
      AllowedHeaders: ['authorization', 'content-type', 'content-md5', 'x-amz-*', 'amz-sdk-*'],
      ExposedHeaders: ['ETag', 'x-amz-version-id', 'x-amz-request-id', 'x-amz-id-2', 'x-amz-server-side-encryption'],
      MaxAge: 3000,
    });
    expect(JSON.stringify((corsRule() as any).AllowedOrigins)).not.toContain('*');
  });

  test('THEN the bucket policy denies every request that is not over TLS', () => {
    result.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id.bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [{ 'Fn::GetAtt': [id.bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id.bucket, 'Arn'] }, '/*']] }],
          },
        ]),
      },
    });
  });
});

describe('GIVEN encryption settings', () => {
  test('WHEN dev keeps the default THEN the bucket uses S3-managed keys (AES256) and there is no bucket key', () => {
    const id = ids(synths.dev);
    expect(resource(synths.dev, id.bucket).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(synths.dev.stack.storage.encryptionKey).toBeUndefined();
  });

  test('WHEN prod sets storage.kmsEncryption (as the Control Tower control expects) THEN the bucket uses its customer managed key', () => {
    const keyId = synths.prod.stack.getLogicalId(synths.prod.stack.storage.encryptionKey!.node.defaultChild as any);
    expect(
      resource(synths.prod, ids(synths.prod).bucket).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  test('WHEN access logs are on THEN the log bucket is versioned and old log versions expire', () => {
    const logBucket = synths.dev.template.toJSON().Resources[synths.dev.stack.getLogicalId(synths.dev.stack.storage.accessLogBucket!.node.defaultChild as any)];
    expect(logBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logBucket.Properties.LifecycleConfiguration.Rules[0]).toEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }));
  });

  test('WHEN storage.kmsEncryption is true THEN the bucket uses a rotating customer managed key and the authenticated role may use it only through S3', () => {
    const result = synths.kms;
    const id = ids(result);
    const keyId = logicalIdOf(result.stack, result.stack.storage.encryptionKey!);
    expect(resource(result, id.bucket).Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
      ],
    });
    expect(resource(result, keyId).Properties.EnableKeyRotation).toBe(true);

    const policies = new TemplatePolicies(result.template, result.stack);
    const keyArn = policies.resolve({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const kmsStatements = policies
      .identityPolicies(policies.identityPoolRoleId('authenticated'))
      .flatMap((p) => p.policy.Statement)
      .filter((s: Json) => [s.Resource].flat().includes(keyArn));
    // Only what S3 needs, and only through S3: the role cannot call KMS directly.
    expect(kmsStatements).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:ViaService': expect.stringMatching(/^s3\..+\.amazonaws\.com$/) } },
      },
    ]);
  });
});

describe('GIVEN server access logging', () => {
  test.each(['dev', 'prod'] as const)(
    'WHEN %s keeps it on THEN the bucket logs into the access-log bucket, which accepts only S3 log delivery for it',
    (stage) => {
      const result = synths[stage];
      const id = ids(result);
      expect(id.accessLogBucket).toBeDefined();
      expect(resource(result, id.bucket).Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: id.accessLogBucket },
        LogFilePrefix: 'user-files/',
      });
      result.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id.accessLogBucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id.bucket, 'Arn'] } } }),
            }),
          ]),
        },
      });
      expect(resource(result, id.accessLogBucket!).Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    },
  );

  test('WHEN storage.accessLogs is false THEN there is no access-log bucket and no logging configuration', () => {
    const result = synths.kms;
    expect(ids(result).accessLogBucket).toBeUndefined();
    expect(Object.keys(result.template.findResources('AWS::S3::Bucket')).filter((id) => id.startsWith('IdentityStorage'))).toHaveLength(1);
    expect(resource(result, ids(result).bucket).Properties.LoggingConfiguration).toBeUndefined();
  });
});

describe.each(['dev', 'prod'] as const)('GIVEN the %s table', (stage) => {
  const result = synths[stage];
  const table = () => resource(result, ids(result).table).Properties;

  test('THEN the partition key is the identity ID (and the sort key the item ID)', () => {
    expect(table().KeySchema).toEqual([
      { AttributeName: 'identityId', KeyType: 'HASH' },
      { AttributeName: 'itemId', KeyType: 'RANGE' },
    ]);
    expect(table().AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'identityId', AttributeType: 'S' },
        { AttributeName: 'itemId', AttributeType: 'S' },
      ]),
    );
  });

  test('THEN billing is on demand, point-in-time recovery is on and items are encrypted', () => {
    expect(table().BillingMode).toBe('PAY_PER_REQUEST');
    expect(table().Replicas).toHaveLength(1);
    expect(table().Replicas[0].PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table().SSESpecification).toMatchObject({ SSEEnabled: true });
  });

  test(`THEN deletion protection is ${stage === 'prod' ? 'on' : 'off'}`, () => {
    expect(table().Replicas[0].DeletionProtectionEnabled).toBe(stage === 'prod');
  });
});

describe('GIVEN a web origin that is not an exact origin', () => {
  test.each(['*', 'https://x.org/path', 'https://*.x.org'])('WHEN webOrigins contains %s THEN the config fails validation naming the field', (origin) => {
    const parse = () => parseStageConfig({ ...devConfig, webOrigins: [origin] }, 'config/dev.json');
    expect(parse).toThrow(StageConfigError);
    expect(parse).toThrow(/^config\/dev\.json: webOrigins\[0\]: expected an origin/);
  });

  test('WHEN the construct is given "*" directly THEN it refuses it', () => {
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Bare');
    expect(() => new IdentityScopedStorage(stack, 'Storage', { corsOrigins: ['*'] })).toThrow(/corsOrigins/);
  });
});
