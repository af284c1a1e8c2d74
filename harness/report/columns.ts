import { builderLabel, engineName, storeName } from '../engine/engine-kind.js';
import type { Comparison, Results, VariantResult } from '../results/schema.js';
import { referenceOf } from '../results/summarize.js';
import { byteUnitFor, formatBytes, formatChange, formatMs, type TimeUnit, timeUnitFor } from '../format/units.js';

export interface Row {
  scenario: string;
  variant: VariantResult;
  comparison?: Comparison;
  /** The id of the scenario's reference variant, the one its comparisons are against. */
  reference: string;
}

/** One column of a table, for every format that renders it: results rows, or the gate's rows. */
export interface Column<R = Row> {
  header: string;
  /** Shown after the header (e.g. "(n=3)"), never where a column is only named ("Not shown at …"). */
  headerNote?: string;
  align: 'left' | 'right';
  value(row: R): string;
  /**
   * Terminal only: a cell longer than `max` becomes numbered footnote references, one per part (`parts`, by
   * default the whole cell), listed under the table.
   */
  fold?: {
    max: number;
    parts?(row: R): string[];
    /** At this step of the `drop` order, every folding cell wider than its header becomes a footnote (else only as the last resort). */
    all?: number;
  };
  /** Terminal only: when the table is too wide, columns are left out in this order (1 first); never if unset. */
  drop?: number;
  /**
   * Terminal only: a shorter form of the cells, for a table still too wide; it takes their place at step `drop`
   * of the same order columns are left out in, so a column that matters more can stay.
   */
  compact?: { drop: number; value(row: R): string };
  /** Terminal only: a free-text column (a path, a command) whose cells are cut with … to what is left of the width. */
  shrink?: boolean;
}

const dash = '—';

export function statusOf(v: VariantResult): string {
  // Stopped before it was measured (Ctrl-C, the engine went away): its build may well have succeeded.
  if (v.notMeasured) return 'not measured';
  if (v.status === 'failed') return 'build failed';
  if (v.smoke?.status === 'failed') return 'smoke failed';
  return 'ok';
}

/**
 * Where the compact forms come in the order columns give way on a narrow terminal: after the other columns
 * (final base 1, layers 2, adds to base 3) are gone and before build time (4), so Size, the comparison, Pull and
 * Build time stay. Build time's unit said once loses nothing, so it goes first.
 */
const COMPACT_BUILD_TIME = 3.5;
const COMPACT_VS_REFERENCE = 3.6;

/** The longest reference id the comparison column is headed with ("vs production"); a longer one is "vs ref.". */
const HEADER_ID_MAX = 10;

/**
 * How the comparison column says what its rows are compared with; the one place this is decided. When every
 * scenario that has comparisons in the table has the same reference, it is named ("vs single", "vs default"),
 * its own rows showing — as before. Otherwise (different references, or one too long for a narrow column)
 * "vs ref.", and each scenario's reference row says "ref." there, so every row reads true.
 */
export function comparisonHeading(rows: Row[]): { header: string; marksReference: boolean } {
  const compared = new Set(rows.filter((r) => r.comparison).map((r) => r.scenario));
  const references = [...new Set(rows.filter((r) => compared.has(r.scenario)).map((r) => r.reference))];
  const [only] = references;
  if (references.length === 1 && only !== undefined && only.length <= HEADER_ID_MAX) return { header: `vs ${only}`, marksReference: false };
  return { header: 'vs ref.', marksReference: true };
}

/**
 * The one column spec every table format renders. Sizes share one unit per column (the Size column's also
 * serves the comparison with the reference), build times too, so a column reads at a glance.
 */
