import * as fs from 'node:fs';
import { Duration, Stack, Validations, type CfnElement, type CfnOutput, type Stage, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, CodePipeline, CodePipelineSource, ManualApprovalStep, ShellStep, type Step } from 'aws-cdk-lib/pipelines';
import type { Construct, IConstruct } from 'constructs';
import { lookupRoleArn, smokeStepRoleName, smokeTesterRoleName } from './role-names';

/** One stage the pipeline deploys, in order. */
export interface PipelineDeployment {
  /** The stage name the CLIs take (`--stage <name>`). */
  readonly name: string;
  /** The `cdk.Stage` holding the stage's stacks. */
  readonly stage: Stage;
  readonly account: string;
  readonly region: string;
  /** The stage's main stack, which the guard reads. */
  readonly stackName: string;
  /** Its outputs, by output name, for the smoke test's cdk-outputs.json. */
  readonly outputs: Readonly<Record<string, CfnOutput>>;
  /**
   * Run the release guard against the deployed stack, then wait for a person,
   * before deploying.
   * @default false
   */
  readonly manualApproval?: boolean;
}

export interface CognitoAccessPipelineProps extends StackProps {
  /** CodeStar / CodeConnections connection ARN. */
  readonly connectionArn: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly branch: string;
  /** Every stage name with a config file: the synth step checks each with the rule packs. */
  readonly checkedStages: readonly string[];
  /** Stages in deploy order. */
  readonly deployments: readonly PipelineDeployment[];
  /**
   * Node.js major version of the CodeBuild steps.
   * @default 22
   */
  readonly nodeVersion?: number;
  /**
   * The CDK CLI version self-mutation installs, pinned so the step that can
   * change the pipeline runs a known CLI.
   * @default the aws-cdk version installed here (package-lock.json)
   */
  readonly cliVersion?: string;
  /**
   * The cdk-assets version the asset-publishing step installs.
   * @default '4.7.3'
   */
  readonly cdkAssetsCliVersion?: string;
}

/** The aws-cdk CLI this repository's lockfile installs. */
function installedCdkCliVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('aws-cdk/package.json'), 'utf8')) as { version: string }).version;
}

/** The install every CodeBuild step runs first: from the lockfile, no package scripts. */
const INSTALL = 'npm ci --ignore-scripts';

/**
 * The delivery pipeline (docs/design.md, "Release guard and pipeline"): on each
 * push, test and synthesize every stage with the rule packs; then deploy the
 * stages in order, each into its own account through its CDK bootstrap roles.
 * A stage with `manualApproval` first runs the release guard against its
 * deployed stack and waits for a person; every stage ends with its smoke test.
 */
export class CognitoAccessPipelineStack extends Stack {
  public readonly pipeline: CodePipeline;

