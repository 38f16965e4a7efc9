/**
 * The delivery pipeline as synthesized from config/pipeline.json (once for the
 * file, no bundling): stage order, the release guard and approval before prod,
 * smoke tests after each deploy, encrypted artifacts, self-mutation, and
 * cross-account trust only through the CDK bootstrap roles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPipelineConfig } from '../../lib/config/load-pipeline-config';
import { compareTemplates, type CfnTemplate } from '../../scripts/guard/compare-templates';
import { maskAssetHashes } from '../../scripts/guard/mask-asset-hashes';
import { REPO_ROOT } from '../support/synth';
import { buildPipelineApp } from './support';

const { pipeline: config } = loadPipelineConfig();
const [DEV, PROD] = config.stages;
const built = buildPipelineApp();
const assembly = built.synth();
const template = built.template();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const [, codePipeline] = ofType('AWS::CodePipeline::Pipeline')[0];
const stages: Array<{ Name: string; Actions: Array<{ Name: string; RunOrder: number; ActionTypeId: { Provider: string }; Configuration?: any }> }> =
  codePipeline.Properties.Stages;
const stageNamed = (name: string) => stages.find((s) => s.Name === name)!;
const buildCommands = (actionConfig: { ProjectName: { Ref: string } }): string[] => {
  const spec = JSON.parse(resources[actionConfig.ProjectName.Ref].Properties.Source.BuildSpec);
  return spec.phases.build.commands;
};

/** An ARN from the template with partition references filled in (other intrinsics kept as <Logical.Attr>). */
function arnOf(value: unknown): string {
  if (typeof value === 'string') return value.replace('${AWS::Partition}', 'aws');
  const v = value as Record<string, any>;
  if (v['Fn::Sub']) return arnOf(v['Fn::Sub']);
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(arnOf).join('');
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(v);
}

