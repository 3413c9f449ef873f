// ESLint for the store's TypeScript and JavaScript: server/, public/ sources, scripts/, test/.
// Type-checked rules from typescript-eslint that find real bugs (promises nobody awaits, promises
// handed where a callback must not return one, `any` flowing into typed code), a few rules that
// hold DESIGN.md's boundaries (only config.ts reads the environment; the server logs through its
// logger), and nothing about layout: Prettier owns that (eslint-config-prettier comes last).
//
// Every rule here whose autofix is on (prefer-const, no-unnecessary-type-assertion,
// consistent-type-imports, eqeqeq's typeof case, …) only rewrites syntax or types, never what the
// program does, so `npm run lint:fix` is safe to run over the tree. Rules whose fixes can change
// behaviour (return-await, no-unnecessary-condition, prefer-optional-chain) are left off.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const tsconfigRootDir = import.meta.dirname;

/** What Node.js puts in scope of the few plain-JavaScript files (build scripts, jest.config.js). */
const nodeGlobals = { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' };
const commonJsGlobals = { ...nodeGlobals, require: 'readonly', module: 'writable', __dirname: 'readonly' };

/** `process.env` outside server/config.ts, in any spelling ESLint can see. */
const ENV_MESSAGE = 'Only server/config.ts reads the environment (DESIGN.md): take the setting from StoreConfig.';
const noProcessEnv = {
  'no-restricted-properties': ['error', { object: 'process', property: 'env', message: ENV_MESSAGE }],
  'no-restricted-imports': [
    'error',
    {
      paths: [
        { name: 'process', importNames: ['env'], message: ENV_MESSAGE },
        { name: 'node:process', importNames: ['env'], message: ENV_MESSAGE },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "MemberExpression[object.property.name='process'][property.name='env']", message: ENV_MESSAGE },
  ],
};

export default defineConfig(
  globalIgnores(['node_modules/', 'dist/', 'data/', 'coverage/', 'test-artifacts/', 'public/build/', 'wp-bridge/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // TypeScript, type-checked against the program that compiles it.
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir },
    },
    rules: {
      // Type-only imports say so (`import type`, `{ type X }` as the code already does). TypeScript
      // drops type-only imports either way, so the fix changes no emitted code; files with
      // decorators are skipped under emitDecoratorMetadata, where the difference would matter.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A switch over a union (order statuses, gateway outcomes) names every member or has a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `_`-prefixed names are deliberately unused (Express's 4-argument error handlers, omitted fields).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // An async function without `await` is how a Promise-returning interface method is written
      // (gateways, stores); flagging it finds no bugs here.
      '@typescript-eslint/require-await': 'off',
      // URLSearchParams stringifies to a query string; @types/node declares it outside the DOM lib.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allow: [
            { name: ['Error', 'URL', 'URLSearchParams'], from: 'lib' },
            { name: ['URL', 'URLSearchParams'], from: 'package', package: 'url' },
          ],
        },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },

  // The server: the environment only through config.ts, and logging only through the logger, whose
  // redaction keeps card-like data out of the logs (DESIGN.md promise 2).
  {
    files: ['server/**/*.ts'],
    ignores: ['server/config.ts'],
    rules: noProcessEnv,
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/main.ts', 'server/**/*-cli.ts'],
    rules: { 'no-console': 'error' },
  },

  // Browser code: the embed widget and the checkout pages' scripts, compiled with the DOM library.
  {
    files: ['public/**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./public/embed/tsconfig.json'], tsconfigRootDir },
    },
  },

  // Tests: supertest and playwright hand back `any` bodies that the assertions then check, and jest
  // passes methods around unbound (`expect(obj.method)`), so those rules would only add noise.
  // Tests may read the environment: test/setup/*.ts picks the database per jest project, and the
  // support code reads TEST_MYSQL_URL, CHROMIUM_PATH and passes PATH to the processes it spawns;
  // none of that is the store's configuration, which tests hand to loadConfig() as a plain object.
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests compile the scripts the store serves to prove they parse.
      '@typescript-eslint/no-implied-eval': 'off',
    },
  },

  // Plain JavaScript: build scripts (ES modules; they may read the environment, e.g.
  // SOURCE_DATE_EPOCH for reproducible zips) and CommonJS configuration files. No type information.
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: commonJsGlobals },
  },

  prettier,
);
