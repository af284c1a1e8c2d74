/** Pure statistics over timed samples (milliseconds). */

export interface Summary {
  n: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one sample. */
  stddev: number;
  min: number;
  max: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
  /** Indices of samples whose modified z-score 0.6745·|x − median| / MAD exceeds 3.5 (Iglewicz and Hoaglin). */
  outliers: number[];
}

/** Samples this spread are reported as not to be trusted: MAD above this share of the median. */
export const WIDE_SPREAD = 0.1;
const OUTLIER_Z = 3.5;

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(values: number[]): Summary {
  const n = values.length;
  const med = median(values);
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const stddev = n > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const mad = median(values.map((x) => Math.abs(x - med)));
  // With MAD 0 most samples are equal: any that differs is an outlier.
  const outliers = values.flatMap((x, i) => ((mad === 0 ? x !== med : (0.6745 * Math.abs(x - med)) / mad > OUTLIER_Z) ? [i] : []));
  return { n, median: med, mean, stddev, min: Math.min(...values), max: Math.max(...values), mad, outliers };
}

/** A warning when the spread is too wide to trust the median, else undefined. */
export function spreadWarning(s: Summary): string | undefined {
  if (s.n < 2 || s.median === 0 || s.mad / s.median <= WIDE_SPREAD) return undefined;
  return `spread too wide to trust: MAD is ${Math.round((s.mad / s.median) * 100)} % of the median (more runs, or a quieter machine)`;
}
