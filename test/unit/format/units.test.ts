import { formatBytes, formatChange, formatMs } from '../../../harness/format/units.js';

test.each([
  [0, '0 B'],
  [999, '999 B'],
  [1000, '1.00 kB'],
  [1_982_375, '1.98 MB'],
  [74_200_000, '74.2 MB'],
  [198_898_544, '199 MB'],
  [1_500_000_000, '1.50 GB'],
  [-1_050_000, '−1.05 MB'],
  [999_999, '1.00 MB'],
  [999_499, '999 kB'],
])('formatBytes(%d) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

test.each([
  [14, 'MB', '<0.01 MB'],
  [4_999, 'MB', '<0.01 MB'],
  [5_000, 'MB', '0.01 MB'],
  [-14, 'MB', '−<0.01 MB'],
  [0, 'MB', '0.00 MB'],
  [14, 'kB', '0.01 kB'],
  [4, 'kB', '<0.01 kB'],
] as const)('formatBytes(%d, %s): a value in a column\'s unit that would round to nothing is %s', (n, unit, s) => expect(formatBytes(n, unit)).toBe(s));

test.each([
  [0, '0 ms'],
  [336, '336 ms'],
  [1040, '1.04 s'],
  [12_345, '12.3 s'],
  [125_000, '2 min 5 s'],
  [119_600, '2 min 0 s'],
])('formatMs(%d) = %s', (n, s) => expect(formatMs(n)).toBe(s));

test.each([
  [83.33, '−83.3 %'],
  [-11.11, '+11.1 %'],
  [0, '±0.0 %'],
])('formatChange(%d) = %s', (n, s) => expect(formatChange(n)).toBe(s));
