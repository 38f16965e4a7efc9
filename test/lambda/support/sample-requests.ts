/**
 * One typical valid request and one rejected request per handler, keyed by the
 * route ID of API_ROUTES. Shared by the bundle test and the benchmark.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { apiEvent } from './events';

export interface SampleRequest {
  readonly event: APIGatewayProxyEvent;
  readonly status: number;
  /** The error code a rejected request answers with. */
  readonly code?: string;
}

export const VALID_REQUESTS: Record<string, SampleRequest> = {
  Me: { event: apiEvent(), status: 200 },
  ListFiles: { event: apiEvent({ query: { limit: '50' } }), status: 200 },
  CreateUploadUrl: { event: apiEvent({ method: 'POST', body: '{"name":"report.csv","contentType":"text/csv","size":1024}' }), status: 200 },
  GetFile: { event: apiEvent({ pathParameters: { name: 'report.csv' } }), status: 200 },
  DeleteFile: { event: apiEvent({ method: 'DELETE', pathParameters: { name: 'report.csv' } }), status: 204 },
  // A machine client's access token with the scope; without a results table the list is empty.
  ListUploads: { event: apiEvent({ claims: { sub: 'machineclient', token_use: 'access', scope: 'api/uploads.read' } }), status: 200 },
};

export const BAD_REQUESTS: Record<string, SampleRequest> = {
  Me: { event: apiEvent({ claims: {} }), status: 401, code: 'unauthorized' },
  ListFiles: { event: apiEvent({ query: { limit: '0' } }), status: 400, code: 'invalid_request' },
  CreateUploadUrl: { event: apiEvent({ method: 'POST', body: '{"name":"../x.csv","contentType":"text/csv","size":1}' }), status: 400, code: 'invalid_request' },
  GetFile: { event: apiEvent({ pathParameters: { name: '..%2Fother%2Fx.csv' } }), status: 400, code: 'invalid_request' },
  DeleteFile: { event: apiEvent({ method: 'DELETE', pathParameters: { name: '..' } }), status: 400, code: 'invalid_request' },
  // A user's ID token on the machine-only route.
  ListUploads: { event: apiEvent(), status: 403, code: 'forbidden' },
};
