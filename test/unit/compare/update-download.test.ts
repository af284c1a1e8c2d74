import { GateConfigSchema } from '../../../harness/config/gate-schema.js';
import { compareResults } from '../../../harness/compare/compare.js';
import { renderGateMarkdown } from '../../../harness/report/gate.js';
import { downloadFor } from '../../../harness/results/download.js';
import type { VariantResult } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

const layers = (...l: [string, number][]) => ({ rootLayers: l.map(([diffId, compressedBytes]) => ({ diffId, compressedBytes })), configBytes: 1500 });
const pulled = (v: Partial<VariantResult>) => ({ ...v, sizeBytes: 200_000_000, compressedBytes: v.configBytes! + v.rootLayers!.reduce((n, l) => n + l.compressedBytes!, 0) });

test('a host holding the old image fetches the config and exactly the layers it lacks, each once', () => {
  const wanted = variant('multi', layers(['sha256:base', 30_000_000], ['sha256:deps', 9_000_000], ['sha256:src-2', 41_234], ['sha256:src-2', 41_234]));
  expect(downloadFor(['sha256:base', 'sha256:deps', 'sha256:src-1'], wanted)).toEqual({ bytes: 1500 + 41_234, layers: 1 });
  expect(downloadFor([], wanted)).toEqual({ bytes: 1500 + 30_000_000 + 9_000_000 + 41_234, layers: 3 });
  expect(downloadFor(['sha256:base'], variant('multi', { rootLayers: [{ diffId: 'sha256:base' }], configBytes: 10 }))).toBeUndefined();
});

test('compare: the update download of each variant beside its full pull; pulling multi after single in one run', () => {
  const baseline = results([variant('single', pulled(layers(['sha256:node', 60_000_000], ['sha256:all-1', 50_000_000]))), variant('multi', pulled(layers(['sha256:node', 60_000_000], ['sha256:deps', 9_000_000], ['sha256:src-1', 40_000])))]);
  const current = results([variant('single', pulled(layers(['sha256:node', 60_000_000], ['sha256:all-2', 50_000_100]))), variant('multi', pulled(layers(['sha256:node', 60_000_000], ['sha256:deps', 9_000_000], ['sha256:src-2', 41_234])))]);
  const report = compareResults(baseline, current);
  expect(report.updates).toEqual([
    { scenario: 'node-app', variant: 'single', updateBytes: 1500 + 50_000_100, pullBytes: 1500 + 110_000_100, newLayers: 1, layers: 2 },
    { scenario: 'node-app', variant: 'multi', updateBytes: 1500 + 41_234, pullBytes: 1500 + 69_041_234, newLayers: 1, layers: 3 },
  ]);
  expect(renderGateMarkdown(report)).toContain('| node-app | multi | 42.7 kB | 69.0 MB | 0.1 % | 1 of 3 |');
  // The node layer is single's too: a host with single fetches multi's config, deps and src.
  expect(current.scenarios[0]!.comparisons[0]!.afterSingleBytes).toBe(1500 + 9_000_000 + 41_234);
});

test('the same image as the baseline (a cached rebuild keeps its id): nothing to download, not even the config', () => {
  const same = { imageId: 'sha256:1d', ...pulled(layers(['sha256:node', 60_000_000], ['sha256:app', 2_000_000])) };
  const report = compareResults(results([variant('single', same)]), results([variant('single', same)]));
  expect(report.updates).toEqual([{ scenario: 'node-app', variant: 'single', updateBytes: 0, pullBytes: 1500 + 62_000_000, newLayers: 0, layers: 2 }]);
  // Another image over the same layers (only its config changed, e.g. a label): the config is fetched.
  const relabelled = compareResults(results([variant('single', same)]), results([variant('single', { ...same, imageId: 'sha256:2e' })]));
  expect(relabelled.updates![0]!.updateBytes).toBe(1500);
});

