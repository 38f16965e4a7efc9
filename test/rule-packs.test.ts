import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { listStages } from '../lib/config/load-stage-config';
import { addRulePacks } from '../lib/rule-packs';
import { contextApp, synthStage, unacknowledgedFindings } from './support/synth';

describe('cdk-nag rule packs', () => {
  test.each(listStages())('GIVEN config/%s.json WHEN synthesized with AwsSolutions and Serverless THEN no finding is left unacknowledged', (stage) => {
    const { assembly } = synthStage({ stage, cfnValidation: true });
    expect(unacknowledgedFindings(assembly)).toEqual([]);
  });

  test('GIVEN a construct with an unacknowledged finding WHEN the packs run THEN synth fails naming the rule', () => {
    const app = contextApp();
    new cognito.UserPool(new Stack(app, 'Bare'), 'Pool');
    addRulePacks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-COG1/);
  });
});
