// Lint and layering rules; `npm run lint` runs them (and Prettier's check) in CI.
// The layering is the one docs/architecture.md draws: the domain imports nothing but itself,
// adapters never import apps, and no app imports another app's files.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const APPS = ['ledger-api', 'ledger-cli', 'demo', 'console'];

/** Import patterns that reach into an app's files, by relative path or from the repository root. */
const appPaths = (app) => [`**/apps/${app}/**`, `**/${app}/src/**`];

const noOtherApps = APPS.map((app) => ({
  files: [`apps/${app}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: APPS.filter((other) => other !== app).map((other) => ({
          group: appPaths(other),
          message: `apps/${app} may not import apps/${other}: shared code belongs in libs/.`,
        })),
      },
    ],
  },
}));

const ADAPTER_PACKAGES = ['@nestjs/*', 'better-sqlite3', 'pg', '@eventstore/*', '@grpc/*', 'fastify', '@fastify/*', 'rxjs'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/peers/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // The codebase names deliberately unused destructured fields with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Test and adapter code reads untyped JSON (HTTP bodies, gRPC messages); `any` is confined there by review.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'error',
    },
  },
  ...noOtherApps,
  {
    // The domain is pure TypeScript: no framework, no adapter, no app.
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ADAPTER_PACKAGES, message: 'the domain imports no framework and no driver: it is pure TypeScript.' },
            {
              group: [
                '@ledger/event-store',
                '@ledger/event-store/*',
                '@ledger/read-models',
                '@ledger/read-models/*',
                '**/event-store/src/**',
                '**/read-models/src/**',
              ],
              message: 'the domain never imports adapters.',
            },
            { group: ['**/apps/**'], message: 'the domain never imports apps.' },
          ],
        },
      ],
    },
  },
  {
    // Adapters (the event store, the read models) and every other library never import apps.
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', ...APPS.flatMap((app) => [`**/${app}/src/**`])], message: 'libraries never import apps.' }] },
      ],
    },
  },
);
