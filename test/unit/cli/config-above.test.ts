import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../harness/cli/main.js';
import { errorText } from '../../../harness/cli/error-text.js';
import { configAbove, configElsewhere, useConfigFix } from '../../../harness/config/config-above.js';
import { results, variant } from '../results-fixture.js';

// stagebench reads its config from the working directory only (so results/, scenarios/ and the baseline are
// where a user runs it); from a sub-folder of a repository whose config is higher up, it names that config.

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'sb-above-'));
  mkdirSync(join(repo, '.git'));
  mkdirSync(join(repo, 'services/api'), { recursive: true });
  writeFileSync(join(repo, 'stagebench.config.json'), JSON.stringify({ scenarios: { api: { context: 'services/api' } } }));
  writeFileSync(join(repo, 'services/api/Dockerfile'), 'FROM x\n');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** `columns`: stderr is a terminal of that width, else a pipe. */
async function cli(argv: string[], cwd: string, files: Record<string, unknown> = {}, columns?: number) {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), JSON.stringify(content));
  let stdout = '';
  let stderr = '';
  const tty = columns ? { isTTY: true, columns } : {};
  const code = await run({ argv, env: {}, cwd, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), ...tty }, onInterrupt: () => () => undefined });
  return { code, stdout, stderr };
}

test('the nearest config above, no higher than the folder holding .git', () => {
  expect(configAbove(join(repo, 'services/api'))).toBe(join(repo, 'stagebench.config.json'));
  expect(configAbove(join(repo, 'services'))).toBe(join(repo, 'stagebench.config.json'));
  // Its own config is not "above"; the repository root stops the search.
  expect(configAbove(repo)).toBeUndefined();
  writeFileSync(join(repo, 'services/stagebench.config.json'), '{}');
  expect(configAbove(join(repo, 'services/api'))).toBe(join(repo, 'services/stagebench.config.json'));
  // A config above the repository root belongs to something else.
  const inner = join(repo, 'vendor/lib');
  mkdirSync(join(inner, '.git'), { recursive: true });
  mkdirSync(join(inner, 'src'));
  expect(configAbove(join(inner, 'src'))).toBeUndefined();
});

