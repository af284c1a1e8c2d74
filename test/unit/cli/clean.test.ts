import type { Labelled } from '../../../harness/engine/engine.js';
import { cleanCommand, cleanPlan, runsToClean } from '../../../harness/cli/clean.js';
import { runOfTag } from '../../../harness/measure/labels.js';
import { fakeEngine } from './fake-engine.js';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp dir with no registry folders in it. */
const emptyTemp = mkdtempSync(join(tmpdir(), 'sb-clean-'));
const temps = [emptyTemp];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const OURS = { 'org.stagebench': 'true' };
const image = (id: string, tags: string[], labels: Record<string, string> = {}): Labelled => ({ kind: 'image', id: `sha256:${id}`, labels: { ...OURS, ...labels }, tags });
const container = (id: string, run: string): Labelled => ({ kind: 'container', id, labels: { ...OURS, 'org.stagebench.run': run } });

// Run ids are 12 hex digits and the pid of the process that made them; pid 200 is alive.
const A = 'aaaaaaaaaaaa-100';
const B = 'bbbbbbbbbbbb-200';
const items = [
  // One image held by two runs' tags (a cached build keeps its id from run to run), and by a user's tag.
  image('shared', [`stagebench/app:multi-${A}`, `stagebench/app:multi-${B}`, 'myapp:latest']),
  image('a-single', [`stagebench/app:single-${A}`]),
  container('c1', B),
  // A crashed run's earlier round: no tag, no run.
  image('dangling', []),
  // Made by an older stagebench: the run label on the image, a tag with no run id.
  image('old', ['stagebench/app:multi'], { 'org.stagebench.run': 'cccccccccccc' }),
];
const alive = (pid: number) => pid === 200;

test.each([
  ['a per-run tag', `stagebench/go-app:multi-${A}`, A],
  ['a run id without a pid', 'stagebench/go-app:multi-aaaaaaaaaaaa', 'aaaaaaaaaaaa'],
  ['a variant whose name has dashes', `stagebench/x:multi-stage-${A}`, A],
  ['a tag of another repository', `myapp:multi-${A}`, undefined],
  ['a stagebench tag with no run id', 'stagebench/x:multi', undefined],
  ['a registry with a port', `localhost:5000/stagebench/x:multi-${A}`, undefined],
  ['the full name Podman lists', `docker.io/stagebench/x:multi-${A}`, A],
  ["Podman's local prefix", `localhost/stagebench/x:multi-${A}`, A],
  ['a deploy reference a killed run left', `127.0.0.1:40123/stagebench-deploy/go-app:multi-${A}`, A],
  ["a deploy round's copy", `127.0.0.1:40123/stagebench-deploy/go-app:multi-stage-${A}-d12`, A],
  ['a deploy round\'s copy of a run id without a pid', '127.0.0.1:40123/stagebench-deploy/go-app:multi-aaaaaaaaaaaa-d0', 'aaaaaaaaaaaa'],
  ['another registry\'s stagebench-deploy', `localhost:5000/stagebench-deploy/go-app:multi-${A}`, undefined],
])('the run of %s', (_name, tag, run) => {
  expect(runOfTag(tag)).toBe(run);
});

test.each([
  ['by default: every run whose process is gone; one in flight stays', { runIds: [], all: false }, { remove: [A, 'cccccccccccc'], kept: [B] }],
  ['named runs, in flight or not', { runIds: [B], all: false }, { remove: [B], kept: [] }],
  ['--all: every run', { runIds: [], all: true }, { remove: [A, B, 'cccccccccccc'], kept: [] }],
])('%s', (_name, args, expected) => {
  expect(runsToClean(items, args, alive)).toEqual(expected);
});

test("a run's tags are removed, never another's or the user's; untagged images only when no run is in flight or with --all", () => {
  expect(cleanPlan(items, [A], { runIds: [], all: false }, [B])).toEqual({ runs: [{ run: A, tags: [`stagebench/app:multi-${A}`, `stagebench/app:single-${A}`] }], dangling: [], otherTags: [] });
  expect(cleanPlan(items, [A], { runIds: [], all: false }, [])).toMatchObject({ dangling: ['sha256:dangling'], otherTags: [] });
  expect(cleanPlan(items, [B], { runIds: [B], all: false }, [])).toEqual({ runs: [{ run: B, tags: [`stagebench/app:multi-${B}`] }], dangling: [], otherTags: [] });
  expect(cleanPlan(items, [A, B], { runIds: [], all: true }, [])).toMatchObject({ dangling: ['sha256:dangling'], otherTags: ['stagebench/app:multi'] });
});

