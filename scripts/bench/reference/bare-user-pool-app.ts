/**
 * The synth reference for `npm run bench`: a bare aws-cdk-lib app with one
 * user pool and client, synthesized in the same run as the real stage so the
 * stage's synth is judged as a ratio, not as seconds on whatever machine.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';

// Like bin/, without CDK's built-in CloudFormation validation (the tests and CI run it).
const app = new App({ builtinCloudFormationValidation: false });
const stack = new Stack(app, 'BenchReference');
const pool = new cognito.UserPool(stack, 'UserPool', { selfSignUpEnabled: false });
pool.addClient('WebClient', { authFlows: { userSrp: true }, oAuth: { callbackUrls: ['https://app.example.org/'] } });
app.synth();
