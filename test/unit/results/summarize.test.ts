import { compareToReference, referenceOf } from '../../../harness/results/summarize.js';
import { variant } from '../results-fixture.js';

test('bytes saved and percent against single; base switch flagged', () => {
  const rows = compareToReference([
    variant('single', { sizeBytes: 900_000_000 }),
    variant('multi', { sizeBytes: 150_000_000 }),
    variant('scratch', { sizeBytes: 5_000_000, baseImages: ['scratch'] }),
    variant('bigger', { sizeBytes: 1_000_000_000 }),
    variant('broken', { status: 'failed' }),
  ]);
  expect(rows).toEqual([
    { variant: 'multi', against: 'single', bytesSaved: 750_000_000, percentSaved: 83.33, switchesBase: false },
    { variant: 'scratch', against: 'single', bytesSaved: 895_000_000, percentSaved: 99.44, switchesBase: true },
    { variant: 'bigger', against: 'single', bytesSaved: -100_000_000, percentSaved: -11.11, switchesBase: false },
  ]);
});

test('nothing to compare when single did not build', () => {
  expect(compareToReference([variant('single', { status: 'failed' }), variant('multi', { sizeBytes: 1 })])).toEqual([]);
});

test("against the scenario's reference when it is not single: its id in every comparison, its size and bases the yardstick", () => {
  const rows = compareToReference(
    [
      variant('dev', { sizeBytes: 400_000_000, baseImages: ['node:24'] }),
      variant('default', { sizeBytes: 200_000_000 }),
      variant('prod', { sizeBytes: 100_000_000 }),
      // A variant called single is just another variant here.
      variant('single', { sizeBytes: 300_000_000 }),
    ],
    'default',
  );
  expect(rows).toEqual([
    { variant: 'dev', against: 'default', bytesSaved: -200_000_000, percentSaved: -100, switchesBase: true },
    { variant: 'prod', against: 'default', bytesSaved: 100_000_000, percentSaved: 50, switchesBase: false },
    { variant: 'single', against: 'default', bytesSaved: -100_000_000, percentSaved: -50, switchesBase: false },
  ]);
  expect(compareToReference([variant('default', { status: 'failed' }), variant('prod', { sizeBytes: 1 })], 'default')).toEqual([]);
});

test("a scenario's reference: its own field, else what its comparisons were against, else single (files written before the field)", () => {
  expect(referenceOf({ reference: 'dev', comparisons: [] })).toBe('dev');
  expect(referenceOf({ comparisons: compareToReference([variant('single', { sizeBytes: 2 }), variant('multi', { sizeBytes: 1 })]) })).toBe('single');
  expect(referenceOf({ comparisons: [] })).toBe('single');
});
