import { median, spreadWarning, summarize } from '../../../harness/stats/summary.js';

test.each([
  [[5], 5],
  [[3, 1, 2], 2],
  [[4, 1, 3, 2], 2.5],
  [[10, 10, 10, 11], 10],
])('median(%j) = %d', (values, expected) => expect(median(values)).toBe(expected));

test('median of nothing is an error', () => expect(() => median([])).toThrow('median of no values'));

test('a full summary, exact', () => {
  // median 12; deviations 2,1,0,1,18 → MAD 1; z of 30 = 0.6745·18/1 = 12.1 > 3.5
  expect(summarize([10, 11, 12, 13, 30])).toEqual({ n: 5, median: 12, mean: 15.2, stddev: Math.sqrt(69.7), min: 10, max: 30, mad: 1, outliers: [4] });
});

test('one sample: no spread, no outliers', () => {
  expect(summarize([7])).toEqual({ n: 1, median: 7, mean: 7, stddev: 0, min: 7, max: 7, mad: 0, outliers: [] });
});

test('MAD 0: any sample off the median is an outlier', () => {
  expect(summarize([5, 5, 5, 9]).outliers).toEqual([3]);
});

test('the outlier threshold is a modified z-score of 3.5', () => {
  // median 100, MAD 10 (deviations 10,10,0,10,10,0 and the probe): an outlier when 0.6745·|x−100|/10 > 3.5, i.e. |x−100| > 51.89
  expect(summarize([90, 110, 100, 90, 110, 100, 151]).outliers).toEqual([]);
  expect(summarize([90, 110, 100, 90, 110, 100, 152]).outliers).toEqual([6]);
});

test('spread warning above a MAD of 10 % of the median', () => {
  expect(spreadWarning(summarize([100, 110, 90]))).toBeUndefined();
  expect(spreadWarning(summarize([100, 120, 80]))).toBe('spread too wide to trust: MAD is 20 % of the median (more runs, or a quieter machine)');
  expect(spreadWarning(summarize([100]))).toBeUndefined();
});