test('outside a git repository no config above is named: a stray one in a home or temp folder is not the project\'s', async () => {
  const home = mkdtempSync(join(tmpdir(), 'sb-above-nogit-'));
  try {
    writeFileSync(join(home, 'stagebench.config.json'), '{}');
    const project = join(home, 'projects/app');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'Dockerfile'), 'FROM x\n');
    expect(configAbove(project)).toBeUndefined();
    // So init writes this project's config instead of refusing.
    const res = await cli(['init'], project);
    expect(res.stderr).not.toContain('the nearest is');
    expect(res.code).toBe(0);
    expect(existsSync(join(project, 'stagebench.config.json'))).toBe(true);
    // Inside a repository below that folder, the search stops at the repository root.
    mkdirSync(join(home, 'projects/.git'));
    expect(configAbove(project)).toBeUndefined();
    // The repository's own config, at its root, is named.
    writeFileSync(join(home, 'projects/stagebench.config.json'), '{}');
    expect(configAbove(project)).toBe(join(home, 'projects/stagebench.config.json'));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('run from a sub-folder: exit 2 naming the config above and how to use it, not `init`', async () => {
  const res = await cli(['run'], join(repo, 'services/api'));
  expect(res.code).toBe(2);
  expect(res.stderr).toBe(
    'stagebench: no stagebench.config.json here; the nearest is ../../stagebench.config.json, and no scenarios/ folder here either\n' +
      '  fix: run from `../..` (its paths, results/ and the baseline are relative to there), or pass `--config ../../stagebench.config.json`\n',
  );
});

test('run in a sub-folder that has scenarios/ of its own: it reads them, noting the config above and how to use it', async () => {
  const api = join(repo, 'services/api');
  mkdirSync(join(api, 'scenarios'));
  // An empty scenarios/ stops the run after the note (exit 2), before any engine is needed.
  const res = await cli(['run'], api);
  expect(res.code).toBe(2);
  // In a pipe the note is one line, as the error after it is.
  expect(res.stderr).toBe(
    'note: no stagebench.config.json here; the nearest is ../../stagebench.config.json (not read): run from `../..` (its paths, results/ and the baseline are relative to there), or pass `--config ../../stagebench.config.json`\n' +
      'stagebench: no scenarios in scenarios\n' +
      '  fix: add a folder holding Dockerfile.single and Dockerfile, declare scenarios in stagebench.config.json (`stagebench init`), or pass --scenarios <dir>\n',
  );
  // On a terminal both wrap at its width; the flag to copy moves down whole rather than leave "pass" behind.
  expect((await cli(['run'], api, {}, 80)).stderr).toBe(
    'note: no stagebench.config.json here; the nearest is\n' +
      '  ../../stagebench.config.json (not read): run from `../..` (its paths, results/\n' +
      '  and the baseline are relative to there), or pass\n' +
      '  `--config ../../stagebench.config.json`\n' +
      'stagebench: no scenarios in scenarios\n' +
      '  fix: add a folder holding Dockerfile.single and Dockerfile, declare scenarios\n' +
      '       in stagebench.config.json (`stagebench init`), or pass --scenarios <dir>\n',
  );
});

test('on an 80-column terminal the error wraps, the flag to copy kept whole', () => {
  const elsewhere = configElsewhere(join(repo, 'services/api'), join(repo, 'stagebench.config.json'));
  expect(errorText(elsewhere.message, useConfigFix(elsewhere), 80)).toBe(
    'stagebench: no stagebench.config.json here; the nearest is\n' +
      '  ../../stagebench.config.json\n' +
      '  fix: run from `../..` (its paths, results/ and the baseline are relative to\n' +
      '       there), or pass `--config ../../stagebench.config.json`\n',
  );
  // At 60 columns the flag would straddle two lines as words; it moves down whole.
  expect(errorText(elsewhere.message, useConfigFix(elsewhere), 60).split('\n').slice(-3)).toEqual(['       baseline are relative to there), or pass', '       `--config ../../stagebench.config.json`', '']);
});

test('init in a sub-folder refuses to write a second config (exit 2); --force writes one for that folder', async () => {
  const api = join(repo, 'services/api');
  const res = await cli(['init'], api);
  expect(res.code).toBe(2);
  expect(res.stderr).toBe(
    'stagebench: no stagebench.config.json here; the nearest is ../../stagebench.config.json: init would write a second one, with its own rules, in this folder\n' +
      '  fix: run stagebench from `../..`, where that config is read, or pass --force to write one for this folder alone\n',
  );
  expect(existsSync(join(api, 'stagebench.config.json'))).toBe(false);
  expect((await cli(['init', '--force'], api)).code).toBe(0);
  expect(existsSync(join(api, 'stagebench.config.json'))).toBe(true);
  // Now this folder has its own: a plain init says that one exists, not that there is none here.
  const again = await cli(['init'], api);
  expect(again.code).toBe(2);
  expect(again.stderr).not.toContain('no stagebench.config.json here');
  expect(again.stderr).toBe('stagebench: stagebench.config.json already exists; init leaves it as it is\n  fix: edit it, or pass --force to replace it with a fresh one\n');
});

test('compare in a sub-folder: a note that the config above (and its gate rules) was not read', async () => {
  const api = join(repo, 'services/api');
  const r = results([variant('single', { sizeBytes: 300_000_000 })]);
  const res = await cli(['compare', '--baseline', 'base.json', 'now.json'], api, { 'base.json': r, 'now.json': r });
  expect(res.code).toBe(0);
  // In a pipe one line, in the error's words.
  expect(res.stderr).toContain(
    'note: no stagebench.config.json here; the nearest is ../../stagebench.config.json (not read: the default gate rules apply): run from `../..` (its paths, results/ and the baseline are relative to there), or pass `--config ../../stagebench.config.json`\n',
  );
  // On a terminal wrapped at its width as errors are, the command to copy whole on its line.
  const tty = await cli(['compare', '--baseline', 'base.json', 'now.json'], api, {}, 80);
  expect(tty.stderr).toContain(
    'note: no stagebench.config.json here; the nearest is\n' +
      '  ../../stagebench.config.json (not read: the default gate rules apply): run\n' +
      '  from `../..` (its paths, results/ and the baseline are relative to there), or\n' +
      '  pass `--config ../../stagebench.config.json`\n',
  );
  // From the config's own folder there is nothing to say.
  const root = await cli(['compare', '--baseline', 'base.json', 'now.json'], repo, { 'base.json': r, 'now.json': r });
  expect(root.stderr).not.toContain('note: no stagebench.config.json');
});
