import type { Results, VariantResult } from '../results/schema.js';
import { formatBytes, formatMs } from '../format/units.js';

export type MetricKey = 'size' | 'compressed' | 'layers' | 'buildTime' | 'startTime';
/** Timed metrics: advisory, and failing only on a significant difference between enough samples. */
export type TimedKey = 'buildTime' | 'startTime';

export interface Metric {
  key: MetricKey;
  label: string;
  /** Which way is better: a change in that direction never fails, however large. */
  better: 'lower' | 'higher';
  unit: 'bytes' | 'count' | 'ms';
  /** The results field it reads, named in the report's methods. */
  field: string;
  value(v: VariantResult): number | undefined;
}

export const METRICS: Metric[] = [
  { key: 'size', label: 'size', better: 'lower', unit: 'bytes', field: 'sizeBytes', value: (v) => v.sizeBytes },
  { key: 'compressed', label: 'pull size', better: 'lower', unit: 'bytes', field: 'compressedBytes', value: (v) => v.compressedBytes },
  { key: 'layers', label: 'layers', better: 'lower', unit: 'count', field: 'layerCount', value: (v) => v.layerCount },
  { key: 'buildTime', label: 'build time', better: 'lower', unit: 'ms', field: 'buildMs', value: (v) => v.buildMs },
  { key: 'startTime', label: 'start-up time', better: 'lower', unit: 'ms', field: 'startMs', value: (v) => v.startMs },
];

/** A value in its metric's unit, as the tables show it. */
export function formatValue(metric: Metric, n: number): string {
  if (metric.unit === 'bytes') return formatBytes(n);
  if (metric.unit === 'ms') return formatMs(n);
  return String(n);
}

/**
 * A value as the tables show it, but in exact bytes when a different value it is read against (the other side,
 * a cap, a rule's minimum) would look the same rounded (in exact ms for times): "150 MB > 150 MB" helps nobody.
 */
export function shownAgainst(metric: Metric, value: number, others: (number | undefined)[]): string {
  const text = formatValue(metric, value);
  const clash = others.some((o) => o !== undefined && o !== value && formatValue(metric, o) === text);
  if (!clash) return text;
  return metric.unit === 'bytes' ? exactBytes(value) : metric.unit === 'ms' ? `${value.toLocaleString('en-US')} ms` : text;
}

export const exactBytes = (n: number) => `${n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')} B`;

/** The start-up times the statistical test compares: every timed start. */
export function startSamples(v: VariantResult): number[] {
  return v.startSamples ?? (v.startMs === undefined ? [] : [v.startMs]);
}

/** The build times the statistical test compares: the timed builds of the run's first mode. */
export function timedSamples(results: Results, v: VariantResult): number[] {
  if (!v.samples) return v.buildMs === undefined ? [] : [v.buildMs];
  const mode = results.modes?.[0];
  return v.samples.filter((s) => !s.warmup && s.mode === mode).map((s) => s.buildMs);
}
