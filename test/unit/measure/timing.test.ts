import { timingFields } from '../../../harness/measure/timing.js';

const sample = (buildMs: number, warmup = false, mode?: 'cold' | 'warm' | 'incremental') => ({ buildMs, sizeBytes: 1, warmup, ...(mode ? { mode } : {}) });

test('one build: its time, nothing more', () => {
  expect(timingFields([sample(1234)], [], [[{ name: 's', cached: false, ms: 3 }]], undefined)).toEqual({ buildMs: 1234 });
});

test('several builds: the median of the timed ones (warm-ups left out), every sample, statistics', () => {
  const samples = [sample(9000, true), sample(100), sample(300), sample(200)];
  const fields = timingFields(samples, [], [], ['kept']);
  expect(fields.buildMs).toBe(200);
  expect(fields.samples).toBe(samples);
  expect(fields.buildStats).toMatchObject({ n: 3, median: 200, min: 100, max: 300 });
  expect(fields.modeStats).toBeUndefined();
});

test('with --mode: buildMs from the first mode, statistics for each mode', () => {
  const samples = [sample(590, false, 'cold'), sample(59, false, 'warm'), sample(610, false, 'cold'), sample(61, false, 'warm')];
  const fields = timingFields(samples, ['cold', 'warm'], [], undefined);
  expect(fields.buildMs).toBe(600);
  expect(fields.modeStats?.cold).toMatchObject({ n: 2, median: 600 });
  expect(fields.modeStats?.warm).toMatchObject({ n: 2, median: 60 });
  expect(Object.keys(fields)).toEqual(['modeStats', 'buildMs', 'samples', 'buildStats']);
});

test('a wide spread adds a warning after those the build gave', () => {
  const fields = timingFields([sample(100), sample(200), sample(400)], [], [], ['from the build']);
  expect(fields.warnings?.[0]).toBe('from the build');
  expect(fields.warnings?.[1]).toBe('build time: spread too wide to trust: MAD is 50 % of the median (more runs, or a quieter machine)');
});

test('step times: the median per step over the timed builds when there were several', () => {
  const steps = (ms: number) => [{ name: 'RUN x', cached: false, ms }];
  expect(timingFields([sample(1), sample(2), sample(3)], [], [steps(10), steps(30), steps(20)], undefined).steps).toEqual(steps(20));
});
