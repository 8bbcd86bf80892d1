// Lint (STYLE.md §19): type-aware typescript-eslint on every TS file, Nx module boundaries between projects
// (STYLE.md §1), and the same basic rules for the JS tooling. `npm run lint` runs this, then the type check.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { noFloatMoneyRules } from './tools/reconcile/no-float-money.mjs';

// The boundary rule reads Nx's cached project graph and, without one (fresh clone, CI), skips itself with
// only a warning. Build the graph first so the rule always runs.
process.env.NX_DAEMON ??= 'false';
await createProjectGraphAsync({ exitOnError: true });

const scopes = ['crm', 'erp', 'psa', 'gateway', 'governance'];

/** The rules STYLE.md §19 names, on every file (JS and TS). */
const styleRules = {
  eqeqeq: ['error', 'always'],
  curly: ['error', 'all'],
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'coverage/**', '**/*.d.ts'],
  },
  ...nx.configs['flat/base'],

  // ── TypeScript: type-aware ─────────────────────────────────────────────────────────────────────────
  {
    files: ['{libs,subgraphs,gateway,governance,test,tools}/**/*.ts', 'governance/console/**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        projectService: {
          // TS outside tsconfig.json's include (a loose script under tools/) still gets type information
          allowDefaultProject: ['tools/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      ...styleRules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `_name` marks a value left unused on purpose (a destructured field dropped, an interface parameter)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // TypeORM's own option types are lists of `Function` (entity classes, migration classes)
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // Tests read untyped GraphQL JSON; `any` there is a shape assertion away from the expectation that checks it.
    files: [
      '**/__tests__/**/*.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      '**/*.test.tsx',
      'test/**/*.ts',
      'libs/testing/src/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    // No floating-point money in the services (issue 6): parseFloat, Number() or + of an amount, Decimal#toNumber
    files: ['subgraphs/*/src/**/*.ts'],
    ignores: ['**/__tests__/**', '**/*.spec.ts', '**/*.integration-spec.ts'],
    rules: noFloatMoneyRules,
  },

  // ── Module boundaries: an app depends only on libs of its own scope or shared ones ───────────────────
  {
    files: ['{libs,subgraphs,gateway,governance,test,tools}/**/*.{ts,mjs,cjs,js}'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            ...scopes.map((scope) => ({ sourceTag: `scope:${scope}`, onlyDependOnLibsWithTags: [`scope:${scope}`, 'scope:shared'] })),
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
          ],
        },
      ],
    },
  },

  // ── JavaScript tooling (tools/*.mjs, configs): Node globals, no type information ─────────────────────
  {
    files: ['**/*.{mjs,cjs,js}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023 },
    rules: styleRules,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
