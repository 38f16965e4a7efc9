/**
 * POST Object policy checks of the local S3, on fields the real SDK's
 * createPresignedPost produces: signature, expiry, every condition, and no
 * field left uncovered by the policy.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { acceptPresignedPost } from '../../scripts/local/s3/presigned-post';

const store = new LocalCredentialStore();
const principal = { roleLogicalId: 'UploadUrlRole', roleArn: 'arn:aws:iam::000000000000:role/UploadUrl' };
const KEY = 'eu-west-1:aaaaaaaa-0000-4000-8000-000000000001/upload.csv';

async function post(options: { conditions?: any[]; fields?: Record<string, string>; expires?: number } = {}) {
  const s3 = new S3Client({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true, credentials: store.issue(principal) });
  return createPresignedPost(s3, {
    Bucket: 'user-files',
    Key: KEY,
    Conditions: options.conditions ?? [
      ['eq', '$Content-Type', 'text/csv'],
      ['content-length-range', 1, 10],
      ['starts-with', '$x-amz-meta-note', 'ok-'],
    ],
    Fields: options.fields ?? { 'Content-Type': 'text/csv', 'x-amz-meta-note': 'ok-1' },
    Expires: options.expires ?? 60,
  });
}

const form = (fields: Record<string, string>, file = 'a,b\n') => ({ fields: Object.entries(fields), file: { data: Buffer.from(file) } });
const accept = (fields: Record<string, string>, file?: string, bucket = 'user-files', now?: () => number) =>
  acceptPresignedPost(form(fields, file), bucket, store, { region: 'eu-west-1', now });

describe('GIVEN fields from createPresignedPost with exact, starts-with and size conditions', () => {
  test("WHEN the form is submitted as issued THEN it is accepted for the issuer's principal and key", async () => {
    const { fields } = await post();
    await expect(accept(fields)).resolves.toMatchObject({ principal, key: KEY });
  });

  test.each([
    [
      'an extra field the policy does not name',
      (f: Record<string, string>) => ({ ...f, 'x-amz-meta-extra': '1' }),
      undefined,
      'user-files',
      /Extra input fields: x-amz-meta-extra/,
    ],
    [
      'a starts-with field that does not start so',
      (f: Record<string, string>) => ({ ...f, 'x-amz-meta-note': 'bad' }),
      undefined,
      'user-files',
      /Policy Condition failed.*x-amz-meta-note/,
    ],
    [
      'another key',
      (f: Record<string, string>) => ({ ...f, key: 'eu-west-1:bbbbbbbb-0000-4000-8000-000000000002/x.csv' }),
      undefined,
      'user-files',
      /Policy Condition failed/,
    ],
    ['another bucket', (f: Record<string, string>) => f, undefined, 'other-bucket', /Policy Condition failed/],
    ['an empty file (below content-length-range)', (f: Record<string, string>) => f, '', 'user-files', /smaller than the minimum/],
    [
      'a tampered policy',
      (f: Record<string, string>) => ({ ...f, Policy: Buffer.from(JSON.stringify({ expiration: '2999-01-01T00:00:00Z', conditions: [] })).toString('base64') }),
      undefined,
      'user-files',
      /signature we calculated does not match/,
    ],
  ])('WHEN the form carries %s THEN it is refused', async (_name, change, file, bucket, message) => {
    const { fields } = await post();
    await expect(accept(change(fields), file, bucket)).rejects.toThrow(message);
  });

  test('WHEN the policy has expired THEN it is refused', async () => {
    const { fields } = await post({ expires: 1 });
    await expect(accept(fields, undefined, 'user-files', () => Date.now() + 5000)).rejects.toThrow(/Policy expired/);
  });
});