test('a baseline without layer digests: no update download, and a note says why', () => {
  const baseline = results([variant('single', { sizeBytes: 1 })]);
  const current = results([variant('single', pulled(layers(['sha256:a', 10])))]);
  const report = compareResults(baseline, current);
  expect(report.updates).toBeUndefined();
  expect(report.notes).toContain('update download not computed: the baseline lists no layer digests (made with --no-compressed and --no-files, or by an older stagebench)');
});

test('start-up time: advisory like build time; failing needs 5 timed starts per side and a significant test', () => {
  const run = (startSamples: number[]) => results([variant('single', { sizeBytes: 1, startMs: startSamples[2]!, startSamples })]);
  const rowOf = (a: number[], b: number[], gate = {}) => compareResults(run(a), run(b), GateConfigSchema.parse(gate)).rows.find((r) => r.metric === 'startTime')!;
  const slow = rowOf([100, 101, 102, 103, 104], [300, 301, 302, 303, 304]);
  expect([slow.status, slow.reason]).toEqual(['warn', 'grew past both +10 % and +100 ms (start-up time is advisory)']);
  const failing = rowOf([100, 101, 102, 103, 104], [300, 301, 302, 303, 304], { growth: { startTime: { on: 'fail' } } });
  expect([failing.status, failing.p]).toEqual(['fail', expect.any(Number)]);
  expect(rowOf([100, 101, 102], [300, 301, 302], { growth: { startTime: { on: 'fail' } } }).reason).toContain('failing needs 5 timed starts on both sides (--runs 5), there were 3 and 3');
});

test('packages shipped now and not in the baseline: one row per variant, warn by default, fail when asked', () => {
  const base = results([variant('single', { sizeBytes: 1, packages: { npm: ['express@5.3.0', 'debug@4.3.1'] } })]);
  const now = results([variant('single', { sizeBytes: 1, packages: { npm: ['express@5.3.0', 'debug@4.3.4', 'typescript@5.9.3'] } })]);
  const row = compareResults(base, now).rows.find((r) => r.finding)!;
  expect([row.status, row.finding, row.reason]).toEqual(['warn', { name: '1 new package', paths: ['npm typescript@5.9.3'] }, 'now ships npm typescript@5.9.3, absent in the baseline (stagebench packages lists them)']);
  expect(compareResults(base, now, GateConfigSchema.parse({ packages: 'fail' })).verdict).toBe('fail');
});

test('gate.packages.min: that many new packages per variant pass, one more takes the effect', () => {
  const base = results([variant('single', { sizeBytes: 1, packages: { npm: ['express@5.3.0'], deb: ['libc6@2.36-9'] } })]);
  const now = results([variant('single', { sizeBytes: 1, packages: { npm: ['express@5.3.0', 'typescript@5.9.3', 'esbuild@0.25.9'], deb: ['libc6@2.36-9', 'git@1:2.39.5-0'] } })]);
  const rowWith = (packages: unknown) => compareResults(base, now, GateConfigSchema.parse({ packages })).rows.find((r) => r.finding)!;
  const within = rowWith({ min: 3, on: 'fail' });
  expect([within.status, within.level, within.finding!.name, within.reason]).toEqual([
    'pass',
    'pass',
    '3 new packages',
    'now ships npm typescript@5.9.3, npm esbuild@0.25.9, deb git@1:2.39.5-0, absent in the baseline: within the 3 allowed (stagebench packages lists them)',
  ]);
  const over = rowWith({ min: 2, on: 'fail' });
  expect([over.status, over.level, over.reason]).toEqual(['fail', 'fail', 'now ships npm typescript@5.9.3, npm esbuild@0.25.9, deb git@1:2.39.5-0, absent in the baseline: more than the 2 allowed (stagebench packages lists them)']);
  expect(rowWith({ min: 2 }).status).toBe('warn');
  // Per variant: a scenario's own rule wins over the top level.
  const scoped = compareResults(base, now, GateConfigSchema.parse({ packages: 'fail', scenarios: { 'node-app/single': { packages: { min: 5 } } } }));
  expect(scoped.verdict).toBe('pass');
});
