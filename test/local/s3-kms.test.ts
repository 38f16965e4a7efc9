/**
 * The prod stage's SSE-KMS bucket on the local S3: writes and reads also need
 * the caller's KMS permissions (granted only via S3), judged from the
 * synthesized policies (prod synthesized once, no bundling).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { serve, type Served } from './support/http-service';
import { LOCAL_REGION, synthLocalTemplate, tempDir } from './support/synth-local-template';

const A = `${LOCAL_REGION}:aaaaaaaa-0000-4000-8000-000000000001`;
const template = synthLocalTemplate('prod');
const state = tempDir('local-s3-kms-');
const credentials = new LocalCredentialStore();
const s3Service = new LocalS3({ template, credentials, authorizer: new TemplateAuthorizer(template), stateDir: state.dir });
const bucketId = template.resourcesOfType('AWS::S3::Bucket').find((id) => id.startsWith('IdentityStorageBucket'))!;
const bucket = s3Service.bucketName(bucketId);
let served: Served;

beforeAll(async () => {
  served = await serve(s3Service);
});
afterAll(async () => {
  await served.close();
  state.remove();
});

const roleId = (prefix: string) => template.resourcesOfType('AWS::IAM::Role').find((id) => id.startsWith(prefix))!;
const clientFor = (role: string, identityId?: string) =>
  new S3Client({
    region: LOCAL_REGION,
    endpoint: served.endpoint,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: credentials.issue({ roleLogicalId: role, roleArn: template.resolve({ 'Fn::GetAtt': [role, 'Arn'] }), identityId }),
  });

test('GIVEN the prod bucket encrypts with its KMS key WHEN identity A writes and reads its own object THEN both succeed and report aws:kms', async () => {
  expect(s3Service.buckets.get(bucket)).toMatchObject({ defaultEncryption: 'aws:kms', kmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
  const s3 = clientFor(roleId('FederatedIdentitiesIdentityPoolAuthenticatedRole'), A);
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/secret.csv`, Body: 'x' }));
  expect(put.ServerSideEncryption).toBe('aws:kms');
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/secret.csv` }));
  expect(await got.Body!.transformToString()).toBe('x');
});

test('GIVEN the key is granted only via S3 WHEN identity A calls KMS directly (no kms:ViaService) THEN denied; WHEN S3 calls for it THEN allowed', async () => {
  const role = roleId('FederatedIdentitiesIdentityPoolAuthenticatedRole');
  const principal = { roleLogicalId: role, roleArn: template.resolve<string>({ 'Fn::GetAtt': [role, 'Arn'] }), identityId: A };
  const keyArn = s3Service.buckets.get(bucket)!.kmsKeyId!;
  const authorizer = new TemplateAuthorizer(template);
  expect((await authorizer.authorize({ principal, action: 'kms:Decrypt', resource: keyArn })).allowed).toBe(false);
  expect(
    (await authorizer.authorize({ principal, action: 'kms:Decrypt', resource: keyArn, context: { 'kms:ViaService': `s3.${LOCAL_REGION}.amazonaws.com` } }))
      .allowed,
  ).toBe(true);
});