export function runColumns(rows: Row[]): Column[] {
  // A statistics column whose rows all have the same n says it once, in its header, not in every cell.
  const buildN = sharedN(rows.map((r) => (r.variant.modeStats ? undefined : r.variant.buildStats?.n)));
  const startN = sharedN(rows.map((r) => r.variant.startStats?.n));
  const deployN = sharedN(rows.map((r) => r.variant.deploy?.deployStats?.n));
  const size = byteUnitFor(rows.flatMap((r) => [r.variant.sizeBytes, r.comparison?.bytesSaved]));
  const pull = byteUnitFor(rows.map((r) => r.variant.compressedBytes));
  const added = byteUnitFor(rows.map((r) => r.variant.addedBytes));
  const time = timeUnitFor(rows.flatMap((r) => [r.variant.buildMs, ...Object.values(r.variant.modeStats ?? {}).flatMap((s) => [s.median, s.mad]), r.variant.buildStats?.mad]));
  const bytes = (n: number | undefined, unit: typeof size) => (n === undefined ? dash : formatBytes(n, unit));
  const start = timeUnitFor(rows.flatMap((r) => [r.variant.startMs, r.variant.startStats?.mad]));
  const wasted = byteUnitFor(rows.map((r) => r.variant.wastedBytes));
  const deployTime = timeUnitFor(rows.flatMap((r) => [r.variant.deploy?.deployMs, r.variant.deploy?.deployStats?.mad]));
  const deployBytes = byteUnitFor(rows.map((r) => r.variant.deploy?.withBaseBytes));
  const downloadTime = timeUnitFor(rows.map((r) => r.variant.deploy?.downloadMs?.withBase));
  const heading = comparisonHeading(rows);
  const compared = new Set(rows.filter((r) => r.comparison).map((r) => r.scenario));
  // A row with no comparison: the reference itself (marked when the header does not name it), or one not compared.
  const uncompared = (r: Row) => (heading.marksReference && r.variant.id === r.reference && compared.has(r.scenario) ? 'ref.' : dash);
  // Columns of newer measurements appear only when some row has them (older results, --no-files).
  const files: Column[] = [
    ...(rows.some((r) => r.variant.wastedBytes !== undefined)
      ? [{ header: 'Wasted', align: 'right' as const, value: (r: Row) => (r.variant.wastedBytes === undefined ? dash : `${formatBytes(r.variant.wastedBytes, wasted)} (${formatEfficiency(r.variant.efficiency ?? 1)})`), drop: 0.2 }]
      : []),
    ...(rows.some((r) => r.variant.startMs !== undefined) ? [{ ...withN('Start-up', startN), align: 'right' as const, value: (r: Row) => startTime(r, start, startN), drop: 0.3 }] : []),
    // --deploy: pull + start after a push (median ± MAD), and what a host with the base downloads (exact), at --bandwidth.
    ...(rows.some((r) => r.variant.deploy !== undefined)
      ? [
          { ...withN('Deploy', deployN), align: 'right' as const, value: (r: Row) => deployTimeOf(r, deployTime, deployN), drop: 0.25 },
          { header: 'Download (has base)', align: 'right' as const, value: (r: Row) => downloadOf(r, deployBytes, downloadTime), drop: 0.15 },
        ]
      : []),
    ...(rows.some((r) => r.variant.packages !== undefined) ? [{ header: 'Packages', align: 'left' as const, value: packageCounts, drop: 0.1 }] : []),
  ];
  return [
    { header: 'Scenario', align: 'left', value: (r) => r.scenario },
    { header: 'Variant', align: 'left', value: (r) => r.variant.id },
    { header: 'Status', align: 'left', value: (r) => statusOf(r.variant) },
    { header: 'Size', align: 'right', value: (r) => bytes(r.variant.sizeBytes, size) },
    // Only where some scenario has a reference that built and something to compare with it: one-image scenarios (init's for a lone Dockerfile) have none.
    ...(rows.some((r) => r.comparison)
      ? [
          {
            header: heading.header,
            align: 'right' as const,
            value: (r: Row) => (r.comparison ? `${formatChange(r.comparison.percentSaved)} (${r.comparison.bytesSaved < 0 ? '+' : ''}${formatBytes(-r.comparison.bytesSaved, size)})` : uncompared(r)),
            drop: 6,
            // The bytes are the difference of two Size cells of the same table; the percentage stays.
            compact: { drop: COMPACT_VS_REFERENCE, value: (r: Row) => (r.comparison ? formatChange(r.comparison.percentSaved) : uncompared(r)) },
          },
        ]
      : []),
    { header: 'Pull (gzip)', align: 'right', value: (r) => bytes(r.variant.compressedBytes, pull), drop: 5 },
    { header: 'Adds to base', align: 'right', value: (r) => bytes(r.variant.addedBytes, added), drop: 3 },
    { header: 'Layers', align: 'right', value: (r) => (r.variant.layerCount === undefined ? dash : String(r.variant.layerCount)), drop: 2 },
    ...files,
    { ...withN('Build time', buildN), align: 'right', value: (r) => buildTime(r, time, buildN), drop: 4, compact: { drop: COMPACT_BUILD_TIME, value: (r) => buildTime(r, time, buildN, true) } },
    { header: 'Final base', align: 'left', value: (r) => r.variant.baseImages.join(', ') || dash, fold: { max: 10 }, drop: 1 },
    { header: 'Notes', align: 'left', value: (r) => notes(r, short).join('; '), fold: { max: 0, parts: (r) => notes(r, firstLine) } },
  ];
}

