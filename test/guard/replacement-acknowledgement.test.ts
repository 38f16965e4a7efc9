/**
 * The stage file's second acknowledgement form, `{ replacement, reason }`: the
 * schema checks it like the rule-pack form, and the rule-pack code leaves it
 * to the release guard (docs/design.md, "Release guard and pipeline").
 */
import { parseStageConfig, StageConfigError } from '../../lib/config/load-stage-config';
import type { StageConfigInput } from '../../lib/config/stage-config';
import { synthStage } from '../support/synth';

const URLS = { callbackUrls: ['https://app.example.org/cb'], logoutUrls: ['https://app.example.org/'] };
const REASON = 'Items move to the new key; the old table is kept and re-imported.';

function problemsOf(acknowledgements: unknown[]): string[] {
  try {
    parseStageConfig({ removal: 'destroy', webClient: URLS, acknowledgements }, 'config/ack.json');
    return [];
  } catch (error) {
    if (error instanceof StageConfigError) return error.problems;
    throw error;
  }
}

describe('replacement acknowledgements in a stage file', () => {
  test('GIVEN both forms side by side WHEN validated THEN both are kept as written', () => {
    const config = parseStageConfig(
      {
        removal: 'destroy',
        webClient: URLS,
        acknowledgements: [
          { id: 'AwsSolutions-COG2', reason: 'a reason long enough to count' },
          { replacement: 'IdentityStorageTable2EC1910F', reason: REASON },
        ],
      },
      'config/ack.json',
    );

    expect(config.acknowledgements).toEqual([
      { id: 'AwsSolutions-COG2', reason: 'a reason long enough to count' },
      { replacement: 'IdentityStorageTable2EC1910F', reason: REASON },
    ]);
  });

  test.each([
    [
      'a short reason',
      { replacement: 'IdentityStorageTable2EC1910F', reason: 'new key' },
      'acknowledgements[0].reason: expected a reason of at least 20 characters',
    ],
    [
      'a construct path instead of a logical ID',
      { replacement: 'IdentityStorage/Table', reason: REASON },
      'acknowledgements[0].replacement: expected a CloudFormation logical ID',
    ],
    ['no reason at all', { replacement: 'IdentityStorageTable2EC1910F' }, 'acknowledgements[0].reason: expected string'],
  ])('GIVEN %s WHEN validated THEN one line names the file and the field', (_case, ack, expected) => {
    expect(problemsOf([ack])).toEqual([expect.stringContaining(`config/ack.json: ${expected}`)]);
  });

  test('GIVEN a replacement acknowledgement WHEN the stack is synthesized THEN no rule-pack acknowledgement comes of it', () => {
    const config: StageConfigInput = {
      removal: 'destroy',
      webClient: URLS,
      acknowledgements: [{ replacement: 'IdentityStorageTable2EC1910F', reason: REASON }],
    };

    const { stack } = synthStage({ stage: 'ack', config, rulePacks: false });

    const reasons = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(reasons.filter(([id, reason]) => reason.includes(REASON) || id.includes('undefined'))).toEqual([]);
  });
});
