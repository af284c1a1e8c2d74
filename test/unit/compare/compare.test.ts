import { compareResults, type GateRow } from '../../../harness/compare/compare.js';
import { type GateConfig, GateConfigSchema } from '../../../harness/config/gate-schema.js';
import type { Results, VariantResult } from '../../../harness/results/schema.js';
import { results, variant } from '../results-fixture.js';

const MB = 1_000_000;

/** A baseline and a current run of one scenario, variant multi, with these values. */
function pair(base: Partial<VariantResult>, now: Partial<VariantResult>, edit: (b: Results, c: Results) => void = () => {}) {
  const baseline = results([variant('single', { sizeBytes: 100 * MB }), variant('multi', base)]);
  const current = results([variant('single', { sizeBytes: 100 * MB }), variant('multi', now)]);
  edit(baseline, current);
  return { baseline, current };
}

const gateOf = (config: unknown): GateConfig => GateConfigSchema.parse(config);

function row(base: Partial<VariantResult>, now: Partial<VariantResult>, metric: GateRow['metric'], config: unknown = {}, edit?: (b: Results, c: Results) => void): GateRow {
  const { baseline, current } = pair(base, now, edit);
  const found = compareResults(baseline, current, gateOf(config)).rows.find((r) => r.variant === 'multi' && r.metric === metric);
  if (!found) throw new Error(`no ${metric} row`);
  return found;
}

describe('relative growth: both the percentage and the minimum must be exceeded (defaults: +2 % and +1 MB)', () => {
  test.each([
    ['+10 MB on 80 MB: both exceeded', 80 * MB, 90 * MB, 'fail'],
    ['+1.5 MB on 200 MB: over 1 MB but under 2 %', 200 * MB, 201.5 * MB, 'pass'],
    ['+0.9 MB on 10 MB: over 2 % but under 1 MB', 10 * MB, 10.9 * MB, 'pass'],
    ['exactly +2 % and over 1 MB: not exceeded', 100 * MB, 102 * MB, 'pass'],
    ['one byte over +2 %', 100 * MB, 102 * MB + 1, 'fail'],
    ['exactly +1 MB and over 2 %: not exceeded', 10 * MB, 11 * MB, 'pass'],
    ['one byte over +1 MB', 10 * MB, 11 * MB + 1, 'fail'],
    ['a huge improvement never fails', 100 * MB, 1 * MB, 'pass'],
    ['unchanged', 5 * MB, 5 * MB, 'pass'],
  ])('%s', (_name, before, after, status) => {
    expect(row({ sizeBytes: before }, { sizeBytes: after }, 'size').status).toBe(status);
  });

  test.each([
    ['2.3%', 100 * MB, 102.3 * MB, 'pass'],
    ['2.3%', 100 * MB, 102.3 * MB + 1, 'fail'],
    ['4.1%', 300 * MB, 312.3 * MB, 'pass'],
    ['4.1%', 300 * MB, 312.3 * MB + 1, 'fail'],
    ['0.125%', 8 * 1_000_000_000, 8.01 * 1_000_000_000, 'pass'],
    ['0.125%', 8 * 1_000_000_000, 8.01 * 1_000_000_000 + 1, 'fail'],
  ])('decimal percentages are exact at the boundary: %s from %d to %d is %s', (percent, before, after, status) => {
    expect(row({ sizeBytes: before }, { sizeBytes: after }, 'size', { growth: { size: { percent } } }).status).toBe(status);
  });

  test('the row carries the exact numbers and the rule it was held to', () => {
    expect(row({ sizeBytes: 80 * MB }, { sizeBytes: 90 * MB }, 'size')).toEqual({
      scenario: 'node-app',
      variant: 'multi',
      metric: 'size',
      baseline: 80 * MB,
      current: 90 * MB,
      delta: 10 * MB,
      percent: 12.5,
      status: 'fail',
      level: 'fail',
      reason: 'grew past both +2 % and +1.00 MB',
      rule: { percent: 2, min: 1 * MB, on: 'fail' },
    });
  });

  test('an improvement says so', () => {
    expect(row({ sizeBytes: 80 * MB }, { sizeBytes: 40 * MB }, 'size')).toMatchObject({ status: 'pass', reason: 'improved', delta: -40 * MB, percent: -50 });
  });

  test('rules from the config: percent, min and severity', () => {
    const config = { growth: { size: { percent: '10%', min: '5 MB', on: 'warn' } } };
    expect(row({ sizeBytes: 80 * MB }, { sizeBytes: 88 * MB }, 'size', config).status).toBe('pass'); // +10 % exactly
    expect(row({ sizeBytes: 80 * MB }, { sizeBytes: 88 * MB + 1 }, 'size', config)).toMatchObject({ status: 'warn', level: 'warn' });
    expect(row({ sizeBytes: 10 * MB }, { sizeBytes: 14 * MB }, 'size', config).status).toBe('pass'); // +40 % but only +4 MB
  });

  test('pull size has its own rule, layers warn on any added layer by default', () => {
    expect(row({ compressedBytes: 30 * MB }, { compressedBytes: 40 * MB }, 'compressed').status).toBe('fail');
    expect(row({ layerCount: 7 }, { layerCount: 8 }, 'layers')).toMatchObject({ status: 'warn', reason: 'grew, and any growth counts' });
    expect(row({ layerCount: 7 }, { layerCount: 5 }, 'layers').status).toBe('pass');
    expect(row({ layerCount: 7 }, { layerCount: 8 }, 'layers', { growth: { layers: { min: 1, on: 'fail' } } }).status).toBe('pass');
    expect(row({ layerCount: 7 }, { layerCount: 9 }, 'layers', { growth: { layers: { min: 1, on: 'fail' } } }).status).toBe('fail');
  });
});

