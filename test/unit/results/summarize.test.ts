import { compareToSingle } from '../../../harness/results/summarize.js';
import { variant } from '../results-fixture.js';

test('bytes saved and percent against single; base switch flagged', () => {
  const rows = compareToSingle([
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
  expect(compareToSingle([variant('single', { status: 'failed' }), variant('multi', { sizeBytes: 1 })])).toEqual([]);
});
