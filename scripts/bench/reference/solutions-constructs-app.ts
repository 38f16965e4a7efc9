/**
 * The rival's synth, for `npm run bench`: the app a team writes with AWS
 * Solutions Constructs' CognitoToApiGatewayToLambda (a user pool, a REST API
 * with a Cognito authorizer, one Lambda handler bundled by esbuild), as CDK
 * users usually write it (NodejsFunction, the local esbuild, no Docker).
 * `cdk synth` of a stage is judged against it in the same run
 * (docs/performance.md, "Suite and synth").
 */
import * as path from 'node:path';
import { CognitoToApiGatewayToLambda } from '@aws-solutions-constructs/aws-cognito-apigateway-lambda';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

// Like bin/, without CDK's built-in CloudFormation validation (the tests and CI run it).
const app = new App({ builtinCloudFormationValidation: false });
const stack = new Stack(app, 'SolutionsConstructsAnchor');
const handler = new NodejsFunction(stack, 'Handler', {
  entry: path.join(REPO_ROOT, 'lambda', 'me.ts'),
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
  projectRoot: REPO_ROOT,
});
new CognitoToApiGatewayToLambda(stack, 'CognitoApi', { existingLambdaObj: handler });
app.synth();
