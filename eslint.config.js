import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** docs/architecture.md, "What may import what": each zone says what the files of `target` must not import. */
const layer = (target, from, message, except) => ({ target: `./harness/${target}`, from: from.map((f) => `./harness/${f}`), message, ...(except ? { except } : {}) });
const ZONES = [
  // Leaves: they import nothing of stagebench's (stats/, format/, results/schema.ts) or only errors.ts.
  layer('stats', ['.'], 'stats/ is pure statistics: it imports nothing of stagebench', ['./stats']),
  layer('format', ['.'], 'format/ is pure formatting: it imports nothing of stagebench', ['./format']),
  layer('results/schema.ts', ['.'], 'the results schema is the contract at the bottom: it imports nothing of stagebench but its enums', ['./results/schema.ts', './results/enums.ts']),
  layer('results/enums.ts', ['.'], 'results/enums.ts is a leaf (the schema\'s enums as plain values)', ['./results/enums.ts']),
  layer('errors.ts', ['.'], 'errors.ts is a leaf', ['./errors.ts']),
  layer('progress.ts', ['.'], 'progress.ts is the Progress port, a leaf', ['./progress.ts']),
  layer('json-file.ts', ['.'], 'json-file.ts reads and validates JSON; it knows no schema', ['./json-file.ts', './errors.ts', './format/did-you-mean.ts']),
  layer('layers', ['.'], 'layers/ reads tars and stacks layer listings: pure, it imports nothing of stagebench', ['./layers']),
  layer('engine', ['.'], 'engine/ sees only the results schema (its types) and errors.ts', ['./engine', './errors.ts', './results/schema.ts']),
  layer('config', ['.'], 'config/ sees only the results schema (shared enums), errors.ts and json-file.ts', ['./config', './errors.ts', './json-file.ts', './results/schema.ts']),
  // The middle: each folder only downwards.
  layer('results', ['compare', 'report', 'measure', 'scenarios', 'output', 'cli', 'config', 'engine', 'index.ts'], 'results/ reads the contract; it does not know the gate, the reports, the runs, the engine or the config'),
  layer('scenarios', ['compare', 'report', 'measure', 'results', 'output', 'cli', 'index.ts'], 'scenarios/ turns folders and the config into Scenario values; it knows nothing later in the flow'),
  layer('compare', ['report', 'measure', 'scenarios', 'output', 'cli', 'engine', 'index.ts'], 'compare/ is pure: it returns rows, verdicts and refusals as values and never renders (formatters are in format/)'),
  layer('report', ['measure', 'scenarios', 'output', 'cli', 'index.ts'], 'report/ renders values to strings; progress takes the Progress port from progress.ts'),
  layer('report', ['engine'], 'report/ may use engine/engine-kind.ts (engine names), not the engine', ['./engine-kind.ts']),
  layer('measure', ['compare', 'report', 'cli', 'index.ts'], 'measure/ runs builds and returns results; saving and rendering are the caller\'s'),
  layer('measure', ['output'], 'measure/ may use output/write.ts (the scratch copy of an incremental build), never publish.ts', ['./write.ts']),
  layer('measure', ['engine/docker-engine.ts'], 'measure/ reaches the engine through the Engine interface (engine/engine.ts) only'),
  layer('output', ['measure', 'scenarios', 'cli', 'engine', 'index.ts'], 'output/ writes what it is given'),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'scenarios/', 'offline/', 'results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Control characters are how terminals are driven (ANSI escapes) and stripped.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The dependency rules of docs/architecture.md: layers that only import downwards, and no cycles.
    files: ['harness/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // The TypeScript parser reads the imported files (no-cycle follows their imports); the resolver maps ./x.js to ./x.ts.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: ZONES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Only engine/ talks to Docker, and only output/write.ts writes files.
    files: ['harness/**/*.ts'],
    ignores: ['harness/engine/**', 'harness/output/write.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'dockerode', message: 'only harness/engine/ talks to Docker' },
            ...['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({
              name,
              importNames: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'rename', 'renameSync', 'mkdir', 'mkdirSync', 'createWriteStream', 'copyFile'],
              message: 'every file stagebench writes goes through harness/output/write.ts',
            })),
          ],
        },
      ],
    },
  },
  {
    // engine/ may use dockerode, and still writes no files.
    files: ['harness/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({
            name,
            importNames: ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'rename', 'renameSync', 'mkdir', 'mkdirSync', 'createWriteStream', 'copyFile'],
            message: 'every file stagebench writes goes through harness/output/write.ts',
          })),
        },
      ],
    },
  },
  { files: ['bin/**/*.js', 'scripts/**/*.js', 'scripts/**/*.mjs'], languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } } },
);
