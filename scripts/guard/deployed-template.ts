/**
 * Reads a deployed stack's template with the caller's credentials, or with a
 * role assumed for this one read (the pipeline's guard step). The session
 * policy narrows whatever the role may do to reading this one stack.
 */
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CliInputError } from '../common/cli-error';
import type { CfnTemplate } from './compare-templates';

/** Temporary credentials, in the shape every SDK v3 client accepts. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** An IAM policy that allows reading one stack's template and description, nothing else. */
export function templateReaderPolicy(stackName: string, region: string, account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['cloudformation:GetTemplate', 'cloudformation:DescribeStacks'],
        Resource: `arn:aws:cloudformation:${region}:${account}:stack/${stackName}/*`,
      },
    ],
  });
}

/** Credentials of `roleArn`, limited by the session policy to reading `stackName` in `region`. */
export async function assumeTemplateReader(sts: STSClient, roleArn: string, stackName: string, region: string): Promise<TemporaryCredentials> {
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\/.+$/.exec(roleArn)?.[1];
  if (!account) throw new CliInputError(`--role-arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); found "${roleArn}"`);
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 'release-guard',
      DurationSeconds: 900,
      Policy: templateReaderPolicy(stackName, region, account),
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`STS returned no credentials for ${roleArn}`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/**
 * The template CloudFormation holds for `stackName`, as submitted
 * (`TemplateStage: 'Original'`, what `cdk diff` compares too): it has the same
 * shape as a synthesized one. `Processed` would differ only by expanded
 * transforms, which this stack does not use. A stack that does not exist yet
 * gives undefined: a first deploy loses nothing.
 */
export async function readDeployedTemplate(cloudFormation: CloudFormationClient, stackName: string): Promise<CfnTemplate | undefined> {
  let body: string | undefined;
  try {
    ({ TemplateBody: body } = await cloudFormation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' })));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
  if (!body) throw new Error(`CloudFormation returned no template for ${stackName}`);
  try {
    return JSON.parse(body) as CfnTemplate;
  } catch {
    throw new CliInputError(`the deployed template of ${stackName} is not JSON (was it deployed outside the CDK?); compare against a JSON file instead`);
  }
}