describe('zero and tiny sizes', () => {
  test('from 0 B: the percentage is undefined and growth past the minimum fails', () => {
    expect(row({ sizeBytes: 0 }, { sizeBytes: 2 * MB }, 'size')).toMatchObject({ status: 'fail', delta: 2 * MB, baseline: 0 });
    expect(row({ sizeBytes: 0 }, { sizeBytes: 2 * MB }, 'size').percent).toBeUndefined();
    expect(row({ sizeBytes: 0 }, { sizeBytes: 1000 }, 'size').status).toBe('pass');
    expect(row({ sizeBytes: 0 }, { sizeBytes: 0 }, 'size')).toMatchObject({ status: 'pass', percent: 0, reason: 'unchanged' });
  });

  test('a tiny image doubling is noise under the minimum', () => {
    expect(row({ sizeBytes: 1000 }, { sizeBytes: 2000 }, 'size')).toMatchObject({ status: 'pass', percent: 100, reason: 'not past both +2 % and +1.00 MB' });
  });

  test('a growth that looks like the minimum when rounded is shown in exact bytes', () => {
    expect(row({ sizeBytes: 10 * MB }, { sizeBytes: 11 * MB + 400 }, 'size')).toMatchObject({ status: 'fail', reason: 'grew past both +2 % and +1,000,000 B' });
  });
});

describe('caps', () => {
  const caps = { scenarios: { 'node-app/multi': { maxSize: '150 MB', maxLayers: 8, maxCompressed: '50 MB' } } };
  test.each([
    ['equal to the cap passes', 150 * MB, 'pass'],
    ['one byte over fails', 150 * MB + 1, 'fail'],
    ['under passes', 149 * MB, 'pass'],
  ])('%s', (_name, size, status) => {
    expect(row({ sizeBytes: size }, { sizeBytes: size }, 'size', caps).status).toBe(status);
  });

  test('a size that rounds to the cap shows exact bytes', () => {
    expect(row({ sizeBytes: 150 * MB }, { sizeBytes: 150 * MB + 400 }, 'size', caps)).toMatchObject({ status: 'fail', reason: 'over the cap: 150,000,400 B > 150,000,000 B; not past both +2 % and +1.00 MB', cap: 150 * MB });
  });

  test('a cap fails even when the variant shrank, and applies to new variants', () => {
    expect(row({ sizeBytes: 200 * MB }, { sizeBytes: 160 * MB }, 'size', caps)).toMatchObject({ status: 'fail', reason: 'over the cap: 160 MB > 150 MB; improved' });
    const { baseline, current } = pair({}, { sizeBytes: 160 * MB });
    baseline.scenarios[0]!.variants.pop();
    expect(compareResults(baseline, current, gateOf(caps)).rows.find((r) => r.metric === 'size' && r.variant === 'multi')).toMatchObject({ status: 'fail', level: 'fail', reason: 'not in the baseline; over the cap: 160 MB > 150 MB' });
  });

  test('layer and pull-size caps', () => {
    expect(row({ layerCount: 9 }, { layerCount: 9 }, 'layers', caps)).toMatchObject({ status: 'fail', reason: 'over the cap: 9 > 8; unchanged' });
    expect(row({ layerCount: 8 }, { layerCount: 8 }, 'layers', caps)).toMatchObject({ status: 'pass', reason: 'unchanged; within the cap of 8' });
    expect(row({ compressedBytes: 51 * MB }, { compressedBytes: 51 * MB }, 'compressed', caps).status).toBe('fail');
  });

  test('"<scenario>/<variant>" wins over "<scenario>", which applies to every variant', () => {
    const config = { scenarios: { 'node-app': { maxSize: '50 MB' }, 'node-app/multi': { maxSize: '150 MB' } } };
    const { baseline, current } = pair({ sizeBytes: 100 * MB }, { sizeBytes: 100 * MB });
    const rows = compareResults(baseline, current, gateOf(config)).rows.filter((r) => r.metric === 'size');
    expect(rows.map((r) => [r.variant, r.status])).toEqual([
      ['single', 'fail'],
      ['multi', 'pass'],
    ]);
  });
});

