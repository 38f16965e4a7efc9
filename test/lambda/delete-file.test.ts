import '../../scripts/fixtures/env';
import 'aws-sdk-client-mock-jest';
import { DeleteObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { handler } from '../../lambda/delete-file';
import { ALLOWED_ORIGIN, apiEvent, CONTEXT, expectError, IDENTITY_ID, parse, setUpMocks } from '../../scripts/fixtures/events';
import { TEST_ENV } from '../../scripts/fixtures/env';

const mocks = setUpMocks();

const call = async (name: string) => handler(apiEvent({ method: 'DELETE', resource: '/files/{name}', pathParameters: { name } }), CONTEXT);

describe('DELETE /files/{name}', () => {
  test('GIVEN a name WHEN deleted THEN 204 with an empty body and the exact key deleted', async () => {
    mocks.s3.on(DeleteObjectCommand).resolves({});
    const response = await call('report.csv');
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers?.['Content-Type']).toBeUndefined();
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe(ALLOWED_ORIGIN);
    expect(mocks.s3).toHaveReceivedCommandWith(DeleteObjectCommand, { Bucket: TEST_ENV.BUCKET_NAME, Key: `${IDENTITY_ID}/report.csv` });
  });

  test('GIVEN the same file deleted twice WHEN called THEN 204 both times and GetId once', async () => {
    mocks.s3.on(DeleteObjectCommand).resolves({});
    expect((await call('x.csv')).statusCode).toBe(204);
    expect((await call('x.csv')).statusCode).toBe(204);
    expect(mocks.cognito).toHaveReceivedCommandTimes(GetIdCommand, 1);
  });

  test.each(['..', '.', '..%2F..%2Fx', 'a%5Cb', 'a%0Ab', '%E2%80%AE'])('GIVEN name %p WHEN deleted THEN 400 and no AWS call', async (name) => {
    expectError(parse(await call(name)), 400, 'invalid_request');
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN S3 fails WHEN deleted THEN a generic 500 and the error is logged by name only', async () => {
    mocks.s3
      .on(DeleteObjectCommand)
      .rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', message: 'Please reduce your request rate.', $metadata: { httpStatusCode: 503 } }));
    const response = parse(await call('x.csv'));
    expect(response).toMatchObject({ status: 500, body: { error: { code: 'internal_error', message: 'Internal error' } } });
    expect(mocks.logs).toContainEqual(expect.objectContaining({ message: 'unhandled error', errorName: 'SlowDown', requestId: 'req-123' }));
  });
});
