/**
 * DeleteObjects (`POST ?delete`) in the local S3, with the real SDK v3 client and
 * the dev stage's synthesized policies: each key is authorized on its own, as S3
 * does (DeleteObjectVersion with a version ID, DeleteObject without), so the
 * DeleteMe handler's role may purge an identity's versions and an identity's
 * own role may not.
 */
import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { CredentialPrincipal, LocalCredentials } from '../../scripts/local/contracts';
import type { EventBridgeEvent } from '../../scripts/local/events/eventbridge-event';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { parseDeleteRequest } from '../../scripts/local/s3/delete-objects';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { serve, type Served } from './support/http-service';
import { LOCAL_REGION, synthLocalTemplate, tempDir } from './support/synth-local-template';

const A = `${LOCAL_REGION}:aaaaaaaa-0000-4000-8000-000000000001`;
const B = `${LOCAL_REGION}:bbbbbbbb-0000-4000-8000-000000000002`;

const template = synthLocalTemplate('dev');
const state = tempDir('local-s3-delete-');
const credentials = new LocalCredentialStore();
const events: EventBridgeEvent[] = [];
const s3Service = new LocalS3({
  template,
  credentials,
  authorizer: new TemplateAuthorizer(template),
  stateDir: state.dir,
  events: { put: (event) => events.push(event) },
});
const bucket = s3Service.bucketName(template.resourcesOfType('AWS::S3::Bucket').find((id) => id.startsWith('IdentityStorageBucket'))!);
let served: Served;

function roleId(prefix: string): string {
  const id = template.resourcesOfType('AWS::IAM::Role').find((r) => r.startsWith(prefix));
  if (!id) throw new Error(`no role ${prefix}`);
  return id;
}
const principal = (role: string, identityId?: string): CredentialPrincipal => ({
  roleLogicalId: role,
  roleArn: template.resolve({ 'Fn::GetAtt': [role, 'Arn'] }),
  identityId,
});
const client = (creds: LocalCredentials) =>
  new S3Client({ region: LOCAL_REGION, endpoint: served.endpoint, forcePathStyle: true, maxAttempts: 1, credentials: creds });

const identity = (id: string) => client(credentials.issue(principal(roleId('FederatedIdentitiesIdentityPoolAuthenticatedRole'), id)));
const deleteMeHandler = () => client(credentials.issue(principal(roleId('AuthorizedApiDeleteMeRole'))));

async function versionsUnder(s3: S3Client, prefix: string) {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
}

beforeAll(async () => {
  served = await serve(s3Service);
});

afterAll(async () => {
  await served.close();
  state.remove();
});

describe('GIVEN identity A with two versions and a delete marker, and identity B with a file', () => {
  beforeAll(async () => {
    const a = identity(A);
    await a.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, Body: 'a\n1\n' }));
    await a.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/report.csv`, Body: 'a\n2\n' }));
    await a.send(new PutObjectCommand({ Bucket: bucket, Key: `${A}/gone.csv`, Body: 'x\n' }));
    await a.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${A}/gone.csv` }));
    await identity(B).send(new PutObjectCommand({ Bucket: bucket, Key: `${B}/theirs.csv`, Body: 'b\n' }));
  });

  test('WHEN identity A lists versions or deletes its own versions in one DeleteObjects THEN the list is refused and every key is an AccessDenied error', async () => {
    const handler = deleteMeHandler();
    const targets = await versionsUnder(handler, `${A}/`);
    expect(targets).toHaveLength(4);
    await expect(identity(A).send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: `${A}/` }))).rejects.toMatchObject({ name: 'AccessDenied' });
    const result = await identity(A).send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: targets } }));
    expect(result.Deleted ?? []).toEqual([]);
    expect(result.Errors).toHaveLength(4);
    expect(result.Errors!.every((e) => e.Code === 'AccessDenied')).toBe(true);
    expect(await versionsUnder(handler, `${A}/`)).toHaveLength(4);
  });

  test("WHEN A deletes keys without version IDs in one DeleteObjects THEN each gets a delete marker (DeleteObject on its own prefix), B's key is refused", async () => {
    const result = await identity(A).send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: `${A}/report.csv` }, { Key: `${B}/theirs.csv` }] } }),
    );
    expect(result.Deleted).toEqual([expect.objectContaining({ Key: `${A}/report.csv`, DeleteMarker: true, DeleteMarkerVersionId: expect.any(String) })]);
    expect(result.Errors).toEqual([expect.objectContaining({ Key: `${B}/theirs.csv`, Code: 'AccessDenied' })]);
  });

  test('WHEN the DeleteMe handler role deletes every version and marker under A/ (quiet) THEN nothing of A remains, B is untouched, and each removal is a Permanently Deleted event', async () => {
    const handler = deleteMeHandler();
    const targets = await versionsUnder(handler, `${A}/`);
    expect(targets.length).toBeGreaterThanOrEqual(4);
    events.length = 0;
    const result = await handler.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: targets, Quiet: true } }));
    expect(result.Errors ?? []).toEqual([]);
    expect(result.Deleted ?? []).toEqual([]);
    expect(await versionsUnder(handler, `${A}/`)).toEqual([]);
    expect(await versionsUnder(handler, `${B}/`)).toHaveLength(1);
    expect(events.map((e) => (e.detail as { 'deletion-type'?: string })['deletion-type'])).toEqual(targets.map(() => 'Permanently Deleted'));
  });

  test('WHEN the handler role deletes versions already gone THEN S3 reports them deleted (a retry succeeds)', async () => {
    const result = await deleteMeHandler().send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: `${A}/report.csv`, VersionId: 'no-such-version' }] } }),
    );
    expect(result.Errors ?? []).toEqual([]);
    expect(result.Deleted).toEqual([expect.objectContaining({ Key: `${A}/report.csv`, VersionId: 'no-such-version' })]);
  });

  test('WHEN the handler role deletes a version outside every identity prefix or lists the bucket bare THEN refused', async () => {
    const handler = deleteMeHandler();
    const result = await handler.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'not-permissions/x.csv', VersionId: 'v1' }] } }));
    expect(result.Errors).toEqual([expect.objectContaining({ Key: 'not-permissions/x.csv', Code: 'AccessDenied' })]);
    await expect(handler.send(new ListObjectVersionsCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('parseDeleteRequest', () => {
  test.each([
    ['no Delete element', '<Nope/>'],
    ['no objects', '<Delete><Quiet>true</Quiet></Delete>'],
    ['an object without a key', '<Delete><Object><VersionId>v</VersionId></Object></Delete>'],
    ['1,001 objects', `<Delete>${'<Object><Key>k</Key></Object>'.repeat(1001)}</Delete>`],
  ])('GIVEN %s WHEN parsed THEN MalformedXML', (_name, xml) => {
    expect(() => parseDeleteRequest(Buffer.from(xml))).toThrow(expect.objectContaining({ code: 'MalformedXML', status: 400 }));
  });

  test('GIVEN escaped keys WHEN parsed THEN they are decoded', () => {
    expect(parseDeleteRequest(Buffer.from('<Delete xmlns="x"><Object><Key>a&amp;b&#x20;&lt;c</Key><VersionId>v1</VersionId></Object></Delete>'))).toEqual({
      quiet: false,
      objects: [{ key: 'a&b <c', versionId: 'v1' }],
    });
  });
});
