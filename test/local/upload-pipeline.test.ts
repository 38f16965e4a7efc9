/**
 * The dev stage's upload-check path end to end on the local services:
 * an identity's PutObject → the bucket's EventBridge event → the template's
 * rule → its queue → the event source mapping → a stand-in for the checker
 * (a tiny handler placed where the checker's bundle would be), which
 * reads the object back through the local S3 with its own role's credentials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LocalEvents } from '../../scripts/local/events/local-events';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { TemplateAuthorizer } from '../../scripts/local/iam/template-authorizer';
import { LambdaRunner } from '../../scripts/local/lambda/lambda-runner';
import { LocalS3 } from '../../scripts/local/s3/s3-service';
import { serve, type Served } from './support/http-service';
import { LOCAL_REGION, synthLocalTemplate, tempDir } from './support/synth-local-template';

const A = `${LOCAL_REGION}:aaaaaaaa-0000-4000-8000-00000000000a`;
const template = synthLocalTemplate('dev');
const state = tempDir('local-pipeline-');
const credentials = new LocalCredentialStore();
const logs: string[] = [];
let events: LocalEvents;
const s3Service = new LocalS3({
  template,
  credentials,
  authorizer: new TemplateAuthorizer(template),
  stateDir: path.join(state.dir, 's3'),
  events: { put: (e) => events.put(e) },
});
const checkerId = template.resourcesOfType('AWS::Lambda::Function').find((id) => id.startsWith('UploadChecksCheckerFunction'))!;
let served: Served;
let runner: LambdaRunner;

// The SDK by absolute path: the assembly lives outside the repository's node_modules.
const STAND_IN = `
const { GetObjectCommand, S3Client } = require(${JSON.stringify(require.resolve('@aws-sdk/client-s3'))});
const s3 = new S3Client({});
exports.handler = async (event) => {
  for (const record of event.Records) {
    const { detail } = JSON.parse(record.body);
    const got = await s3.send(new GetObjectCommand({ Bucket: detail.bucket.name, Key: detail.object.key, VersionId: detail.object['version-id'] }));
    console.log(JSON.stringify({ key: detail.object.key, body: await got.Body.transformToString(), count: record.attributes.ApproximateReceiveCount }));
  }
  return { batchItemFailures: [] };
};`;

beforeAll(async () => {
  // Stand in for the checker's bundle: the synth ran without bundling, so its asset folder is empty.
  const hash = String((template.resources[checkerId].Properties as any).Code.S3Key).replace(/\.zip$/, '');
  fs.mkdirSync(path.join(template.assemblyDir, `asset.${hash}`), { recursive: true });
  fs.writeFileSync(path.join(template.assemblyDir, `asset.${hash}`, 'index.js'), STAND_IN);

  served = await serve(s3Service);
  runner = new LambdaRunner({ template, credentials, endpoints: { s3: served.endpoint }, log: (_id, line) => logs.push(line) });
  events = await LocalEvents.create({ template, invoker: runner });
}, 30_000);

afterAll(async () => {
  await events?.close();
  await runner?.close();
  await served?.close();
  state.remove();
});

test('GIVEN the dev stage WHEN identity A uploads under its prefix THEN the checker is invoked from the queue and reads that very version with its own role', async () => {
  const roleId = template.resourcesOfType('AWS::IAM::Role').find((id) => id.startsWith('FederatedIdentitiesIdentityPoolAuthenticatedRole'))!;
  const creds = credentials.issue({ roleLogicalId: roleId, roleArn: template.resolve({ 'Fn::GetAtt': [roleId, 'Arn'] }), identityId: A });
  const s3 = new S3Client({ region: LOCAL_REGION, endpoint: served.endpoint, forcePathStyle: true, credentials: creds, maxAttempts: 1 });
  await s3.send(
    new PutObjectCommand({
      Bucket: s3Service.bucketName(template.resourcesOfType('AWS::S3::Bucket').find((id) => id.startsWith('IdentityStorageBucket'))!),
      Key: `${A}/data.csv`,
      Body: 'a,b\n1,2\n',
    }),
  );
  await events.idle({ timeoutMs: 15_000 });
  const seen = logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  expect(seen).toEqual([{ key: `${A}/data.csv`, body: 'a,b\n1,2\n', count: '1' }]);
}, 30_000);