describe('new, missing and failed variants', () => {
  test('new: not in the baseline; warns by default, policy from the config', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1 });
    current.scenarios[0]!.variants.push(variant('prod', { sizeBytes: 5 * MB }));
    const prod = (config: unknown) => compareResults(baseline, current, gateOf(config)).rows.filter((r) => r.variant === 'prod');
    expect(prod({})).toEqual([{ scenario: 'node-app', variant: 'prod', metric: 'size', current: 5 * MB, status: 'new', level: 'warn', reason: 'not in the baseline' }]);
    expect(prod({ new: 'pass' })[0]!.level).toBe('pass');
    expect(compareResults(baseline, current, gateOf({ new: 'fail' })).verdict).toBe('fail');
    expect(compareResults(baseline, current).verdict).toBe('warn');
  });

  test('missing: fails by default, and says how to accept it', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1 });
    current.scenarios[0]!.variants.pop();
    const report = compareResults(baseline, current);
    expect(report.verdict).toBe('fail');
    expect(report.rows.filter((r) => r.status === 'missing')).toEqual([
      { scenario: 'node-app', variant: 'multi', status: 'missing', level: 'fail', reason: 'in the baseline, but node-app has no variant multi now; if it was removed on purpose, run `stagebench baseline update`' },
    ]);
    expect(compareResults(baseline, current, gateOf({ missing: 'warn' })).verdict).toBe('warn');
  });

  test('a whole scenario gone is missing; one this run left out (--shard, --scenario) is a note', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1 });
    baseline.scenarios.push({ ...baseline.scenarios[0]!, name: 'go-app' });
    expect(compareResults(baseline, current).rows.filter((r) => r.status === 'missing').map((r) => `${r.scenario}/${r.variant}`)).toEqual(['go-app/single', 'go-app/multi']);
    current.selection = { available: ['go-app', 'node-app'], shard: { index: 2, count: 2 } };
    const report = compareResults(baseline, current);
    expect(report.rows.some((r) => r.status === 'missing')).toBe(false);
    expect(report.notes).toEqual(['not in this run (left out by --scenario or --shard), so not compared: go-app']);
    expect(report.verdict).toBe('pass');
  });

  test('a variant that failed to build is an error row, and the verdict is error', () => {
    const report = compareResults(...Object.values(pair({ sizeBytes: 1 }, { status: 'failed', error: { step: '[2/3] RUN make', message: 'exit code 2', logTail: [] } })) as [Results, Results]);
    expect(report.rows.filter((r) => r.variant === 'multi')).toEqual([{ scenario: 'node-app', variant: 'multi', status: 'error', level: 'error', reason: 'build failed at [2/3] RUN make: exit code 2' }]);
    expect(report.verdict).toBe('error');
  });

  test('a failed smoke check is an error row; its sizes are still compared', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1, smoke: { status: 'failed', check: 'GET /healthz', ms: 5, reason: 'connection refused' } });
    const rows = compareResults(baseline, current).rows.filter((r) => r.variant === 'multi');
    expect(rows.map((r) => [r.metric, r.status])).toEqual([
      [undefined, 'error'],
      ['size', 'pass'],
    ]);
  });

  test('a baseline variant that failed to build: the current values are new, and the reason says why', () => {
    const { baseline, current } = pair({ status: 'failed', error: { message: 'x', logTail: [] } }, { sizeBytes: 5 * MB });
    expect(compareResults(baseline, current).rows.find((r) => r.variant === 'multi')).toEqual({
      scenario: 'node-app',
      variant: 'multi',
      metric: 'size',
      current: 5 * MB,
      status: 'new',
      level: 'warn',
      reason: "the baseline's build of multi failed",
    });
  });

  test('a metric the baseline did not measure is a note; only its caps are checked', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1, compressedBytes: 6 * MB });
    const report = compareResults(baseline, current);
    expect(report.rows.some((r) => r.metric === 'compressed')).toBe(false);
    expect(report.notes).toContain('pull size not in the baseline, so not compared (caps still apply)');
    const capped = compareResults(baseline, current, gateOf({ scenarios: { 'node-app/multi': { maxCompressed: '5 MB' } } }));
    expect(capped.rows.find((r) => r.metric === 'compressed')).toMatchObject({ status: 'fail', reason: 'not in the baseline; over the cap: 6.00 MB > 5.00 MB' });
  });

  test('a run that stopped early: what it did not measure is an error, not "left out"', () => {
    const { baseline, current } = pair({ sizeBytes: 1 }, { sizeBytes: 1 });
    baseline.scenarios.push({ ...baseline.scenarios[0]!, name: 'go-app' });
    current.selection = { available: ['go-app', 'node-app'] };
    current.run.status = 'interrupted';
    current.scenarios[0]!.variants.pop();
    const report = compareResults(baseline, current);
    expect(report.verdict).toBe('error');
    expect(report.rows.find((r) => r.scenario === 'node-app' && r.variant === 'multi')).toEqual({ scenario: 'node-app', variant: 'multi', status: 'error', level: 'error', reason: 'not measured: the run is interrupted' });
    expect(report.rows.filter((r) => r.scenario === 'go-app')).toEqual([
      { scenario: 'go-app', variant: 'single', status: 'error', level: 'error', reason: 'not measured: the run is interrupted' },
      { scenario: 'go-app', variant: 'multi', status: 'error', level: 'error', reason: 'not measured: the run is interrupted' },
    ]);
  });

  test('a metric this run did not measure is a note, not a row', () => {
    const report = compareResults(...Object.values(pair({ sizeBytes: 1, compressedBytes: 1 }, { sizeBytes: 1 })) as [Results, Results]);
    expect(report.rows.some((r) => r.metric === 'compressed')).toBe(false);
    expect(report.notes).toContain('pull size not measured in this run, so not compared (--no-compressed)');
  });
});