test('clean asks the engine for exactly the plan: per run its tags and run label, then the images no run names', async () => {
  const engine = { ...fakeEngine(), listLabelled: async () => items };
  const stderr: string[] = [];
  await cleanCommand({ runIds: [], all: true, engineTimeoutMs: 1000 } as never, { stderr: { write: (s: string) => stderr.push(s) }, env: { TMPDIR: emptyTemp } } as never, engine);
  expect(engine.cleanups).toEqual([
    { made: { containers: [], images: [], tags: [`stagebench/app:multi-${A}`, `stagebench/app:single-${A}`] }, before: new Set(), label: ['org.stagebench.run', A] },
    { made: { containers: [], images: [], tags: [`stagebench/app:multi-${B}`] }, before: new Set(), label: ['org.stagebench.run', B] },
    { made: { containers: [], images: [], tags: [] }, before: new Set(), label: ['org.stagebench.run', 'cccccccccccc'] },
    { made: { containers: [], images: ['sha256:old'], tags: [] }, before: new Set() },
    { made: { containers: [], images: ['sha256:dangling'], tags: ['stagebench/app:multi'] }, before: new Set(), label: ['org.stagebench', 'true'] },
  ]);
  expect(stderr.join('')).toContain('and 1 untagged stagebench image(s)');
});

test('a named run with nothing on the engine (a typo, or already clean) is said to be so, and nothing is asked of the engine', async () => {
  const engine = { ...fakeEngine(), listLabelled: async () => items };
  const stderr: string[] = [];
  const problems = await cleanCommand({ runIds: ['aaaaaaaaaaa-100'], all: false, engineTimeoutMs: 1000 } as never, { stderr: { write: (s: string) => stderr.push(s) }, env: { TMPDIR: emptyTemp } } as never, engine);
  expect(problems).toEqual([]);
  expect(engine.cleanups).toEqual([]);
  expect(stderr.join('')).toBe(
    `clean: nothing on the engine belongs to run aaaaaaaaaaa-100 (already removed, or not a run id: it is run.id in the results JSON and ends every tag \`stagebench/<scenario>:<variant>-<run id>\`); runs with images or containers here: ${A}, ${B}, cccccccccccc\n`,
  );
  // One of two named runs found: that one is cleaned and counted, the other named as absent.
  stderr.length = 0;
  await cleanCommand({ runIds: ['nope-1', A], all: false, engineTimeoutMs: 1000 } as never, { stderr: { write: (s: string) => stderr.push(s) }, env: { TMPDIR: emptyTemp } } as never, engine);
  expect(engine.cleanups.map((c) => c.label)).toEqual([['org.stagebench.run', A]]);
  expect(stderr.join('')).toMatch(/^clean: nothing on the engine belongs to run nope-1 .*\nclean: removed what 1 run\(s\) left \(aaaaaaaaaaaa-100\)\n$/);
});

test("clean removes the loopback registry folders of --deploy runs killed outright, never a live process's", async () => {
  const temp = mkdtempSync(join(tmpdir(), 'sb-clean-'));
  temps.push(temp);
  // pid 2^22 + 1 is above Linux's pid_max: no process has it.
  const dead = `stagebench-registry-${2 ** 22 + 1}-abc123`;
  const live = `stagebench-registry-${process.pid}-def456`;
  for (const name of [dead, live, 'stagebench-registry-notapid', 'something-else']) mkdirSync(join(temp, name, 'docker'), { recursive: true });
  const engine = { ...fakeEngine(), listLabelled: async () => [] };
  const stderr: string[] = [];
  await cleanCommand({ runIds: [], all: false, engineTimeoutMs: 1000 } as never, { stderr: { write: (s: string) => stderr.push(s) }, env: { TMPDIR: temp } } as never, engine);
  expect(readdirSync(temp).sort()).toEqual([live, 'something-else', 'stagebench-registry-notapid'].sort());
  expect(existsSync(join(temp, dead))).toBe(false);
  expect(stderr[0]).toBe(`clean: removed 1 loopback registry folder(s) of --deploy runs that were killed (${dead})\n`);
});
