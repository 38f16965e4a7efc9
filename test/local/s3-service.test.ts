/**
 * The local S3 against the real AWS SDK v3 client, with the dev stage's
 * synthesized policies deciding every request (synthesized once, no bundling).
 */
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { CredentialPrincipal, LocalCredentials } from '../../scripts/local/contracts';
import type { EventBridgeEvent } from '../../scripts/local/events/eventbridge-event';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { serve, type Served } from './support/http-service';
import { LOCAL_REGION, synthLocalTemplate, tempDir } from './support/synth-local-template';

const A = `${LOCAL_REGION}:aaaaaaaa-0000-4000-8000-000000000001`;
const B = `${LOCAL_REGION}:bbbbbbbb-0000-4000-8000-000000000002`;

const template = synthLocalTemplate('dev');
const state = tempDir('local-s3-');
const credentials = new LocalCredentialStore();
const events: EventBridgeEvent[] = [];
let clockOffsetMs = 0;
const s3Service = new LocalS3({
  template,
  credentials,
  authorizer: new TemplateAuthorizer(template),
  stateDir: state.dir,
  events: { put: (event) => events.push(event) },
  now: () => Date.now() + clockOffsetMs,
});
const bucket = s3Service.bucketName(template.resourcesOfType('AWS::S3::Bucket').find((id) => id.startsWith('IdentityStorageBucket'))!);
let served: Served;

function roleId(prefix: string): string {
  const id = template.resourcesOfType('AWS::IAM::Role').find((r) => r.startsWith(prefix));
  if (!id) throw new Error(`no role ${prefix}`);
  return id;
}

function principal(role: string, identityId?: string): CredentialPrincipal {
  return { roleLogicalId: role, roleArn: template.resolve({ 'Fn::GetAtt': [role, 'Arn'] }), identityId };
}

const authenticatedRole = roleId('FederatedIdentitiesIdentityPoolAuthenticatedRole');

function client(creds: LocalCredentials): S3Client {
  return new S3Client({ region: LOCAL_REGION, endpoint: served.endpoint, forcePathStyle: true, maxAttempts: 1, credentials: creds });
}

const identityA = () => client(credentials.issue(principal(authenticatedRole, A)));
const identityB = () => client(credentials.issue(principal(authenticatedRole, B)));

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as S3ServiceException).name, status: (error as S3ServiceException).$metadata?.httpStatusCode };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  served = await serve(s3Service);
});

afterAll(async () => {
  await served.close();
  state.remove();
});

describe('GIVEN identity A with identity pool credentials for the authenticated role', () => {
  test('WHEN A writes, reads (whole, a byte range, HEAD, conditionally) and lists under its own prefix THEN S3 allows each, and the object comes back as written', async () => {
    const s3 = identityA();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, Body: 'a,b\n1,2\n', ContentType: 'text/csv' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/report.csv` }));
    expect(await got.Body!.transformToString()).toBe('a,b\n1,2\n');
    expect(got.ContentType).toBe('text/csv');
    expect(got.VersionId).toBeDefined();
    const range = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, Range: 'bytes=4-6' }));
    expect(await range.Body!.transformToString()).toBe('1,2');
    expect(range.ContentRange).toBe('bytes 4-6/8');
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${A}/report.csv` }));
    expect(head.ContentLength).toBe(8);
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, IfMatch: '"not-the-etag"' })))).toMatchObject({ status: 412 });
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, IfNoneMatch: head.ETag })))).toMatchObject({ status: 304 });
    expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, Body: 'x', IfNoneMatch: '*' })))).toMatchObject({
      status: 412,
    });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${A}/` }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual([`${A}/report.csv`]);
  });

  test("WHEN A reads B's object, lists B's prefix or lists the bucket bare THEN each is AccessDenied", async () => {
    await identityB().send(new PutObjectCommand({ Bucket: bucket, Key: `${B}/secret.csv`, Body: 'b' }));
    const s3 = identityA();
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${B}/secret.csv` })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await errorOf(s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${B}/` })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await errorOf(s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual({ name: 'AccessDenied', status: 403 });
    expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${B}/planted.csv`, Body: 'x' })))).toEqual({ name: 'AccessDenied', status: 403 });
  });

  test("WHEN A writes a nested key or an archive storage class THEN the template's explicit denies refuse it", async () => {
    const s3 = identityA();
    expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/sub/deep.csv`, Body: 'x' })))).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    expect(await errorOf(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/cold.csv`, Body: 'x', StorageClass: 'GLACIER' })))).toEqual({
      name: 'AccessDenied',
      status: 403,
    });
    await expect(s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/std.csv`, Body: 'x', StorageClass: 'STANDARD' }))).resolves.toBeDefined();
  });

  test('WHEN A reads a key that does not exist THEN S3 says NoSuchKey (A may list its own prefix)', async () => {
    expect(await errorOf(identityA().send(new GetObjectCommand({ Bucket: bucket, Key: `${A}/missing.csv` })))).toEqual({ name: 'NoSuchKey', status: 404 });
  });
});

describe('GIVEN SigV4 verification', () => {
  test('WHEN a request is signed with the right key ID but a wrong secret THEN SignatureDoesNotMatch', async () => {
    const issued = credentials.issue(principal(authenticatedRole, A));
    const forged = client({ ...issued, secretAccessKey: `${issued.secretAccessKey.slice(0, -1)}x` });
    expect(await errorOf(forged.send(new HeadObjectCommand({ Bucket: bucket, Key: `${A}/report.csv` })))).toMatchObject({ status: 403 });
    expect(await errorOf(forged.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${A}/` })))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  test('WHEN credentials have expired THEN ExpiredToken', async () => {
    const issued = credentials.issue(principal(authenticatedRole, A), 60);
    clockOffsetMs = 61_000;
    try {
      expect(await errorOf(client(issued).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${A}/` })))).toEqual({ name: 'ExpiredToken', status: 403 });
    } finally {
      clockOffsetMs = 0;
    }
  });

  test('WHEN a presigned GET URL is used in time THEN it works; after X-Amz-Expires THEN 403', async () => {
    const s3 = identityA();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/shared file.csv`, Body: 'shared' }));
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: `${A}/shared file.csv`, ResponseContentDisposition: 'attachment; filename="x.csv"' }),
      { expiresIn: 30 },
    );
    const fresh = await fetch(url);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
    expect(await fresh.text()).toBe('shared');
    clockOffsetMs = 31_000;
    try {
      const stale = await fetch(url);
      expect(stale.status).toBe(403);
      expect(await stale.text()).toContain('Request has expired');
    } finally {
      clockOffsetMs = 0;
    }
  });
});