describe('build time: advisory unless opted in, and then only with enough runs and a significant test', () => {
  const samples = (ms: number[]) => ms.map((buildMs) => ({ buildMs, sizeBytes: 1, warmup: false }));
  const slow = [2000, 2100, 2050, 2200, 2150];
  const fast = [1000, 1100, 1050, 1200, 1150];

  test('twice as slow: warns by default', () => {
    expect(row({ buildMs: 1000 }, { buildMs: 3000 }, 'buildTime')).toMatchObject({ status: 'warn', reason: 'grew past both +10 % and +1.00 s (build time is advisory)' });
  });

  test('opted in, but one build per side: warns and says what failing needs', () => {
    expect(row({ buildMs: 1000 }, { buildMs: 3000 }, 'buildTime', { growth: { buildTime: { on: 'fail' } } })).toMatchObject({
      status: 'warn',
      reason: 'grew past both +10 % and +1.00 s; failing needs 5 timed builds on both sides (--runs 5), there were 1 and 1',
    });
  });

  test('opted in, 5 runs each, all slower: fails with the p-value', () => {
    const r = row({ buildMs: 1100, samples: samples(fast) }, { buildMs: 2100, samples: samples(slow) }, 'buildTime', { growth: { buildTime: { on: 'fail', min: '500 ms' } } });
    expect(r).toMatchObject({ status: 'fail', p: 1 / 252 });
    expect(r.reason).toBe('grew past both +10 % and +500 ms; one-sided Mann-Whitney U p = 0.0040 < 0.05');
  });

  test('opted in, medians apart but the samples overlap: warns, not significant', () => {
    const r = row({ buildMs: 1000, samples: samples([1000, 3000, 1000.5, 3001, 999]) }, { buildMs: 3000, samples: samples([3000.5, 999.5, 3002, 1001, 3003]) }, 'buildTime', {
      growth: { buildTime: { on: 'fail' } },
    });
    expect(r.status).toBe('warn');
    expect(r.p).toBeGreaterThan(0.05);
  });

  test('warm-ups and other modes are not samples of the test', () => {
    const mixed = [...samples(fast), { buildMs: 99_999, sizeBytes: 1, warmup: true }];
    expect(row({ buildMs: 1100, samples: mixed }, { buildMs: 2100, samples: samples(slow) }, 'buildTime', { growth: { buildTime: { on: 'fail', min: '500 ms' } } }).p).toBe(1 / 252);
  });

  test('--no-cache and --mode cold are the same kind of build; other CPU counts are not compared', () => {
    const cold = pair({ buildMs: 1000 }, { buildMs: 3000 }, (b, c) => {
      b.buildCache = 'disabled';
      c.modes = ['cold', 'warm'];
    });
    expect(compareResults(cold.baseline, cold.current).rows.find((r) => r.metric === 'buildTime')?.status).toBe('warn');
    const cpus = pair({ buildMs: 1000 }, { buildMs: 3000 }, (b) => (b.engine.ncpu = 8));
    expect(compareResults(cpus.baseline, cpus.current).rows.some((r) => r.metric === 'buildTime')).toBe(false);
    expect(compareResults(cpus.baseline, cpus.current).notes).toContain('build times not compared: the baseline had 8 CPUs, this run 2');
    // A --jobs run's builds overlapped: never compared, on either side.
    const jobs = pair({ buildMs: 1000 }, { buildMs: 3000 }, (_b, c) => (c.jobs = 2));
    expect(compareResults(jobs.baseline, jobs.current).rows.some((r) => r.metric === 'buildTime')).toBe(false);
    expect(compareResults(jobs.baseline, jobs.current).notes).toContain('build times not compared: this run built 2 variants at once (--jobs), so its build times overlap');
  });

  test('builds of another kind (cache, mode) are not compared', () => {
    const { baseline, current } = pair({ buildMs: 1000 }, { buildMs: 9000 }, (b) => (b.buildCache = 'disabled'));
    const report = compareResults(baseline, current);
    expect(report.rows.some((r) => r.metric === 'buildTime')).toBe(false);
    expect(report.notes).toContain('build times not compared: the baseline has cold builds, this run has builds with the layer cache');
  });
});

