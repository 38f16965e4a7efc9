/**
 * The local Lambda runner on handlers written into a temporary cloud
 * assembly: environment and credentials, a long-lived worker per function,
 * handler errors, timeouts, refused runtimes, and no process left behind.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TemplateResource } from '../../scripts/local/contracts';
import { LocalCredentialStore } from '../../scripts/local/iam/credential-store';
import { LambdaInvokeError } from '../../scripts/local/lambda/function-worker';
import { LambdaRunner } from '../../scripts/local/lambda/lambda-runner';
import { CfnLocalTemplate } from '../../scripts/local/template/local-template';
import { tempDir } from './support/synth-local-template';

const assembly = tempDir('local-lambda-');
const assets: Record<string, Record<string, string>> = {
  'asset.echo': {
    'index.js': `exports.handler = async (event, context) => ({
      event,
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(AWS_|BUCKET_NAME|GREETING|LOCAL_TEST_PARENT_SECRET)/.test(k))),
      functionName: context.functionName,
      remaining: context.getRemainingTimeInMillis(),
    });`,
  },
  'asset.counter': { 'index.js': `let count = 0; console.log('cold start'); exports.handler = async () => ++count;` },
  'asset.fail': { 'index.js': `exports.handler = async () => { throw new TypeError('bad input'); };` },
  'asset.callback': { 'index.js': `exports.handler = (event, context, callback) => setTimeout(() => callback(null, { via: 'callback' }), 5);` },
  'asset.slow': { 'index.mjs': `export const handler = () => new Promise((resolve) => setTimeout(resolve, 10000));` },
};
for (const [folder, files] of Object.entries(assets)) {
  fs.mkdirSync(path.join(assembly.dir, folder));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(assembly.dir, folder, name), text);
}

function fn(asset: string, extra: Record<string, unknown> = {}): TemplateResource {
  return {
    Type: 'AWS::Lambda::Function',
    Metadata: { 'aws:asset:path': asset },
    Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x', Timeout: 10, MemorySize: 256, Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] }, ...extra },
  };
}

const template = new CfnLocalTemplate({
  template: {
    Resources: {
      FnRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
      Bucket: { Type: 'AWS::S3::Bucket' },
      Echo: fn('asset.echo', { Environment: { Variables: { BUCKET_NAME: { Ref: 'Bucket' }, GREETING: 'hello' } } }),
      Counter: fn('asset.counter'),
      Fail: fn('asset.fail'),
      Callback: fn('asset.callback'),
      Slow: fn('asset.slow', { Timeout: 1 }),
      Python: { ...fn('asset.echo'), Properties: { ...fn('asset.echo').Properties, Runtime: 'python3.13' } },
    },
  },
  stackName: 'LambdaTest',
  region: 'eu-west-1',
  assemblyDir: assembly.dir,
});
const credentials = new LocalCredentialStore();
const logs: string[] = [];
const runner = new LambdaRunner({
  template,
  credentials,
  endpoints: { s3: 'http://127.0.0.1:5176', dynamodb: 'http://127.0.0.1:5177' },
  log: (id, line) => logs.push(`${id}: ${line}`),
});

afterAll(async () => {
  await runner.close();
  assembly.remove();
});

describe('GIVEN a Node.js function with environment variables and a role', () => {
  test("WHEN it is invoked THEN it sees its resolved variables, the region, the local endpoints and credentials issued for its role, and nothing of the parent's environment", async () => {
    process.env.LOCAL_TEST_PARENT_SECRET = 'must-not-leak';
    try {
      const result = (await runner.invoke('Echo', { hello: 'world' })) as any;
      expect(result.event).toEqual({ hello: 'world' });
      expect(result.functionName).toBe(template.resolve({ Ref: 'Echo' }));
      expect(result.remaining).toBeGreaterThan(0);
      expect(result.env).toMatchObject({
        BUCKET_NAME: template.resolve({ Ref: 'Bucket' }),
        GREETING: 'hello',
        AWS_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: template.resolve({ Ref: 'Echo' }),
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5176',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:5177',
      });
      expect(result.env.LOCAL_TEST_PARENT_SECRET).toBeUndefined();
      const issued = credentials.lookup(result.env.AWS_ACCESS_KEY_ID);
      expect(issued?.principal).toEqual({ roleLogicalId: 'FnRole', roleArn: template.resolve({ 'Fn::GetAtt': ['FnRole', 'Arn'] }) });
      expect(issued?.credentials.sessionToken).toBe(result.env.AWS_SESSION_TOKEN);
    } finally {
      delete process.env.LOCAL_TEST_PARENT_SECRET;
    }
  });

  test('WHEN it is invoked twice THEN the same long-lived worker answers (module state survives, one cold start logged)', async () => {
    expect(await runner.invoke('Counter', {})).toBe(1);
    expect(await runner.invoke('Counter', {})).toBe(2);
    expect(logs.filter((l) => l === 'Counter: cold start')).toHaveLength(1);
  });

  test('WHEN the handler uses the callback style THEN its callback result is returned', async () => {
    await expect(runner.invoke('Callback', {})).resolves.toEqual({ via: 'callback' });
  });

  test('WHEN it is referred to by Ref, Fn::GetAtt, name or qualified ARN THEN functionFor finds it', () => {
    const arn = template.resolve<string>({ 'Fn::GetAtt': ['Echo', 'Arn'] });
    expect(runner.functionFor({ Ref: 'Echo' })).toBe('Echo');
    expect(runner.functionFor({ 'Fn::GetAtt': ['Echo', 'Arn'] })).toBe('Echo');
    expect(runner.functionFor(`${arn}:$LATEST`)).toBe('Echo');
    expect(runner.functionFor(template.resolve({ Ref: 'Echo' }))).toBe('Echo');
    expect(runner.functionFor('arn:aws:lambda:eu-west-1:000000000000:function:other')).toBeUndefined();
  });
});

describe('GIVEN failing functions', () => {
  test('WHEN the handler throws THEN the invoke rejects with its errorType and errorMessage, and the worker keeps serving', async () => {
    const error = await runner.invoke('Fail', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaInvokeError);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
    await expect(runner.invoke('Fail', {})).rejects.toMatchObject({ errorType: 'TypeError' });
  });

  test('WHEN the handler runs past its Timeout THEN Sandbox.Timedout after about that long', async () => {
    const started = Date.now();
    const error = await runner.invoke('Slow', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('WHEN a function has a non-Node.js runtime THEN the invoke is refused, naming the runtime', async () => {
    await expect(runner.invoke('Python', {})).rejects.toThrow(/only runs Node.js functions, not python3.13/);
  });
});

describe('GIVEN running workers', () => {
  test('WHEN the runner closes THEN every worker process has exited', async () => {
    await runner.invoke('Echo', {});
    const pids = runner.pids();
    expect(pids.length).toBeGreaterThan(0);
    await runner.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await expect(runner.invoke('Echo', {})).rejects.toThrow(/closed/);
  });
});

describe('GIVEN a worker whose parent dies without cleaning up (SIGKILL)', () => {
  /** Gone, or a zombie waiting to be reaped: either way no longer running. */
  const running = (pid: number) => {
    try {
      return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };

  test('WHEN the parent is killed THEN the worker notices its IPC channel closed and exits', async () => {
    const parentScript = path.join(assembly.dir, 'parent.js');
    const worker = path.resolve(__dirname, '../../scripts/local/lambda/handler-worker.cjs');
    fs.writeFileSync(
      parentScript,
      `const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [${JSON.stringify(worker)}, ${JSON.stringify(path.join(assembly.dir, 'asset.counter'))}, 'index', 'handler'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
      child.on('message', () => console.log(child.pid));
      child.send({ type: 'invoke', id: '1', event: {}, timeoutMs: 5000 });
      setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const workerPid = await new Promise<number>((resolve) => parent.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
    expect(running(workerPid)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 3000;
    while (running(workerPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running(workerPid)).toBe(false);
  });
});