describe("GIVEN a presigned POST from the upload-URL handler's role, bound to key, type and size", () => {
  const key = `${A}/upload.csv`;
  async function presignedPost(size: number) {
    const creds = credentials.issue(principal(roleId('AuthorizedApiCreateUploadUrlRole')));
    return createPresignedPost(client(creds), {
      Bucket: bucket,
      Key: key,
      Conditions: [
        ['eq', '$Content-Type', 'text/csv'],
        ['content-length-range', size, size],
      ],
      Fields: { 'Content-Type': 'text/csv' },
      Expires: 60,
    });
  }
  function post(url: string, fields: Record<string, string>, body: string): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([body]), 'upload.csv');
    return fetch(url, { method: 'POST', body: form });
  }

  test('WHEN the file is larger than the policy allows THEN EntityTooLarge and nothing is stored', async () => {
    const { url, fields } = await presignedPost(5);
    const response = await post(url, fields, '123456');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>EntityTooLarge</Code>');
    expect(await errorOf(identityA().send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).toMatchObject({ status: 404 });
  });

  test('WHEN the content type differs from the policy THEN the policy condition refuses it', async () => {
    const { url, fields } = await presignedPost(5);
    const response = await post(url, { ...fields, 'Content-Type': 'text/html' }, '12345');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Policy Condition failed');
  });

  test('WHEN the file matches THEN 204 and the owner can read it', async () => {
    const { url, fields } = await presignedPost(5);
    const response = await post(url, fields, '12345');
    expect(response.status).toBe(204);
    const got = await identityA().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await got.Body!.transformToString()).toBe('12345');
  });
});

describe('GIVEN the versioned user-files bucket with EventBridge enabled', () => {
  test('WHEN an object is written twice and deleted THEN old versions stay readable by version, the key reads as deleted, and events carry increasing sequencers', async () => {
    events.length = 0;
    const s3 = identityA();
    const key = `${A}/versions and spaces.csv`;
    const v1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'two!' }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toEqual({ name: 'NoSuchKey', status: 404 });

    // The checker's role reads and removes versions (docs/design.md, "Upload checks").
    const checker = client(credentials.issue(principal(roleId('UploadChecksCheckerRole'))));
    const old = await checker.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }));
    expect(await old.Body!.transformToString()).toBe('one');
    await checker.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }));
    expect(await errorOf(checker.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId })))).toMatchObject({ status: 403 });
    expect(await errorOf(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId })))).toMatchObject({ status: 403 });

    expect(events.map((e) => [e['detail-type'], (e.detail as any).reason, (e.detail as any)['deletion-type']])).toEqual([
      ['Object Created', 'PutObject', undefined],
      ['Object Created', 'PutObject', undefined],
      ['Object Deleted', 'DeleteObject', 'Delete Marker Created'],
      ['Object Deleted', 'DeleteObject', 'Permanently Deleted'],
    ]);
    const objects = events.map((e) => (e.detail as any).object);
    expect(objects[0]).toMatchObject({ key, size: 3, 'version-id': v1.VersionId });
    expect(objects[1]).toMatchObject({ size: 4, 'version-id': v2.VersionId, etag: v2.ETag!.replace(/"/g, '') });
    expect(objects[2]['version-id']).toBe(deleted.VersionId);
    const sequencers = objects.map((o) => o.sequencer as string);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(4);
    expect(events[0]).toMatchObject({ source: 'aws.s3', region: LOCAL_REGION, account: template.accountId, resources: [`arn:aws:s3:::${bucket}`] });
  });
});

describe('GIVEN operations the local S3 does not implement', () => {
  test('WHEN a client calls CopyObject or CreateMultipartUpload THEN 501 NotImplemented names the operation (never a fake success)', async () => {
    const s3 = identityA();
    const copy = await s3
      .send(new CopyObjectCommand({ Bucket: bucket, Key: `${A}/copy.csv`, CopySource: `${bucket}/${A}/report.csv` }))
      .catch((e: S3ServiceException) => e);
    expect(copy).toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    expect((copy as Error).message).toContain('CopyObject');
    const multipart = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: `${A}/big.csv` })).catch((e: S3ServiceException) => e);
    expect(multipart).toMatchObject({ name: 'NotImplemented' });
    expect((multipart as Error).message).toContain('CreateMultipartUpload');
  });
});
