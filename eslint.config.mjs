// @ts-check
/**
 * ESLint flat config (`npm run lint`, with Prettier for layout; .ci/run runs it).
 *
 * - Code that ships (bin/, lib/, lambda/, web/) gets typescript-eslint's
 *   type-checked recommended rules.
 * - Tools and tests (scripts/, test/) get the recommended rules plus the
 *   type-aware promise rules: they read CloudFormation templates and AWS
 *   responses as JSON, where no-unsafe-* would only restate that JSON is untyped.
 * - eslint-config-prettier turns off every rule that would fight Prettier.
 */
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const SHIPPED = ['bin/**/*.ts', 'lib/**/*.ts', 'lambda/**/*.ts', 'web/**/*.ts', 'contracts/**/*.ts'];
const TOOLS_AND_TESTS = ['scripts/**/*.ts', 'test/**/*.ts'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdk.out/',
      'web/dist/',
      'coverage/',
      '.bench/',
      '.local/',
      '.ci/out/',
      'bench/results/',
      '.bundle-test/',
      'cdk.out.checks/',
      '.cdk.staging/',
      'tmp/',
      '**/*.d.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: [...SHIPPED, ...TOOLS_AND_TESTS],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `const { secret: _secret, ...rest } = x` drops a key on purpose; the underscore says so.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: SHIPPED })),
  {
    files: TOOLS_AND_TESTS,
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // Assertions index into synthesized templates (untyped JSON) and mock SDK inputs.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS: the jest configs and the local run's handler worker (a plain Node child process).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
