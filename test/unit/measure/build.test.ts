import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuildOutcome } from '../../../harness/engine/engine.js';
import { buildInMode, stepsOf, buildLeftovers } from '../../../harness/measure/build.js';
import { fakeEngine } from '../cli/fake-engine.js';
import { scenario } from './measure-fixtures.js';

const request = (contextDir: string) => ({ contextDir, dockerfile: 'Dockerfile', builder: 'buildkit' as const, tag: 't', labels: {}, buildArgs: {}, noCache: false });

test('cold builds without the layer cache; warm and unset build as prepared', async () => {
  const s = scenario({ Dockerfile: 'FROM x\n' });
  const engine = fakeEngine();
  for (const mode of ['cold', 'warm', undefined] as const) await buildInMode(engine, request(s.dir), s, mode, 'n');
  expect(engine.builds.map((b) => [b.contextDir, b.noCache])).toEqual([
    [s.dir, true],
    [s.dir, false],
    [s.dir, false],
  ]);
});

test('incremental builds a copy with the line appended ({nonce} replaced); the folder is untouched and the copy removed', async () => {
  const s = scenario({ Dockerfile: 'FROM x\n', 'index.html': '<p>hi</p>' }, { incremental: { file: 'index.html', line: '<!-- {nonce} -->' } });
  const seen: Record<string, string> = {};
  const engine = fakeEngine({ duringBuild: (req) => void (seen.html = readFileSync(join(req.contextDir, 'index.html'), 'utf8')) });
  const before = readdirSync(tmpdir()).filter((d) => d.startsWith('stagebench-incremental-'));
  await buildInMode(engine, request(s.dir), s, 'incremental', 'abc');
  expect(seen.html).toBe('<p>hi</p>\n<!-- abc -->\n');
  expect(engine.builds[0]!.contextDir).not.toBe(s.dir);
  expect(readFileSync(join(s.dir, 'index.html'), 'utf8')).toBe('<p>hi</p>');
  expect(readdirSync(tmpdir()).filter((d) => d.startsWith('stagebench-incremental-'))).toEqual(before);
});

test("incremental: stagebench's own output (the request's leaveOut) is not copied into the scratch copy", async () => {
  const s = scenario({ Dockerfile: 'FROM x\n', 'index.html': '<p>hi</p>', 'report.md': '' }, { incremental: { file: 'index.html', line: '<!-- {nonce} -->' } });
  for (const f of ['results/latest.json', 'results/runs/1.json', 'results-old/x']) {
    mkdirSync(dirname(join(s.dir, f)), { recursive: true });
    writeFileSync(join(s.dir, f), '{}');
  }
  let copied: string[] = [];
  const engine = fakeEngine({ duringBuild: (req) => void (copied = readdirSync(req.contextDir, { recursive: true }).map(String).sort()) });
  await buildInMode(engine, { ...request(s.dir), leaveOut: ['report.md', 'results'] }, s, 'incremental', 'abc');
  expect(copied).toEqual(['Dockerfile', 'index.html', 'results-old', 'results-old/x']);
});

const outcome = (over: Partial<BuildOutcome>): BuildOutcome => ({ auxIds: [], intermediateIds: [], containerIds: [], steps: [], warnings: [], ...over });

test('step times only where the builder gave a start and an end, never negative', () => {
  const steps = [
    { name: 'FROM x', cached: true },
    { name: 'RUN a', cached: false, startedMs: 10, completedMs: 1510.6 },
    { name: 'RUN b', cached: false, startedMs: 20, completedMs: 19 },
  ];
  expect(stepsOf(outcome({ steps }))).toEqual([
    { name: 'FROM x', cached: true },
    { name: 'RUN a', cached: false, ms: 1501 },
    { name: 'RUN b', cached: false, ms: 0 },
  ]);
});

test('what a build leaves for the run to remove by id: its step containers, stage results, intermediates and the image, each once', () => {
  const build = outcome({ imageId: 'sha256:final', auxIds: ['sha256:stage1', 'sha256:final'], intermediateIds: ['sha256:i1'], containerIds: ['c1'] });
  expect(buildLeftovers(build)).toEqual({ containers: ['c1'], images: ['sha256:stage1', 'sha256:final', 'sha256:i1'] });
  expect(buildLeftovers(outcome({ auxIds: [], intermediateIds: [], containerIds: [] }))).toEqual({ containers: [], images: [] });
});
