import { parseBandwidth, parseBytes, parseDuration, parsePercent } from '../../../harness/config/quantities.js';

test.each([
  ['150 MB', 150_000_000],
  ['150MB', 150_000_000],
  ['1.5 GB', 1_500_000_000],
  ['500 kB', 500_000],
  ['500 KB', 500_000],
  ['1 MiB', 1_048_576],
  ['2 GiB', 2_147_483_648],
  ['0 B', 0],
  ['1234', 1234],
  ['0.5 B', 1],
])('parseBytes(%j) = %d', (text, n) => expect(parseBytes(text)).toBe(n));

test.each(['', 'MB', '-1 MB', '10 parsecs', '1e6', '1,5 MB', '5%'])('parseBytes(%j) is not a size', (text) => expect(parseBytes(text)).toBeUndefined());

test.each([
  ['2 s', 2000],
  ['500 ms', 500],
  ['1.5 s', 1500],
  ['2 min', 120_000],
  ['750', 750],
])('parseDuration(%j) = %d', (text, n) => expect(parseDuration(text)).toBe(n));

test.each([
  ['5%', 5],
  ['5 %', 5],
  ['0.5%', 0.5],
  ['2.125%', 2.125],
  ['0%', 0],
])('parsePercent(%j) = %d', (text, n) => expect(parsePercent(text)).toBe(n));

test.each(['5', '5 MB', '-5%', 'five %', '2.0001%'])('parsePercent(%j): the % sign is required', (text) => expect(parsePercent(text)).toBeUndefined());

test.each([
  ['100Mbit', 100_000_000],
  ['100 Mbit/s', 100_000_000],
  ['100mbit', 100_000_000],
  ['1Gbit', 1_000_000_000],
  ['1 Gbps', 1_000_000_000],
  ['50Mbps', 50_000_000],
  ['50Mb/s', 50_000_000],
  ['500kbit', 500_000],
  ['8bit', 8],
  ['12.5MB/s', 100_000_000],
  ['12.5MBps', 100_000_000],
  ['1MiB/s', 8 * 2 ** 20],
  ['1 Mibit', 2 ** 20],
  ['2.5 Gbit/s', 2_500_000_000],
])('parseBandwidth(%j) = %d bits per second', (text, bits) => expect(parseBandwidth(text)).toBe(bits));

test.each(['', '100', '100M', '100MB', '100 MB', '100MBPS', '100 mb', '0Mbit', '-1Mbit', '1e6bit', 'fast', '100 Mbit/h', '0.1bit'])('parseBandwidth(%j) is not a rate', (text) =>
  expect(parseBandwidth(text)).toBeUndefined(),
);
