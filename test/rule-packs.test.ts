import { App, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { listStages } from '../lib/config/load-stage-config';
import { addRulePacks } from '../lib/rule-packs';
import { cdkJsonContext, synthStage, unacknowledgedFindings } from './support/synth';

describe('cdk-nag rule packs', () => {
  test.each(listStages())('GIVEN config/%s.json WHEN synthesized with AwsSolutions and Serverless THEN no finding is left unacknowledged', (stage) => {
    const { assembly } = synthStage({ stage });
    expect(unacknowledgedFindings(assembly)).toEqual([]);
  });

  test('GIVEN a construct with an unacknowledged finding WHEN the packs run THEN synth fails naming the rule', () => {
    const app = new App({ context: cdkJsonContext() });
    new cognito.UserPool(new Stack(app, 'Bare'), 'Pool');
    addRulePacks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-COG1/);
  });
});
