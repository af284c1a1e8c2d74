/** Human units for tables; exact integers stay in the JSON. SI units (1 MB = 1,000,000 B), as the docker CLI shows. */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;
export type ByteUnit = (typeof UNITS)[number];

/** A word that starts with a unit these formatters print after a number ("MB,", "%)", "s"): text wrapping keeps it with the number. */
const UNIT_WORD = new RegExp(`^(?:${[...UNITS, 'ms', 's', 'min', '%'].join('|')})(?![\\p{L}\\p{N}])`, 'u');
export const startsWithUnit = (word: string) => UNIT_WORD.test(word);

/** Three significant digits at most: 584, 78.9, 4.85. */
const digitsFor = (value: number) => (value >= 100 ? 0 : value >= 10 ? 1 : 2);

/** `unit`: the unit every value of a table column shares (see byteUnitFor); by default each value's own. */
export function formatBytes(bytes: number, unit?: ByteUnit): string {
  const sign = bytes < 0 ? '−' : '';
  let value = Math.abs(bytes);
  let step = 0;
  if (unit !== undefined) {
    step = UNITS.indexOf(unit);
    value /= 1000 ** step;
  } else {
    // 999,999 B is "1.00 MB", not "1000 kB": step up when rounding would reach 1000.
    while (value >= 999.5 && step < UNITS.length - 1) {
      value /= 1000;
      step++;
    }
  }
  const text = value.toFixed(step === 0 ? 0 : digitsFor(value));
  // In a column's shared unit a few bytes can round to nothing: 14 B beside 11.5 MB is not "0.00 MB".
  if (value > 0 && Number(text) === 0) return `${sign}<0.01 ${UNITS[step]}`;
  return `${sign}${text} ${UNITS[step]}`;
}

/**
 * One unit for a column of byte counts, so the eye can compare them: the largest value's own unit, one step
 * smaller while that leaves it under 10,000 and the smallest non-zero value would otherwise show as 0.00.
 */
export function byteUnitFor(values: (number | undefined)[]): ByteUnit | undefined {
  const abs = values.filter((v): v is number => v !== undefined && v !== 0).map(Math.abs);
  if (abs.length === 0) return undefined;
  const max = Math.max(...abs);
  const min = Math.min(...abs);
  let step = UNITS.indexOf(formatBytes(max).split(' ')[1] as ByteUnit);
  while (step > 0 && max / 1000 ** (step - 1) < 9999.5 && min / 1000 ** step < 0.005) step--;
  return UNITS[step];
}

export type TimeUnit = 'ms' | 's';

/** `unit`: the unit every value of a column shares (see timeUnitFor); by default each value's own. */
export function formatMs(ms: number, unit?: TimeUnit): string {
  if (unit === 'ms') return `${Math.round(ms)} ms`;
  if (unit === 's') return `${(ms / 1000).toFixed(digitsFor(ms / 1000))} s`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** Seconds for a column once any value reaches a second, else milliseconds. */
export function timeUnitFor(values: (number | undefined)[]): TimeUnit | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) return undefined;
  return Math.max(...present) >= 999.5 ? 's' : 'ms';
}

/** "-83.2 %" style change against a baseline: negative when the variant is smaller. */
export function formatChange(percentSaved: number): string {
  const change = -percentSaved;
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toFixed(1)} %`;
}
