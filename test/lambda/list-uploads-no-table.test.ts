import './support/env';
import { handler } from '../../lambda/list-uploads';
import { apiEvent, CONTEXT, expectError, parse, setUpMocks } from './support/events';

const mocks = setUpMocks();
const MACHINE_CLAIMS = { sub: 'machineclient123', client_id: 'machineclient123', token_use: 'access', scope: 'openid api/uploads.read' };

describe('GET /admin/uploads before the results table exists (no UPLOAD_RESULTS_TABLE)', () => {
  test('GIVEN a machine token with the scope WHEN called THEN 200 with an empty list and no AWS call', async () => {
    const response = parse(await handler(apiEvent({ path: '/admin/uploads', claims: MACHINE_CLAIMS }), CONTEXT));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ uploads: [] });
    expect(mocks.awsCalls()).toBe(0);
  });

  test('GIVEN an ID token WHEN called THEN still 403: the scope check does not depend on the table', async () => {
    expectError(parse(await handler(apiEvent({ path: '/admin/uploads' }), CONTEXT)), 403, 'forbidden');
  });

  test('GIVEN a bad limit WHEN called THEN still 400', async () => {
    expectError(parse(await handler(apiEvent({ path: '/admin/uploads', claims: MACHINE_CLAIMS, query: { limit: '500' } }), CONTEXT)), 400, 'invalid_request');
  });
});