/** dive's efficiency as a percentage, never rounded up to a perfect 100 %. */
export function formatEfficiency(e: number): string {
  return `${(Math.floor(e * 1000) / 10).toFixed(1)} % eff.`;
}

/** Counts per ecosystem, e.g. "deb 112 · npm 83". */
export function packageCounts(r: Row): string {
  const p = r.variant.packages;
  if (!p) return dash;
  return Object.entries(p).map(([eco, items]) => `${eco} ${items!.length}`).join(' · ') || 'none found';
}

/** The n every row of a column shares (2 or more), or undefined when they differ or have none. */
function sharedN(ns: (number | undefined)[]): number | undefined {
  const set = new Set(ns);
  const [n] = [...set];
  return set.size === 1 && n !== undefined && n > 1 ? n : undefined;
}

/** The header as a table shows it, its note included. */
export const headerText = (c: Pick<Column<never>, 'header' | 'headerNote'>) => (c.headerNote ? `${c.header} ${c.headerNote}` : c.header);

const withN = (header: string, n: number | undefined) => ({ header, ...(n === undefined ? {} : { headerNote: `(n=${n})` }) });

/**
 * "0.91 s ± 0.29 s"; compact, the column's shared unit said once, after both numbers: "0.91 ± 0.29 s".
 * `pm` is the ± with its spacing.
 */
function medianMad(median: number, mad: number, unit: TimeUnit | undefined, compact = false, pm = ' ± '): string {
  const m = formatMs(median, unit);
  return `${compact && unit ? m.slice(0, -` ${unit}`.length) : m}${pm}${formatMs(mad, unit)}`;
}

/** Median ± MAD, with its n unless the column's header says it. */
function statsCell(stats: { median: number; mad: number; n: number }, unit: TimeUnit | undefined, headerN: number | undefined, compact = false): string {
  return `${medianMad(stats.median, stats.mad, unit, compact)}${headerN === stats.n ? '' : ` (n=${stats.n})`}`;
}

/** Container create to the first passing smoke check: median ± MAD over n starts. */
function startTime(r: Row, unit: TimeUnit | undefined, headerN: number | undefined): string {
  const { startMs, startStats } = r.variant;
  if (startMs === undefined) return dash;
  if (!startStats || startStats.n < 2) return formatMs(startMs, unit);
  return statsCell(startStats, unit, headerN);
}

