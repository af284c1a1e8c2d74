import { DEFAULT_GROWTH, rulesFor, unknownGateKeys } from '../../../harness/compare/rules.js';
import { GateConfigSchema } from '../../../harness/config/gate-schema.js';
import { formatIssues } from '../../../harness/json-file.js';

test('human units become bytes, milliseconds and percentages', () => {
  const gate = GateConfigSchema.parse({
    growth: { size: { percent: '5%', min: '10 MB' }, buildTime: { percent: '20%', min: '2 s', on: 'fail', minRuns: 7, alpha: 0.01 } },
    scenarios: { 'go-app/scratch': { maxSize: '10 MiB', maxLayers: 2 } },
    new: 'pass',
    missing: 'warn',
  });
  expect(gate).toEqual({
    growth: { size: { percent: 5, min: 10_000_000 }, buildTime: { percent: 20, min: 2000, on: 'fail', minRuns: 7, alpha: 0.01 } },
    scenarios: { 'go-app/scratch': { maxSize: 10_485_760, maxLayers: 2 } },
    new: 'pass',
    missing: 'warn',
  });
});

test('every problem is reported at once, with where it is', () => {
  const parsed = GateConfigSchema.safeParse({
    growth: { size: { percent: 5, min: '10 parsecs' }, buildTime: { minRuns: 3 }, latency: {} },
    scenarios: { 'a/b/c': {}, go: { maxSize: 'big' } },
    new: 'ignore',
  });
  expect(parsed.success).toBe(false);
  expect(formatIssues(parsed.error!).sort()).toEqual(
    [
      'growth.size.percent: 5 is not a percentage such as "5%" or "2.5%" (a string with the % sign, at most 3 decimals)',
      'growth.size.min: "10 parsecs" is not a size such as "150 MB", "500 kB", "1.5 GiB" or a number of bytes',
      'growth.buildTime.minRuns: Too small: expected number to be >=5',
      'growth: Unrecognized key: "latency"',
      'scenarios.a/b/c: use "<scenario>" or "<scenario>/<variant>"',
      'scenarios.go.maxSize: "big" is not a size such as "150 MB", "500 kB", "1.5 GiB" or a number of bytes',
      'new: Invalid option: expected one of "pass"|"warn"|"fail"',
    ].sort(),
  );
});

test('defaults < growth < "<scenario>" < "<scenario>/<variant>", field by field', () => {
  const gate = GateConfigSchema.parse({
    growth: { size: { percent: '5%' } },
    scenarios: { app: { maxSize: '100 MB', growth: { size: { min: '3 MB' } } }, 'app/multi': { maxSize: '50 MB', growth: { size: { on: 'warn' } } } },
  });
  expect(rulesFor(gate, 'app', 'multi')).toEqual({
    growth: { ...DEFAULT_GROWTH, size: { percent: 5, min: 3_000_000, on: 'warn' } },
    tests: { buildTime: { minRuns: 5, alpha: 0.05 }, startTime: { minRuns: 5, alpha: 0.05 } },
    caps: { size: 50_000_000 },
    packages: { min: 0, on: 'warn' },
  });
  expect(rulesFor(gate, 'app', 'single').caps).toEqual({ size: 100_000_000 });
  expect(rulesFor(gate, 'other', 'single')).toEqual({ growth: { ...DEFAULT_GROWTH, size: { ...DEFAULT_GROWTH.size, percent: 5 } }, tests: { buildTime: { minRuns: 5, alpha: 0.05 }, startTime: { minRuns: 5, alpha: 0.05 } }, caps: {}, packages: { min: 0, on: 'warn' } });
  // The defaults themselves are never changed by a merge.
  expect(DEFAULT_GROWTH.size).toEqual({ percent: 2, min: 1_000_000, on: 'fail' });
});

test('keys naming no known scenario or variant are reported; names known only by folder accept any variant', () => {
  const gate = GateConfigSchema.parse({ scenarios: { 'go-app': {}, 'go-app/scratch': {}, 'go-ap/multi': {}, 'go-app/scrach': {}, 'other/anything': {} } });
  const known = new Map<string, string[] | undefined>([
    ['go-app', ['single', 'multi', 'scratch']],
    ['other', undefined],
  ]);
  expect(unknownGateKeys(gate, known)).toEqual(['go-ap/multi', 'go-app/scrach']);
});

test('new packages: "warn" is short for { on }; min and on are layered like the growth rules', () => {
  const gate = GateConfigSchema.parse({ packages: { min: 3, on: 'fail' }, scenarios: { 'node-app': { packages: 'warn' }, 'node-app/prod': { packages: { min: 0 } } } });
  expect(gate.packages).toEqual({ min: 3, on: 'fail' });
  expect(gate.scenarios!['node-app']!.packages).toEqual({ on: 'warn' });
  expect(rulesFor(gate, 'go-app', 'single').packages).toEqual({ min: 3, on: 'fail' });
  expect(rulesFor(gate, 'node-app', 'multi').packages).toEqual({ min: 3, on: 'warn' });
  expect(rulesFor(gate, 'node-app', 'prod').packages).toEqual({ min: 0, on: 'warn' });
  expect(rulesFor(GateConfigSchema.parse({}), 'go-app', 'single').packages).toEqual({ min: 0, on: 'warn' });
  const bad = GateConfigSchema.safeParse({ packages: 'ignore', scenarios: { 'node-app': { packages: { min: -1 } }, go: { packages: { max: 3 } } } });
  expect(formatIssues(bad.error!).sort()).toEqual(
    [
      'packages: use "pass", "warn", "fail" or { "min": <new packages allowed per variant>, "on": "pass" | "warn" | "fail" }',
      'scenarios.node-app.packages.min: Too small: expected number to be >=0',
      'scenarios.go.packages: Unrecognized key: "max"',
    ].sort(),
  );
});
