/**
 * End-to-end smoke test of a deployed stage, with the deployer's credentials
 * (the default AWS credential chain):
 *
 *   tsx scripts/smoke/cli.ts --stage dev --outputs cdk-outputs.json [--config-dir config]
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
import { loadStage, parseFlags, processIo, required, runCli, type CliIo } from '../common/cli';
import { readStackOutputs } from '../common/stack-outputs';
import { runSmokeTest } from './run-smoke-test';
import { srpSignIn } from './srp-sign-in';
import { newThrowawayUser } from './throwaway-user';

export const USAGE = 'smoke --stage <stage> --outputs <cdk-outputs.json> [--config-dir <dir>]';

export function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runCli(async () => {
    const flags = parseFlags(argv, ['stage', 'outputs', 'config-dir'], USAGE);
    const stage = required(flags.stage, 'stage', USAGE);
    const outputsFile = required(flags.outputs, 'outputs', USAGE);
    const { config, stackName } = loadStage(stage, flags['config-dir']);
    const outputs = readStackOutputs(path.resolve(outputsFile), stackName);
    const region = outputs.Region;

    io.out(`Smoke test of ${stackName} in ${region}`);
    const mfa = config.userPool.mfa;
    if (mfa.mode === 'required' && !mfa.totp) {
      io.out('Note: this stage requires MFA without TOTP; the SRP sign-in step cannot answer SMS or email codes and will fail.');
    }

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
        cognitoIdp: new CognitoIdentityProviderClient({ region }),
        cognitoIdentity: new CognitoIdentityClient({ region }),
        adminS3: new S3Client({ region }),
        s3For: (credentials) => new S3Client({ region, credentials }),
        signIn: srpSignIn,
        fetch: (input, init) => fetch(input, init),
        log: io.out,
        newUser: () => newThrowawayUser(config.userPool.passwordPolicy.minLength),
      },
    );
    return report.passed ? 0 : 1;
  }, io);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