/** Pull from the loopback registry + start to the first passing check: median ± MAD over n rounds. */
function deployTimeOf(r: Row, unit: TimeUnit | undefined, headerN: number | undefined): string {
  const d = r.variant.deploy;
  if (!d) return dash;
  if (!d.deployStats || d.deployStats.n < 2) return formatMs(d.deployMs, unit);
  return statsCell(d.deployStats, unit, headerN);
}

/** The compressed bytes a host holding the final base downloads, and with --bandwidth the time that takes. */
function downloadOf(r: Row, unit: ReturnType<typeof byteUnitFor>, time: TimeUnit | undefined): string {
  const d = r.variant.deploy;
  if (!d) return dash;
  return `${formatBytes(d.withBaseBytes, unit)}${d.downloadMs ? ` · ${formatMs(d.downloadMs.withBase, time)}` : ''}`;
}

/** One build: its time. Several: median ± MAD over n timed builds. */
function buildTime(r: Row, unit: TimeUnit | undefined, headerN: number | undefined, compact = false): string {
  const { buildMs, buildStats, modeStats } = r.variant;
  if (buildMs === undefined) return dash;
  const ms = (n: number) => formatMs(n, unit);
  if (modeStats) {
    const short = { cold: 'cold', warm: 'warm', incremental: 'incr.' };
    return Object.entries(modeStats).map(([mode, s]) => `${short[mode as keyof typeof short]} ${s.n > 1 ? medianMad(s.median, s.mad, unit, compact, ' ±') : ms(s.median)}`).join(' · ');
  }
  if (!buildStats || buildStats.n < 2) return ms(buildMs);
  return statsCell(buildStats, unit, headerN, compact);
}

/** The notes of a row; `cut` shortens failure messages (the full text is in the failure details and the JSON). */
function notes(r: Row, cut: (s: string) => string): string[] {
  const out: string[] = [];
  const ships = Object.entries(r.variant.contains ?? {}).filter(([, found]) => found.present).map(([name]) => name);
  if (ships.length > 0) out.push(`ships ${ships.join(', ')}`);
  if (r.comparison?.switchesBase) out.push(`other final base than ${r.reference} (confound)`);
  if (r.comparison?.afterSingleBytes !== undefined) out.push(`pulled after ${r.reference}: ${formatBytes(r.comparison.afterSingleBytes)}`);
  if (r.variant.smoke?.status === 'failed') out.push(`smoke: ${cut(r.variant.smoke.reason ?? '')}`);
  const error = r.variant.error;
  if (error) out.push(error.exitCode !== undefined ? `RUN exited ${error.exitCode}` : cut(error.message));
  return out;
}

/** First line, cut to fit a table cell; the full text is in the failure details and the JSON. */
const firstLine = (s: string) => s.split('\n')[0] ?? '';
const short = (s: string) => {
  const line = firstLine(s);
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
};

export function rowsOf(results: Results): Row[] {
  return results.scenarios.flatMap((s) =>
    s.variants.map((variant) => ({ scenario: s.name, variant, comparison: s.comparisons.find((c) => c.variant === variant.id), reference: referenceOf(s) })),
  );
}

/** A one-line description of what the numbers are, for under every table. */
export function footnote(results: Results): string {
  const e = results.engine;
  const profile = results.profile ? `, profile ${results.profile}` : '';
  return `${engineName(e)} (API ${e.apiVersion}, ${storeName(e)}, ${e.os}/${e.arch}, ${e.ncpu} CPUs), builder ${builderLabel(results)}${profile}. ` +
    `Size: ${sizeMeaning(e.imageStore)} (SI units); build time: ${buildHow(results)}, ${results.createdAt}.` +
    (results.deploy
      ? ` Deploy: pull from a loopback ${results.deploy.registry} + start to the first passing smoke check; download: compressed bytes a host with the final base fetches` +
        `${results.deploy.bandwidth ? `, and their time at ${results.deploy.bandwidth}` : ''}.`
      : '');
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