  constructor(scope: Construct, id: string, props: CognitoAccessPipelineProps) {
    super(scope, id, props);
    const source = CodePipelineSource.connection(props.repository, props.branch, { connectionArn: props.connectionArn });
    const synth = new ShellStep('Synth', {
      input: source,
      installCommands: [INSTALL],
      commands: [
        // The same gates as CI: lint, the suite, and the slow checks it keeps apart (docs/performance.md).
        'npm run lint',
        'npm test',
        'npm run test:slow',
        // The stage stacks, each with every rule pack; the pipeline's own synth below checks the pipeline.
        ...props.checkedStages.map((stage) => `npx cdk synth -q -c stage=${stage} -c controlTower=true -c cfnValidation=true -o cdk.out.checks/${stage}`),
        'npx cdk synth -q -c pipeline=true',
      ],
      primaryOutputDirectory: 'cdk.out',
    });

    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: 'cognito-access',
      synth,
      selfMutation: true,
      cliVersion: props.cliVersion ?? installedCdkCliVersion(),
      cdkAssetsCliVersion: props.cdkAssetsCliVersion ?? '4.7.3',
      // One asset-publishing project per asset type rather than one per asset.
      publishAssetsInParallel: false,
      // Cross-account deploys need a KMS key for the artifacts, which the stage accounts' bootstrap roles may use.
      crossAccountKeys: true,
      enableKeyRotation: true,
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.MEDIUM },
        partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: props.nodeVersion ?? 22 } } } }),
        timeout: Duration.minutes(30),
      },
    });

    for (const deployment of props.deployments) {
      const pre: Step[] = [];
      if (deployment.manualApproval) {
        const guard = this.guardStep(source, deployment);
        const approval = new ManualApprovalStep(`Approve-${deployment.name}`, {
          comment: `The release guard passed for ${deployment.stackName}; read its report (IAM changes included) before approving the deploy to ${deployment.account}.`,
        });
        approval.addStepDependency(guard);
        pre.push(guard, approval);
      }
      this.pipeline.addStage(deployment.stage, { pre, post: [this.smokeStep(source, deployment)] });
    }

    this.pipeline.buildPipeline();
    this.acknowledgeFindings();
  }

  /**
   * Compares the new template with the deployed stack's. It reads that one
   * template through the stage account's CDK lookup role, with a session
   * policy that allows nothing else (the role itself is ReadOnlyAccess).
   */
  private guardStep(source: CodePipelineSource, d: PipelineDeployment): CodeBuildStep {
    const role = lookupRoleArn(d.account, d.region);
    return new CodeBuildStep(`ReleaseGuard-${d.name}`, {
      input: source,
      installCommands: [INSTALL],
      commands: [`npm run guard -- --stage ${d.name} --against deployed --account ${d.account} --region ${d.region} --role-arn ${role}`],
      rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [role] })],
    });
  }

  /** The smoke test against the stage just deployed, as the stage account's smoke-tester role. */
  private smokeStep(source: CodePipelineSource, d: PipelineDeployment): CodeBuildStep {
    const testerRole = `arn:aws:iam::${d.account}:role/${smokeTesterRoleName(d.name)}`;
    const names = Object.keys(d.outputs).sort();
    // scripts/smoke reads `cdk deploy --outputs-file` JSON; the deploy action's outputs arrive as environment variables.
    const writeOutputs = `node -e 'const [s, n] = process.argv.slice(1); require("fs").writeFileSync("cdk-outputs.json", JSON.stringify({ [s]: Object.fromEntries(JSON.parse(n).filter((k) => process.env[k]).map((k) => [k, process.env[k]])) }))' ${d.stackName} '${JSON.stringify(names)}'`;
    return new CodeBuildStep(`SmokeTest-${d.name}`, {
      input: source,
      envFromCfnOutputs: { ...d.outputs },
      installCommands: [INSTALL],
      commands: [
        writeOutputs,
        // The SDK assumes the stage account's role from the CodeBuild container's own credentials.
        `mkdir -p ~/.aws && printf '[profile smoke]\\nrole_arn = ${testerRole}\\ncredential_source = EcsContainer\\nregion = ${d.region}\\n' >> ~/.aws/config`,
        `AWS_PROFILE=smoke npm run smoke -- --stage ${d.name} --outputs cdk-outputs.json`,
      ],
      role: new iam.Role(this, `SmokeStepRole-${d.name}`, {
        roleName: smokeStepRoleName(d.name),
        assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
        description: `Runs the smoke test of stage ${d.name}; may assume only that stage's smoke-tester role`,
      }),
      rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [testerRole] })],
    });
  }

  /**
   * The wildcards CDK Pipelines' generated roles carry, each acknowledged by
   * its exact finding ID (logical IDs included), so a new wildcard still fails
   * synth (docs/design.md, "Acknowledgements").
   */
  private acknowledgeFindings(): void {
    const logicalId = (construct: IConstruct) => this.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
    const artifactBucket = this.pipeline.pipeline.artifactBucket;
    const ack = (id: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
    Validations.of(artifactBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The artifact bucket holds only this pipeline's build artifacts (source archive, cdk.out; no user data), KMS-encrypted and readable only by the pipeline's roles and the stage accounts' bootstrap roles; CodePipeline records each run.",
    });

    const artifacts =
      "CDK grants on the pipeline's own artifact bucket (read, and write for the steps that produce artifacts); the wildcard is the object keys and action families of that one bucket.";
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) ack(`Action::${action}`, artifacts);
    ack(`Resource::<${logicalId(artifactBucket)}.Arn>/*`, artifacts);
    const key =
      "CDK grants on the artifact bucket's own KMS key (rotation on), the only key these statements name; GenerateDataKey*/ReEncrypt* are the action families S3 needs to write encrypted artifacts.";
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) ack(`Action::${action}`, key);

    const { account, region } = this;
    for (const project of this.node.findAll().filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject)) {
      const id = this.resolve(project.logicalId) as string;
      ack(
        `Resource::arn:aws:logs:${region}:${account}:log-group:/aws/codebuild/<${id}>:*`,
        "A CodeBuild project writes its own log group's streams, named per build.",
      );
      ack(`Resource::arn:aws:codebuild:${region}:${account}:report-group/<${id}>-*`, "A CodeBuild project's own test report groups, named after the project.");
    }
    // CDK Pipelines creates the file-asset role apart from its project, so the role names no single project.
    ack(
      `Resource::arn:aws:logs:${region}:${account}:log-group:/aws/codebuild/*`,
      'The file-asset publishing role is made by CDK Pipelines before its CodeBuild project exists, so it is scoped to the CodeBuild log groups of this account and Region.',
    );
    ack(
      `Resource::arn:aws:codebuild:${region}:${account}:report-group/*`,
      "The file-asset publishing role's report groups, for the same reason: CodeBuild report groups of this account and Region only.",
    );
    ack(
      'Resource::*',
      'Generated by CDK Pipelines: self-mutation reads stack status (cloudformation:DescribeStacks) and lists the bootstrap bucket, and the asset step starts and watches its own builds; the role is made before the names exist.',
    );
    ack(
      `Resource::arn:*:iam::${account}:role/*`,
      'Self-mutation may assume only roles of this account tagged aws-cdk:bootstrap-role deploy, file-publishing or image-publishing (the CDK bootstrap roles); the tag condition, not the ARN, is the scope.',
    );
  }
}
