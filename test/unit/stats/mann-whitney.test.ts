import { mannWhitneyGreater } from '../../../harness/stats/mann-whitney.js';

// Exact one-sided tail probabilities for n = m = 5 from the U distribution (C(10,5) = 252 arrangements):
// P(U >= 25 - k) for k = 0..5 is 1, 2, 4, 7, 12, 19 arrangements out of 252.
test.each([
  [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], 25, 1 / 252],
  [[1, 2, 3, 4, 6], [5, 7, 8, 9, 10], 24, 2 / 252],
  [[1, 2, 3, 5, 6], [4, 7, 8, 9, 10], 23, 4 / 252],
  [[1, 2, 3, 4, 7], [5, 6, 8, 9, 10], 23, 4 / 252],
  [[1, 2, 4, 5, 6], [3, 7, 8, 9, 10], 22, 7 / 252],
  [[1, 2, 3, 6, 7], [4, 5, 8, 9, 10], 21, 12 / 252],
  [[6, 7, 8, 9, 10], [1, 2, 3, 4, 5], 0, 1],
])('a=%j b=%j: U=%d, p=%d', (a, b, u, p) => {
  const r = mannWhitneyGreater(a, b);
  expect(r.u).toBe(u);
  expect(r.exact).toBe(true);
  expect(r.p).toBeCloseTo(p, 12);
});

test('unequal sizes: b = [4] above a = [1, 2, 3] is 1 of 4 arrangements', () => {
  expect(mannWhitneyGreater([1, 2, 3], [4])).toEqual({ u: 3, p: 0.25, exact: true });
});

test('three against three all higher is the smallest p there is: 1/20, not below 0.05', () => {
  expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6]).p).toBeCloseTo(0.05, 12);
});

test('ties: mid-ranks and the normal approximation', () => {
  const r = mannWhitneyGreater([1, 2, 2, 3, 4], [2, 5, 6, 7, 8]);
  expect(r.exact).toBe(false);
  // b's 2 beats a's 1 and ties a's two 2s (1 + 2 × 0.5); the other four beat all five.
  expect(r.u).toBe(22);
  // z = (22 - 12.5 - 0.5) / sqrt(25/12 × (11 - (3³ - 3) / 90)) = 9 / 4.7288 = 1.9032
  expect(r.p).toBeCloseTo(0.02851, 4);
});

test('all values equal: no evidence either way', () => {
  expect(mannWhitneyGreater([5, 5, 5], [5, 5, 5])).toEqual({ u: 4.5, p: 1, exact: false });
});

test('empty samples are a programming error', () => {
  expect(() => mannWhitneyGreater([], [1])).toThrow('two non-empty samples');
});
