/**
 * `npm run test:slow`: the checks that synthesize every stage with every
 * validation plugin, build real bundles, spawn processes or generate
 * thousands of cases. Each takes many seconds on a 2-core machine, so they run
 * apart from `npm test`, which stays within 5× `tsc --noEmit`; `.ci/run` and
 * the GitHub workflow run them and count them (docs/performance.md, "Suite and synth").
 * @type {import('jest').Config}
 */
const SLOW = [
  // Every shipped stage with cdk-nag, CloudFormation schema validation and the Control Tower controls.
  '<rootDir>/test/composition/rule-packs.test.ts',
  // cdk-nag over stage variants (which findings a stage may acknowledge) and over the pipeline.
  '<rootDir>/test/composition/stage-acknowledgements.test.ts',
  '<rootDir>/test/pipeline/pipeline-rule-packs.test.ts',
  // The generators and CLIs in child processes: schema --check, the pipeline app, client-config.
  '<rootDir>/test/config/json-schema.test.ts',
  '<rootDir>/test/pipeline/pipeline-config.test.ts',
  '<rootDir>/test/scripts/client-config/cli.test.ts',
  // Real esbuild bundles, each loaded in a fresh node process.
  '<rootDir>/test/lambda/bundles.test.ts',
  // bin/ end to end, in child processes: one error line per problem, exit codes.
  '<rootDir>/test/config/cli.test.ts',
  // 1,000 generated requests per property against every handler.
  '<rootDir>/test/lambda/handlers.property.test.ts',
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: SLOW,
  maxWorkers: '100%',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
