import { builderLabel, engineName, storeName } from '../engine/engine-kind.js';
import type { Comparison, Results, VariantResult } from '../results/schema.js';
import { formatBytes, formatChange, formatMs } from '../format/units.js';

export interface Row {
  scenario: string;
  variant: VariantResult;
  comparison?: Comparison;
}

/** One column of a table, for every format that renders it: results rows, or the gate's rows. */
export interface Column<R = Row> {
  header: string;
  align: 'left' | 'right';
  value(row: R): string;
}

const dash = '—';

export function statusOf(v: VariantResult): string {
  if (v.status === 'failed') return 'build failed';
  if (v.smoke?.status === 'failed') return 'smoke failed';
  return 'ok';
}

/** The one column spec every table format renders. */
export const COLUMNS: Column[] = [
  { header: 'Scenario', align: 'left', value: (r) => r.scenario },
  { header: 'Variant', align: 'left', value: (r) => r.variant.id },
  { header: 'Status', align: 'left', value: (r) => statusOf(r.variant) },
  { header: 'Size', align: 'right', value: (r) => (r.variant.sizeBytes === undefined ? dash : formatBytes(r.variant.sizeBytes)) },
  {
    header: 'vs single',
    align: 'right',
    value: (r) => (r.comparison ? `${formatChange(r.comparison.percentSaved)} (${r.comparison.bytesSaved < 0 ? '+' : ''}${formatBytes(-r.comparison.bytesSaved)})` : dash),
  },
  { header: 'Pull (gzip)', align: 'right', value: (r) => (r.variant.compressedBytes === undefined ? dash : formatBytes(r.variant.compressedBytes)) },
  { header: 'Adds to base', align: 'right', value: (r) => (r.variant.addedBytes === undefined ? dash : formatBytes(r.variant.addedBytes)) },
  { header: 'Layers', align: 'right', value: (r) => (r.variant.layerCount === undefined ? dash : String(r.variant.layerCount)) },
  { header: 'Build time', align: 'right', value: buildTime },
  { header: 'Final base', align: 'left', value: (r) => r.variant.baseImages.join(', ') || dash },
  { header: 'Notes', align: 'left', value: notes },
];

/** One build: its time. Several: median ± MAD over n timed builds. */
function buildTime(r: Row): string {
  const { buildMs, buildStats, modeStats } = r.variant;
  if (buildMs === undefined) return dash;
  if (modeStats) {
    const short = { cold: 'cold', warm: 'warm', incremental: 'incr.' };
    return Object.entries(modeStats).map(([mode, s]) => `${short[mode as keyof typeof short]} ${formatMs(s.median)}${s.n > 1 ? ` ±${formatMs(s.mad)}` : ''}`).join(' · ');
  }
  if (!buildStats || buildStats.n < 2) return formatMs(buildMs);
  return `${formatMs(buildStats.median)} ± ${formatMs(buildStats.mad)} (n=${buildStats.n})`;
}

function notes(r: Row): string {
  const out: string[] = [];
  if (r.comparison?.switchesBase) out.push('other final base than single (confound)');
  if (r.variant.smoke?.status === 'failed') out.push(`smoke: ${short(r.variant.smoke.reason ?? '')}`);
  const error = r.variant.error;
  if (error) out.push(error.exitCode !== undefined ? `RUN exited ${error.exitCode}` : short(error.message));
  return out.join('; ');
}

/** First line, cut to fit a table cell; the full text is in the failure details and the JSON. */
const short = (s: string) => {
  const line = s.split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
};

export function rowsOf(results: Results): Row[] {
  return results.scenarios.flatMap((s) =>
    s.variants.map((variant) => ({ scenario: s.name, variant, comparison: s.comparisons.find((c) => c.variant === variant.id) })),
  );
}

/** A one-line description of what the numbers are, for under every table. */
export function footnote(results: Results): string {
  const e = results.engine;
  const profile = results.profile ? `, profile ${results.profile}` : '';
  return `${engineName(e)} (API ${e.apiVersion}, ${storeName(e)}, ${e.os}/${e.arch}, ${e.ncpu} CPUs), builder ${builderLabel(results)}${profile}. ` +
    `Size: ${sizeMeaning(e.imageStore)} (SI units); build time: ${buildHow(results)}, ${results.createdAt}.`;
}

/** What the Size column holds on each image store (methods.sizeBytes says how it is measured). */
function sizeMeaning(store: Results['engine']['imageStore']): string {
  if (store === 'containerd') return 'unpacked size, the sum of the image history (containerd store; stored content is storedContentBytes)';
  return 'uncompressed image size from the Engine';
}

function buildHow(results: Results): string {
  if (results.modes) return `median per cache mode (${results.modes.join(', ')})`;
  return results.buildCache === 'disabled' ? 'without the layer cache' : 'with the layer cache';
}