test('the verdict is the worst level: error > fail > warn > pass', () => {
  const { baseline, current } = pair({ sizeBytes: 80 * MB, layerCount: 3 }, { sizeBytes: 90 * MB, layerCount: 4 });
  expect(compareResults(baseline, current).verdict).toBe('fail');
  const warnOnly = pair({ sizeBytes: 80 * MB, layerCount: 3 }, { sizeBytes: 80 * MB, layerCount: 4 });
  expect(compareResults(warnOnly.baseline, warnOnly.current).verdict).toBe('warn');
  const same = pair({ sizeBytes: 80 * MB }, { sizeBytes: 80 * MB });
  expect(compareResults(same.baseline, same.current).verdict).toBe('pass');
});

describe('contains findings', () => {
  const found = (present: boolean) => ({ 'TypeScript compiler': { present, paths: present ? ['/app/node_modules/typescript'] : [] } });
  const pair = (before: boolean | undefined, now: boolean) => [
    results([variant('single', { sizeBytes: 100 }), variant('multi', { sizeBytes: 50, ...(before === undefined ? {} : { contains: found(before) }) })]),
    results([variant('single', { sizeBytes: 100 }), variant('multi', { sizeBytes: 50, contains: found(now) })]),
  ] as const;

  test('present now and absent in the baseline: a warning row by default', () => {
    const report = compareResults(...pair(false, true));
    const row = report.rows.find((r) => r.finding);
    expect(row).toEqual({ scenario: 'node-app', variant: 'multi', finding: { name: 'TypeScript compiler', paths: ['/app/node_modules/typescript'] }, status: 'warn', level: 'warn', reason: 'now ships TypeScript compiler (/app/node_modules/typescript), absent in the baseline' });
    expect(report.verdict).toBe('warn');
  });

  test('gate.contains: "fail" makes it fail; "pass" lets it pass', () => {
    expect(compareResults(...pair(false, true), { contains: 'fail' }).verdict).toBe('fail');
    expect(compareResults(...pair(false, true), { contains: 'pass' }).verdict).toBe('pass');
  });

  test('no row when it shipped already, when it is gone, or when the baseline did not look for it', () => {
    for (const [before, now] of [[true, true], [true, false], [undefined, true]] as const) expect(compareResults(...pair(before, now)).rows.filter((r) => r.finding)).toEqual([]);
  });

  test('the gate schema takes contains, and nothing but pass, warn or fail', () => {
    expect(GateConfigSchema.parse({ contains: 'fail' })).toEqual({ contains: 'fail' });
    expect(GateConfigSchema.safeParse({ contains: 'error' }).success).toBe(false);
  });
});
