/**
 * End-to-end smoke test of a deployed stage, with the deployer's credentials
 * (the default AWS credential chain):
 *
 *   tsx scripts/smoke/cli.ts --stage dev --outputs cdk-outputs.json [--config-dir config]
 *       [--sign-in email-code --inbox you+smoke@your-test-domain]
 *
 * With `--sign-in email-code` (stages whose first factors include `emailOtp`)
 * the throwaway user gets a `+<id>` alias of the test inbox, and the operator
 * types the code Cognito mailed there when asked.
 *
 * A stage that hosts the web app (a `WebAppUrl` output) gets one more step:
 * the page loads with its sign-in form and every promised security header.
 * Prints one PASS/FAIL/SKIP line per step, always cleans up, and exits 1 when
 * anything failed. The deployer needs cognito-idp:AdminCreateUser,
 * AdminSetUserPassword, AdminDeleteUser, cognito-identity:DeleteIdentities,
 * and s3:ListBucketVersions/DeleteObjectVersion on the bucket (cleanup removes every version).
 */
import * as path from 'node:path';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import * as readline from 'node:readline/promises';
import { CliInputError } from '../common/cli-error';
import { loadStage, parseFlags, processIo, required, runCli, type CliIo } from '../common/cli';
import { readStackOutputs } from '../common/stack-outputs';
import { runSmokeTest } from './run-smoke-test';
import { emailCodeSignIn, type EmailCodeReader } from './email-code-sign-in';
import { srpSignIn } from './srp-sign-in';
import { newThrowawayUser, strongPassword } from './throwaway-user';
import { readLocalSetup } from './local-target';
import { stateDirFor } from '../local/local-endpoints';
import { REPO_ROOT } from '../local/synth-stage';

export const USAGE =
  'smoke --stage <stage> --outputs <cdk-outputs.json> [--config-dir <dir>] [--sign-in srp|email-code --inbox <address>]\n   or: smoke --local [--stage <stage>] [--config-dir <dir>] (against a running npm run local)';

/** `you@example.org` → `you+smoke-<id>@example.org`: a fresh user whose mail still lands in the test inbox. */
export function inboxAlias(inbox: string, id: string): string {
  const at = inbox.lastIndexOf('@');
  if (at <= 0 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(inbox)) throw new CliInputError(`--inbox must be an email address; found "${inbox}"`);
  return `${inbox.slice(0, at)}+smoke-${id}${inbox.slice(at)}`;
}

/** Asks the operator for the code on the terminal. */
const promptForCode: EmailCodeReader = async (email) => {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(`Code Cognito sent to ${email}: `);
  } finally {
    rl.close();
  }
};

export function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv.includes('--local'))
    return mainLocal(
      argv.filter((arg) => arg !== '--local'),
      io,
    );
  return runCli(async () => {
    const flags = parseFlags(argv, ['stage', 'outputs', 'config-dir', 'sign-in', 'inbox'], USAGE);
    const stage = required(flags.stage, 'stage', USAGE);
    const outputsFile = required(flags.outputs, 'outputs', USAGE);
    const { config, stackName } = loadStage(stage, flags['config-dir']);
    const outputs = readStackOutputs(path.resolve(outputsFile), stackName);
    const region = outputs.Region;
    const method = flags['sign-in'] ?? 'srp';
    if (method !== 'srp' && method !== 'email-code') throw new CliInputError(`--sign-in must be "srp" or "email-code"; found "${method}"\nusage: ${USAGE}`);
    if (method === 'email-code' && !config.userPool.signIn.firstFactors.includes('emailOtp')) {
      throw new CliInputError(`--sign-in email-code needs "emailOtp" in userPool.signIn.firstFactors of stage ${stage}`);
    }
    const inbox = method === 'email-code' ? required(flags.inbox, 'inbox', USAGE) : undefined;

    io.out(`Smoke test of ${stackName} in ${region}`);
    const mfa = config.userPool.mfa;
    if (mfa.mode === 'required' && !mfa.totp) {
      io.out('Note: this stage requires MFA without TOTP; the SRP sign-in step cannot answer SMS or email codes and will fail.');
    }

    const cognitoIdp = new CognitoIdentityProviderClient({ region });
    const report = await runSmokeTest(
      {
        region,
        userPoolId: outputs.UserPoolId,
        userPoolClientId: outputs.UserPoolClientId,
        identityPoolId: outputs.IdentityPoolId,
        bucketName: outputs.BucketName,
        apiUrl: outputs.ApiUrl,
        webAppUrl: outputs.WebAppUrl,
      },
      {
        cognitoIdp,
        cognitoIdentity: new CognitoIdentityClient({ region }),
        adminS3: new S3Client({ region }),
        s3For: (credentials) => new S3Client({ region, credentials }),
        signIn: inbox ? emailCodeSignIn(cognitoIdp, promptForCode) : srpSignIn,
        signInMethod: inbox ? 'emailOtp' : 'srp',
        fetch: (input, init) => fetch(input, init),
        log: io.out,
        newUser: inbox
          ? () => ({ email: inboxAlias(inbox, randomUUID().slice(0, 8)), password: strongPassword(Math.max(40, config.userPool.passwordPolicy.minLength)) })
          : () => newThrowawayUser(config.userPool.passwordPolicy.minLength),
      },
    );
    return report.passed ? 0 : 1;
  }, io);
}

/** The same steps against `npm run local` (scripts/smoke/local-target.ts). */
export function mainLocal(argv: readonly string[], io: CliIo = processIo, rootDir: string = REPO_ROOT): Promise<number> {
  return runCli(async () => {
    const flags = parseFlags(argv, ['stage', 'config-dir'], USAGE);
    const stage = flags.stage ?? 'dev';
    const { config, stackName } = loadStage(stage, flags['config-dir']);
    const { target, endpoints, operator } = readLocalSetup(stateDirFor(rootDir, stage));
    const { region } = target;
    io.out(`Smoke test of ${stackName} running locally (${endpoints.web})`);
    const cognitoIdp = new CognitoIdentityProviderClient({ region, endpoint: endpoints.endpoints.cognitoIdp, credentials: operator });
    // An IP endpoint makes the SDK use path-style bucket addressing, which the local S3 serves.
    const s3 = (credentials: typeof operator) => new S3Client({ region, endpoint: endpoints.endpoints.s3, forcePathStyle: true, credentials });
    const report = await runSmokeTest(target, {
      cognitoIdp,
      cognitoIdentity: new CognitoIdentityClient({ region, endpoint: endpoints.endpoints.cognitoIdentity, credentials: operator }),
      adminS3: s3(operator),
      s3For: s3,
      signIn: (input) => srpSignIn({ ...input, endpoint: endpoints.endpoints.cognitoIdp }),
      signInMethod: 'srp',
      fetch: (input, init) => fetch(input, init),
      log: io.out,
      newUser: () => newThrowawayUser(config.userPool.passwordPolicy.minLength),
      // The local upload check runs in seconds; two minutes would only hide a stuck queue.
      checkTimeoutMs: 60_000,
    });
    return report.passed ? 0 : 1;
  }, io);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