/** Every principal a trust, key or bucket policy of the pipeline stack allows (a Deny to "*", e.g. TLS only, grants nothing). */
function allPrincipals(): unknown[] {
  const documents = [
    ...ofType('AWS::IAM::Role').map(([, r]) => r.Properties.AssumeRolePolicyDocument),
    ...ofType('AWS::KMS::Key').map(([, r]) => r.Properties.KeyPolicy),
    ...ofType('AWS::S3::BucketPolicy').map(([, r]) => r.Properties.PolicyDocument),
  ];
  return documents.flatMap((d) => d.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow').map((s: { Principal?: unknown }) => s.Principal));
}

const BOOTSTRAP_ROLE = (account: string, region: string) =>
  new RegExp(`^arn:aws:iam::${account}:role/cdk-hnb659fds-(deploy|file-publishing|image-publishing|lookup)-role-${account}-${region}$`);

describe('CognitoAccess-Pipeline', () => {
  test('GIVEN config/pipeline.json WHEN synthesized THEN the pipeline runs source, build, self-mutation, assets, then dev before prod', () => {
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', DEV.name, PROD.name]);
    expect(stageNamed('Source').Actions[0].ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(stageNamed('Source').Actions[0].Configuration).toEqual(
      expect.objectContaining({ ConnectionArn: config.source.connectionArn, FullRepositoryId: config.source.repository, BranchName: config.source.branch }),
    );
  });

  test('GIVEN the synth step WHEN read THEN it installs from the lockfile, runs lint and every test, checks every stage with the rule packs, then synthesizes the pipeline', () => {
    const synth = stageNamed('Build').Actions[0];
    const spec = JSON.parse(resources[synth.Configuration.ProjectName.Ref].Properties.Source.BuildSpec);

    expect(spec.phases.install.commands).toEqual(['npm ci --ignore-scripts']);
    expect(spec.phases.build.commands).toEqual([
      'npm run lint',
      'npm test',
      'npm run test:slow',
      'npx cdk synth -q -c stage=dev -c controlTower=true -c cfnValidation=true -o cdk.out.checks/dev',
      'npx cdk synth -q -c stage=prod -c controlTower=true -c cfnValidation=true -o cdk.out.checks/prod',
      'npx cdk synth -q -c pipeline=true',
    ]);
  });

  test('GIVEN the prod stage WHEN read THEN the release guard runs first, the manual approval after it, and every CloudFormation action after both', () => {
    const actions = stageNamed(PROD.name).Actions;
    const guard = actions.find((a) => a.Name === `ReleaseGuard-${PROD.name}`)!;
    const approval = actions.find((a) => a.ActionTypeId.Provider === 'Manual')!;
    const deploys = actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');

    expect(guard.RunOrder).toBeLessThan(approval.RunOrder);
    expect(deploys.length).toBeGreaterThan(0);
    for (const deploy of deploys) expect(deploy.RunOrder).toBeGreaterThan(approval.RunOrder);
    expect(buildCommands(guard.Configuration)).toEqual([
      `npm run guard -- --stage prod --against deployed --account ${PROD.account} --region ${PROD.region} --role-arn arn:aws:iam::${PROD.account}:role/cdk-hnb659fds-lookup-role-${PROD.account}-${PROD.region}`,
    ]);
  });

  test('GIVEN the dev stage (no manualApproval) WHEN read THEN it deploys without a guard or an approval', () => {
    const providers = stageNamed(DEV.name).Actions.map((a) => a.ActionTypeId.Provider);

    expect(providers).not.toContain('Manual');
    expect(stageNamed(DEV.name).Actions.map((a) => a.Name)).not.toContain(`ReleaseGuard-${DEV.name}`);
  });

  test.each([DEV, PROD])("GIVEN stage $name WHEN read THEN its smoke test runs after its deploys, as the stage account's smoke-tester role", (stage) => {
    const actions = stageNamed(stage.name).Actions;
    const smoke = actions.find((a) => a.Name === `SmokeTest-${stage.name}`)!;
    const lastDeploy = Math.max(...actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation').map((a) => a.RunOrder));

    expect(smoke.RunOrder).toBeGreaterThan(lastDeploy);
    const commands = buildCommands(smoke.Configuration);
    expect(commands.at(-1)).toBe(`AWS_PROFILE=smoke npm run smoke -- --stage ${stage.name} --outputs cdk-outputs.json`);
    expect(commands.join('\n')).toContain(`role_arn = arn:aws:iam::${stage.account}:role/cognito-access-${stage.name}-smoke-tester`);
  });

  test("GIVEN the guard step's role WHEN its policies are read THEN the only role it may assume is prod's lookup role", () => {
    const assumable = ofType('AWS::IAM::Policy')
      .filter(([id]) => id.includes('ReleaseGuard'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('sts:AssumeRole')))
      .map((s: any) => arnOf(s.Resource));

    expect(assumable).toEqual([`arn:aws:iam::${PROD.account}:role/cdk-hnb659fds-lookup-role-${PROD.account}-${PROD.region}`]);
  });

  test('GIVEN every trust, key and bucket policy WHEN read THEN no Allow names a wildcard principal and other accounts only by their bootstrap roles', () => {
    const principals = allPrincipals();

    expect(principals.length).toBeGreaterThan(0);
    for (const principal of principals) {
      const text = JSON.stringify(principal);
      expect(text).not.toMatch(/"\*"/);
      // Other accounts appear only as their CDK bootstrap roles (the artifact key lets their deploy roles decrypt).
      for (const other of [DEV.account, PROD.account]) {
        if (!text.includes(other)) continue;
        const arns = [(principal as { AWS: unknown }).AWS]
          .flat()
          .map(arnOf)
          .filter((arn) => arn.includes(other));
        for (const arn of arns) expect(arn).toMatch(BOOTSTRAP_ROLE(other, other === DEV.account ? DEV.region : PROD.region));
      }
    }
  });

  test('GIVEN every sts:AssumeRole grant WHEN read THEN other accounts are reached only through their bootstrap roles or the named smoke-tester role', () => {
    const targets = ofType('AWS::IAM::Policy')
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().includes('sts:AssumeRole')))
      .flatMap((s: any) => [s.Resource].flat().map(arnOf));
    const crossAccount = targets.filter((arn) => /:iam::\d{12}:/.test(arn) && !arn.includes(`::${config.account}:`));

    expect(crossAccount.length).toBeGreaterThan(0);
    for (const arn of crossAccount) {
      const stage = [DEV, PROD].find((s) => arn.includes(`::${s.account}:`))!;
      expect(arn).toMatch(
        new RegExp(
          `${BOOTSTRAP_ROLE(stage.account, stage.region).source.slice(0, -1)}$|^arn:aws:iam::${stage.account}:role/cognito-access-${stage.name}-smoke-tester$`,
        ),
      );
    }
  });

  test("GIVEN the artifact store WHEN read THEN it is a bucket encrypted with the pipeline's own KMS key, rotation on", () => {
    const [keyId, key] = ofType('AWS::KMS::Key')[0];

    expect(codePipeline.Properties.ArtifactStore.EncryptionKey).toEqual({ Id: { 'Fn::GetAtt': [keyId, 'Arn'] }, Type: 'KMS' });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }],
      },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('GIVEN self-mutation WHEN read THEN the pipeline updates itself with the pinned CDK CLI before anything deploys', () => {
    const mutate = stageNamed('UpdatePipeline').Actions[0];
    const spec = JSON.parse(resources[mutate.Configuration.ProjectName.Ref].Properties.Source.BuildSpec);
    const cli = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'aws-cdk', 'package.json'), 'utf8')).version;

    expect(spec.phases.install.commands).toEqual([`npm install -g aws-cdk@${cli}`]);
    expect(spec.phases.build.commands).toEqual(['cdk -a . deploy CognitoAccess-Pipeline --require-approval=never --verbose']);
  });

  test("GIVEN the prod stage's stack inside the pipeline WHEN guarded against the last release THEN it is the same stack: same name, no stateful resource lost", () => {
    const stack = assembly.getNestedAssembly(`assembly-${PROD.name}`).stacks.find((s) => s.stackName === 'CognitoAccess-prod')!;
    const release = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'release', 'prod.template.json'), 'utf8')) as CfnTemplate;

    expect(stack.environment).toEqual(expect.objectContaining({ account: PROD.account, region: PROD.region }));
    expect(compareTemplates(maskAssetHashes(release), maskAssetHashes(stack.template as CfnTemplate)).losses).toEqual([]);
  });

  test("GIVEN docs/execution-policy.json WHEN matched against every resource type the pipeline deploys THEN each type's service is allowed (bootstrap with it, not AdministratorAccess)", () => {
    const policy = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'execution-policy.json'), 'utf8'));
    const allowed = new Set(
      policy.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow')
        .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
        .map((action: string) => action.split(':')[0]),
    );
    // CloudFormation resource namespaces whose IAM service prefix is not simply the lowercased name.
    const PREFIX: Record<string, string[]> = { Cognito: ['cognito-idp', 'cognito-identity'], CodeStarConnections: ['codeconnections'] };
    const stacks = [assembly.getStackByName(built.stack.stackName), ...[DEV, PROD].flatMap((s) => assembly.getNestedAssembly(`assembly-${s.name}`).stacks)];
    const types = new Set(stacks.flatMap((stack) => Object.values(stack.template.Resources as Record<string, { Type: string }>).map((r) => r.Type)));

    const missing = [...types]
      .filter((type) => type.startsWith('AWS::'))
      .filter((type) => !(PREFIX[type.split('::')[1]] ?? [type.split('::')[1].toLowerCase()]).every((prefix) => allowed.has(prefix)));
    expect(missing).toEqual([]);
  });

  test("GIVEN each stage's smoke-tester role WHEN read THEN only the pipeline's smoke step role of that stage may assume it", () => {
    for (const stage of [DEV, PROD]) {
      const tester = assembly.getNestedAssembly(`assembly-${stage.name}`).stacks.find((s) => s.stackName === `CognitoAccess-${stage.name}-SmokeTester`)!;
      const [role] = Object.values(tester.template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::IAM::Role');

      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${config.account}:root` },
          Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${config.account}:role/cognito-access-${stage.name}-smoke-step` } },
        },
      ]);
    }
  });
});
