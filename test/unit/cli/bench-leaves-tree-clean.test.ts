import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { run } from '../../../harness/cli/main.js';
import { fakeEngine } from './fake-engine.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/**
 * A checkout with this repository's .gitignore and whatever it tracks in the default output folder, plus a
 * scenario in the default scenarios folder; `npm run bench` in a fresh clone, in miniature.
 */
function miniatureCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-tree-'));
  git(dir, 'init', '-q');
  copyFileSync(join(REPO, '.gitignore'), join(dir, '.gitignore'));
  for (const tracked of git(REPO, 'ls-files', '--', 'results').split('\n').filter(Boolean)) {
    mkdirSync(join(dir, dirname(tracked)), { recursive: true });
    copyFileSync(join(REPO, tracked), join(dir, tracked));
  }
  cpSync(join(REPO, 'test/fixtures/scenarios'), join(dir, 'scenarios'), { recursive: true });
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'tree');
  return dir;
}

test('`stagebench run` into the default output folder leaves `git status` empty', async () => {
  const dir = miniatureCheckout();
  const code = await run({
    argv: ['run', '--no-smoke'],
    env: {},
    cwd: dir,
    stdout: { write: () => true },
    stderr: { write: () => true },
    onInterrupt: () => () => undefined,
    engine: fakeEngine(),
  });
  expect(code).toBe(0);
  // It did write where the README says, and nothing of it shows up as a change.
  expect(existsSync(join(dir, 'results/latest.json'))).toBe(true);
  expect(existsSync(join(dir, 'results/latest.md'))).toBe(true);
  expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
});

test('the reference run the docs are generated from is tracked, outside the default output folder', () => {
  expect(git(REPO, 'ls-files', '--', 'docs/reference/results.json').trim()).toBe('docs/reference/results.json');
  expect(git(REPO, 'ls-files', '--', 'results').trim()).toBe('');
});
