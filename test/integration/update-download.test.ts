import { jest } from '@jest/globals';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateReport } from '../../harness/compare/compare.js';
import type { Results } from '../../harness/results/schema.js';
import { engineAnswers, FIXTURES, stagebench } from './cli-harness.js';
import { ensureFixtureBase } from './fixture-base.js';

jest.setTimeout(300_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');

(engine ? describe : describe.skip)('update download against a baseline where only a source file changed', () => {
  let dir: string;
  beforeAll(async () => {
    await ensureFixtureBase();
    dir = mkdtempSync(join(tmpdir(), 'sb-update-'));
    cpSync(join(FIXTURES, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
    writeFileSync(join(dir, 'no-rules.json'), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("is the config plus the changed layer's compressed bytes, a small share of the pull", async () => {
    const first = await stagebench(['run', '--scenarios', join(dir, 'scenarios'), '--no-smoke', '--format', 'json']);
    expect(first.code).toBe(0);
    const baseline = join(first.out, 'latest.json');
    appendFileSync(join(dir, 'scenarios/hello/index.html'), '<!-- a change in the source -->\n');
    const second = await stagebench(['run', '--scenarios', join(dir, 'scenarios'), '--no-smoke', '--format', 'json', '--baseline', baseline, '--config', join(dir, 'no-rules.json')]);
    expect([second.code, second.stderr]).toEqual([0, expect.any(String)]);
    const { results, comparison } = JSON.parse(second.stdout) as { results: Results; comparison: GateReport };
    const before = (JSON.parse(readFileSync(baseline, 'utf8')) as Results).scenarios[0]!.variants.find((v) => v.id === 'multi')!;
    const now = results.scenarios[0]!.variants.find((v) => v.id === 'multi')!;
    const update = comparison.updates!.find((u) => u.variant === 'multi')!;
    // The base layer is the same blob; the COPY --from layer is new.
    const old = new Set(before.rootLayers!.map((l) => l.diffId));
    const fresh = now.rootLayers!.filter((l) => !old.has(l.diffId));
    expect(fresh).toHaveLength(1);
    expect(update).toEqual({ scenario: 'hello', variant: 'multi', updateBytes: now.configBytes! + fresh[0]!.compressedBytes!, pullBytes: now.compressedBytes, newLayers: 1, layers: 2 });
    expect(update.updateBytes / update.pullBytes).toBeLessThan(0.05);
    // Within the run: multi after single shares the base layer.
    const single = results.scenarios[0]!.variants.find((v) => v.id === 'single')!;
    const singleLayers = new Set(single.rootLayers!.map((l) => l.diffId));
    const afterSingle = now.configBytes! + now.rootLayers!.filter((l) => !singleLayers.has(l.diffId)).reduce((n, l) => n + l.compressedBytes!, 0);
    expect(results.scenarios[0]!.comparisons.find((c) => c.variant === 'multi')!.afterSingleBytes).toBe(afterSingle);
    expect(afterSingle).toBeLessThan(now.compressedBytes!);
  });
});
