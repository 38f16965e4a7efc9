/**
 * The web app's local S3 bridge (web/src/local-s3-bridge.ts, docs/local.md
 * "Deviations"): a download link Amplify presigned for the AWS bucket host,
 * re-presigned for the local S3, must pass the local S3's SigV4 check as the
 * browser sends it, byte for byte.
 */
import { verifySigV4 } from '../../scripts/local/iam/sigv4-verify';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { representForLocal } from '../../web/src/local-s3-bridge';

const TARGET = { bucket: 'cognitoaccess-dev-bucket-local', region: 'us-east-1', endpoint: 'http://127.0.0.1:5176' };

describe('GIVEN a getUrl link with an attachment disposition (a value with spaces)', () => {
  const store = new LocalCredentialStore();
  const credentials = store.issue({ roleLogicalId: 'AuthenticatedRole', roleArn: 'arn:aws:iam::000000000000:role/authenticated' });
  // As Amplify's getUrl builds it: the query serialized by URLSearchParams (spaces as `+`).
  const awsUrl = new URL(`https://${TARGET.bucket}.s3.us-east-1.amazonaws.com/us-east-1%3Aabc/notes.csv`);
  awsUrl.searchParams.set('response-content-disposition', 'attachment; filename="my notes.csv"');
  awsUrl.searchParams.set('x-id', 'GetObject');
  awsUrl.searchParams.set('X-Amz-Expires', '300');

  test('WHEN it is re-presigned for the local S3 THEN the local SigV4 check accepts it as sent', async () => {
    const local = representForLocal(TARGET, awsUrl, credentials);

    expect(local.search).not.toContain('+');
    expect(local.searchParams.get('response-content-disposition')).toBe('attachment; filename="my notes.csv"');
    const verified = await verifySigV4({ method: 'GET', url: `${local.pathname}${local.search}`, headers: { host: local.host } }, store, {
      service: 's3',
      region: 'us-east-1',
    });
    expect(verified).toMatchObject({ presigned: true, principal: { roleLogicalId: 'AuthenticatedRole' } });
  });
});
