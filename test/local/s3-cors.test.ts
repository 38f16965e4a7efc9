/**
 * CORS of the local S3 from a bucket's own CorsConfiguration and from a later
 * PutBucketCors call (CDK's AwsCustomResource), on small template fragments.
 */
import * as http from 'node:http';
import type { TemplateResource } from '../../scripts/local/contracts';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { serve, type Served } from './support/http-service';
import { tempDir } from './support/synth-local-template';
import { templateFragment } from './support/template-fragment';

const RULE = {
  AllowedOrigins: ['http://localhost:5173'],
  AllowedMethods: ['GET', 'PUT'],
  AllowedHeaders: ['authorization', 'content-type', 'x-amz-*'],
  ExposedHeaders: ['ETag'],
  MaxAge: 3000,
};

const resources: Record<string, TemplateResource> = {
  PropsBucket: { Type: 'AWS::S3::Bucket', Properties: { CorsConfiguration: { CorsRules: [RULE] }, LifecycleConfiguration: { Rules: [] } } },
  CallBucket: { Type: 'AWS::S3::Bucket', Properties: { CorsConfiguration: { CorsRules: [RULE] } } },
  CorsRules: {
    Type: 'Custom::AWS',
    Properties: {
      Create: {
        'Fn::Join': [
          '',
          [
            '{"service":"S3","action":"PutBucketCors","parameters":{"Bucket":"',
            { Ref: 'CallBucket' },
            '","CORSConfiguration":{"CORSRules":[{"AllowedOrigins":["https://app.example.org"],"AllowedMethods":["POST"],"AllowedHeaders":["*"],"ExposeHeaders":["ETag"],"MaxAgeSeconds":60}]}}}',
          ],
        ],
      },
    },
  },
};

const state = tempDir('local-s3-cors-');
const template = templateFragment(resources);
const s3 = new LocalS3({
  template,
  credentials: new LocalCredentialStore(),
  authorizer: { authorize: async () => ({ allowed: false, result: 'ImplicitlyDenied' }) },
  stateDir: state.dir,
});
let served: Served;

beforeAll(async () => {
  served = await serve(s3);
});
afterAll(async () => {
  await served.close();
  state.remove();
});

function preflight(bucket: string, origin: string, method: string, headers = 'authorization,x-amz-date,content-type') {
  return fetch(`${served.endpoint}/${bucket}/eu-west-1%3Aabc/x.csv`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

describe('GIVEN a bucket whose properties allow PUT from the dev web origin', () => {
  const bucket = s3.bucketName('PropsBucket');

  test('WHEN that origin preflights a PUT with SigV4 headers THEN S3 allows it, echoing the origin and headers', async () => {
    const response = await preflight(bucket, 'http://localhost:5173', 'PUT');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization, x-amz-date, content-type');
    expect(response.headers.get('access-control-max-age')).toBe('3000');
  });

  test('WHEN another origin, another method or an unlisted header is asked for THEN 403', async () => {
    expect((await preflight(bucket, 'https://evil.example', 'PUT')).status).toBe(403);
    expect((await preflight(bucket, 'http://localhost:5173', 'DELETE')).status).toBe(403);
    expect((await preflight(bucket, 'http://localhost:5173', 'PUT', 'x-custom')).status).toBe(403);
  });

  test('WHEN an allowed origin makes an unsigned request THEN the AccessDenied answer still carries its CORS headers', async () => {
    const response = await fetch(`${served.endpoint}/${bucket}/k`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')).toBe('ETag');
  });
});

describe('GIVEN a bucket whose CORS is replaced after deploy by a PutBucketCors call', () => {
  const bucket = s3.bucketName('CallBucket');

  test("WHEN the call's origin preflights a POST THEN allowed; WHEN the properties' origin does THEN 403 (the call replaced them)", async () => {
    expect((await preflight(bucket, 'https://app.example.org', 'POST')).status).toBe(200);
    expect((await preflight(bucket, 'http://localhost:5173', 'PUT')).status).toBe(403);
  });
});

describe('GIVEN a virtual-hosted request (Host: <bucket>.localhost)', () => {
  test('WHEN it names a bucket of the template in its host THEN the bucket is found from the host (an unsigned request is then AccessDenied, not NoSuchBucket)', async () => {
    const bucket = s3.bucketName('PropsBucket');
    const { port } = new URL(served.endpoint);
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/eu-west-1%3Aabc/x.csv', headers: { host: `${bucket}.localhost:${port}` } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>AccessDenied</Code>');
    expect(response.body).toContain(`<Resource>/${bucket}/eu-west-1:abc/x.csv</Resource>`);
  });
});

describe('GIVEN bucket properties the local S3 keeps no behaviour for', () => {
  test('WHEN the service starts THEN its notes name each one with its bucket', () => {
    expect(s3.notes).toEqual([`PropsBucket (${s3.bucketName('PropsBucket')}): not emulated: lifecycle rules (nothing expires or transitions)`]);
  });
});
