import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FROM, leftNothing, scenarios, stagebench } from './harness.js';

// Real processes: more than jest's 5 s under load.
jest.setTimeout(120_000);

const GOOD = { 'Dockerfile.single': `${FROM}\n`, Dockerfile: `${FROM}\n` };

describe('bad input: exit 2 before anything is built, naming the place and the fix', () => {
  test.each([
    ['a scenario.json that is not JSON', { s: { ...GOOD, 'scenario.json': '{ "smoke": ' } }, /scenario\.json/],
    ['a scenario.json with an unknown key', { s: { ...GOOD, 'scenario.json': '{ "smok": {} }' } }, /smok/],
    ['a folder without Dockerfile.single', { s: { Dockerfile: `${FROM}\n` } }, /Dockerfile\.single/],
    ['a name that cannot be a Docker tag (café)', { 'café': GOOD }, /café/],
    ['a name with a trailing -', { 'app-': GOOD }, /app-/],
    ['a name with ..', { 'a..b': GOOD }, /a\.\.b/],
    ['names that differ only in case share one image', { Upper: GOOD, upper: GOOD }, /Upper|upper/],
  ])('%s', async (_name, tree, named) => {
    const res = await stagebench(['run', '--scenarios', scenarios(tree as Record<string, Record<string, string>>)]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(named);
    expect(res.stderr).toMatch(/fix: /);
    expect(res.results()).toBeUndefined();
    await leftNothing(res);
  });

  test('a name over 128 characters', async () => {
    const long = `a${'b'.repeat(128)}`;
    const res = await stagebench(['run', '--scenarios', scenarios({ [long]: GOOD })]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('129 characters long; the limit is 128');
  });

  test.each([
    ['--runs 0', ['--runs', '0']],
    ['--engine-timeout soon', ['--engine-timeout', 'soon']],
    ['--builder kaniko', ['--builder', 'kaniko']],
  ])('a bad flag: %s', async (_name, flags) => {
    const res = await stagebench(['run', '--scenarios', scenarios({ s: GOOD }), ...flags]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/fix: |see `stagebench/);
  });
});

describe('corrupt input to every read-only command: exit 2, the file and the fix, the file untouched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-fault-corrupt-'));
  const files = {
    garbage: join(dir, 'garbage.json'),
    truncated: join(dir, 'truncated.json'),
    other: join(dir, 'other.json'),
  };
  writeFileSync(files.garbage, '\u0000\u0001 not json at all');
  writeFileSync(files.truncated, '{ "schemaVersion": 1, "createdAt": "2026-');
  writeFileSync(files.other, JSON.stringify({ hello: 'world' }));
  const commands: [string, (f: string) => string[]][] = [
    ['report', (f) => ['report', f]],
    ['layers', (f) => ['layers', f]],
    ['steps', (f) => ['steps', f]],
    ['chart', (f) => ['chart', f]],
    ['compare (current)', (f) => ['compare', f, '--baseline', f]],
    ['baseline update', (f) => ['baseline', 'update', f, '--baseline', join(dir, 'never-written.json')]],
    ['merge', (f) => ['merge', f, f, '--out', join(dir, 'merged')]],
  ];
  test.each(commands.flatMap(([name, argv]) => Object.entries(files).map(([kind, file]) => [`${name}: ${kind}`, argv(file), file] as const)))('%s', async (_name, argv, file) => {
    const before = readFileSync(file);
    const res = await stagebench([...argv]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toMatch(/fix: /);
    expect(res.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(readFileSync(file)).toEqual(before);
  });
});
