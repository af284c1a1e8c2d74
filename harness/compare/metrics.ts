import type { Results, VariantResult } from '../results/schema.js';
import { formatBytes, formatMs } from '../report/units.js';

export type MetricKey = 'size' | 'compressed' | 'layers' | 'buildTime';

export interface Metric {
  key: MetricKey;
  label: string;
  /** Which way is better: a change in that direction never fails, however large. */
  better: 'lower' | 'higher';
  unit: 'bytes' | 'count' | 'ms';
  /** The field of the results it reads, named in the report's method. */
  field: string;
  value(v: VariantResult): number | undefined;
}

export const METRICS: Metric[] = [
  { key: 'size', label: 'size', better: 'lower', unit: 'bytes', field: 'sizeBytes', value: (v) => v.sizeBytes },
  { key: 'compressed', label: 'pull size', better: 'lower', unit: 'bytes', field: 'compressedBytes', value: (v) => v.compressedBytes },
  { key: 'layers', label: 'layers', better: 'lower', unit: 'count', field: 'layerCount', value: (v) => v.layerCount },
  { key: 'buildTime', label: 'build time', better: 'lower', unit: 'ms', field: 'buildMs', value: (v) => v.buildMs },
];

/** A value in its metric's unit, as the tables show it. */
export function formatValue(metric: Metric, n: number): string {
  if (metric.unit === 'bytes') return formatBytes(n);
  if (metric.unit === 'ms') return formatMs(n);
  return String(n);
}

/** The build times the statistical test compares: the timed builds of the run's first mode. */
export function timedSamples(results: Results, v: VariantResult): number[] {
  if (!v.samples) return v.buildMs === undefined ? [] : [v.buildMs];
  const mode = results.modes?.[0];
  return v.samples.filter((s) => !s.warmup && s.mode === mode).map((s) => s.buildMs);
}
