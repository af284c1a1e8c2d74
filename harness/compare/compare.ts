import { downloadFor, layersOf } from '../results/download.js';
import type { Results, VariantResult } from '../results/schema.js';
import { mannWhitneyGreater } from '../stats/mann-whitney.js';
import { type Metric, type MetricKey, METRICS, shownAgainst, startSamples, type TimedKey, timedSamples } from './metrics.js';
import type { GateConfig } from '../config/gate-schema.js';
import { DEFAULT_POLICY, type GrowthRule, rulesFor, type VariantRules } from './rules.js';

export type Status = 'pass' | 'fail' | 'warn' | 'new' | 'missing' | 'error';
/** What a row does to the verdict: new and missing rows take theirs from the policy. */
export type Level = 'pass' | 'warn' | 'fail' | 'error';

export interface GateRow {
  scenario: string;
  variant: string;
  /** Absent for a row about the whole variant (missing, not measured, or its build failed) or a finding. */
  metric?: MetricKey;
  /** A `contains` finding (scenario.json) present now and absent in the baseline: what newly ships. */
  finding?: { name: string; paths: string[] };
  baseline?: number;
  current?: number;
  /** current - baseline, in the metric's unit. */
  delta?: number;
  /** delta / baseline * 100; absent when the baseline is 0 and the value grew. */
  percent?: number;
  status: Status;
  level: Level;
  /** Why the row has its status, in words, with the rule it was held to. */
  reason: string;
  /** The growth rule and the cap the row was held to, in the metric's unit. */
  rule?: GrowthRule;
  cap?: number;
  /** Build time only: the one-sided Mann-Whitney U test's p-value, when it was run. */
  p?: number;
}

/** What a host that already holds the baseline's image of a variant downloads to get the new one. */
export interface UpdateDownload {
  scenario: string;
  variant: string;
  /** Config plus the compressed layers the baseline's image lacks. */
  updateBytes: number;
  /** The full pull size (compressedBytes), for scale. */
  pullBytes: number;
  newLayers: number;
  layers: number;
}

export interface GateReport {
  verdict: Level;
  baseline: RunRef;
  current: RunRef;
  rows: GateRow[];
  /** Per variant both runs measured layer by layer: the update download (information, never a verdict). */
  updates?: UpdateDownload[];
  /** What was not compared, and why. */
  notes: string[];
  /** How each row's numbers and status were obtained. */
  methods: Record<string, string>;
}

export interface RunRef {
  createdAt: string;
  runId: string;
  commit?: string;
}

export const LEVELS: Level[] = ['pass', 'warn', 'fail', 'error'];
export const worst = (levels: Level[]): Level => levels.reduce<Level>((w, l) => (LEVELS.indexOf(l) > LEVELS.indexOf(w) ? l : w), 'pass');

export const GATE_METHODS: Record<string, string> = {
  values: `baseline and current are the two results files' ${METRICS.map((m) => `${m.field} (${m.label})`).join(', ')}; buildMs is the median of the timed builds of the run's first mode`,
  growth: 'grew past a rule when the change in the worse direction is more than rule.min and more than rule.percent % of the baseline (compared in integers)',
  cap: 'fails when current > cap, whatever the baseline',
  startTime: 'advisory like build time, by the same rule: with on: fail, it fails only with minRuns timed starts per side and a one-sided Mann-Whitney U test p < alpha',
  buildTime: 'compared only between builds of the same kind (cache or mode) and CPU count; with on: fail, it fails only with minRuns timed builds per side and a one-sided Mann-Whitney U test p < alpha',
  updateBytes:
    "compressed bytes a host holding the baseline's image of the variant downloads to get the current one: the current config plus each layer (by DiffID, each once) the baseline's image lacks, " +
    'with each layer\'s gzip -6 size as measured for compressedBytes; 0 when the image id is the baseline\'s (the host has that image). Exact from the layer digests; no estimate.',
  packages:
    'a row per variant when its image ships packages (by ecosystem and name) absent from the baseline image\'s inventory; more than gate.packages.min of them (default 0) take the level gate.packages.on (default warn), fewer pass',
  contains: 'a row for each contains finding (scenario.json) present in the current image and checked but absent in the baseline\'s; its level is gate.contains (default warn)',
};

const ref = (r: Results): RunRef => ({ createdAt: r.createdAt, runId: r.run.id, ...(r.git ? { commit: r.git.commit } : {}) });

/**
 * Compares a run with a baseline, variant by variant and metric by metric, under the gate's rules. Pure: the
 * verdict is a value; the CLI turns it into an exit code. Both documents must be schema-valid (integer bytes
 * and ms); the CLI also refuses a current run that did not complete.
 */
export function compareResults(baseline: Results, current: Results, gate: GateConfig = {}): GateReport {
  const policy = { ...DEFAULT_POLICY, ...(gate.new ? { new: gate.new } : {}), ...(gate.missing ? { missing: gate.missing } : {}), ...(gate.contains ? { contains: gate.contains } : {}) };
  const rows: GateRow[] = [];
  const updates: UpdateDownload[] = [];
  const notes = new Set<string>();
  const buildTimeComparable = comparableBuilds(baseline, current);
  if (buildTimeComparable !== true) notes.add(buildTimeComparable);

  for (const scenario of current.scenarios) {
    const base = baseline.scenarios.find((s) => s.name === scenario.name);
    for (const variant of scenario.variants) {
      const rules = rulesFor(gate, scenario.name, variant.id);
      const ctx = { scenario: scenario.name, variant: variant.id, rules, policy, notes, buildTimeComparable: buildTimeComparable === true, baseline, current };
      const before = base?.variants.find((v) => v.id === variant.id);
      rows.push(...compareVariant(ctx, before, variant));
      const update = updateDownload(scenario.name, before, variant, notes);
      if (update) updates.push(update);
    }
    for (const gone of base?.variants.filter((v) => !scenario.variants.some((c) => c.id === v.id)) ?? []) {
      rows.push(current.run.status !== 'complete' ? notMeasured(scenario.name, gone.id, current) : missingRow(scenario.name, gone.id, policy.missing, `in the baseline, but ${scenario.name} has no variant ${gone.id} now`));
    }
  }
  for (const scenario of baseline.scenarios.filter((s) => !current.scenarios.some((c) => c.name === s.name))) {
    if (current.run.status !== 'complete') {
      // A run that stopped early cannot say whether the rest is fine: that is not a pass.
      for (const v of scenario.variants) rows.push(notMeasured(scenario.name, v.id, current));
    } else if (current.selection?.available.includes(scenario.name)) {
      notes.add(`not in this run (left out by --scenario or --shard), so not compared: ${scenario.name}`);
    } else {
      for (const v of scenario.variants) rows.push(missingRow(scenario.name, v.id, policy.missing, `in the baseline, but there is no scenario ${scenario.name} now`));
    }
  }
  return { verdict: worst(rows.map((r) => r.level)), baseline: ref(baseline), current: ref(current), rows, ...(updates.length > 0 ? { updates } : {}), notes: [...notes], methods: GATE_METHODS };
}

function updateDownload(scenario: string, before: VariantResult | undefined, now: VariantResult, notes: Set<string>): UpdateDownload | undefined {
  if (before?.status !== 'ok' || now.status !== 'ok') return undefined;
  const held = layersOf(before);
  const download = held ? downloadFor(held, now) : undefined;
  if (!download || now.compressedBytes === undefined) {
    // Said only where one side could have given it: results of older versions on both sides say nothing.
    if (held) notes.add('update download not computed: this run has no per-layer pull sizes (--no-compressed)');
    else if (downloadFor([], now)) notes.add('update download not computed: the baseline lists no layer digests (made with --no-compressed and --no-files, or by an older stagebench)');
    return undefined;
  }
  // The same image (a cached rebuild keeps its id): the host already has it, config included.
  if (before.imageId !== undefined && before.imageId === now.imageId) return { scenario, variant: now.id, updateBytes: 0, pullBytes: now.compressedBytes, newLayers: 0, layers: now.rootLayers!.length };
  return { scenario, variant: now.id, updateBytes: download.bytes, pullBytes: now.compressedBytes, newLayers: download.layers, layers: now.rootLayers!.length };
}

interface VariantContext {
  scenario: string;
  variant: string;
  rules: VariantRules;
  policy: { new: Level; missing: Level; contains: Level };
  notes: Set<string>;
  buildTimeComparable: boolean;
  baseline: Results;
  current: Results;
}

const notMeasured = (scenario: string, variant: string, current: Results): GateRow => ({ scenario, variant, status: 'error', level: 'error', reason: `not measured: the run is ${current.run.status}` });

function missingRow(scenario: string, variant: string, level: Level, reason: string): GateRow {
  return { scenario, variant, status: 'missing', level, reason: `${reason}; if it was removed on purpose, run \`stagebench baseline update\`` };
}

function compareVariant(ctx: VariantContext, before: VariantResult | undefined, now: VariantResult): GateRow[] {
  const id = { scenario: ctx.scenario, variant: ctx.variant };
  if (now.status === 'failed') {
    return [{ ...id, status: 'error', level: 'error', reason: `build failed${now.error?.step ? ` at ${now.error.step}` : ''}: ${now.error?.message ?? 'see the run'}` }];
  }
  const rows: GateRow[] = [];
  if (now.smoke?.status === 'failed') rows.push({ ...id, status: 'error', level: 'error', reason: `smoke check failed: ${now.smoke.reason ?? now.smoke.check}` });
  for (const metric of METRICS) {
    const current = metric.value(now);
    const baseline = before?.status === 'ok' ? metric.value(before) : undefined;
    if (current === undefined) {
      if (baseline !== undefined) ctx.notes.add(`${metric.label} not measured in this run, so not compared${metric.key === 'compressed' ? ' (--no-compressed)' : ''}`);
      continue;
    }
    if (metric.key === 'buildTime' && baseline !== undefined && !ctx.buildTimeComparable) continue;
    const row = baseline === undefined ? unmatched(ctx, metric, current, before) : judge(ctx, metric, baseline, current, before!, now);
    if (row) rows.push({ ...id, metric: metric.key, ...row });
  }
  if (before?.status === 'ok') rows.push(...newFindings(ctx, before, now), ...newPackages(ctx, before, now));
  return rows;
}

/** What ships now that the baseline's image did not have (both checked for it): warns or fails per gate.contains. */
function newFindings(ctx: VariantContext, before: VariantResult, now: VariantResult): GateRow[] {
  return Object.entries(now.contains ?? {})
    .filter(([name, found]) => found.present && before.contains?.[name]?.present === false)
    .map(([name, found]) => ({
      scenario: ctx.scenario,
      variant: ctx.variant,
      finding: { name, paths: found.paths },
      status: ctx.policy.contains === 'fail' ? 'fail' : ctx.policy.contains === 'warn' ? 'warn' : 'pass',
      level: ctx.policy.contains,
      reason: `now ships ${name} (${found.paths.join(', ')}), absent in the baseline`,
    }));
}

/** Packages (by name) the image ships now and the baseline's did not, both inventoried: one row; more than rules.packages.min take its effect (default: any warns). */
function newPackages(ctx: VariantContext, before: VariantResult, now: VariantResult): GateRow[] {
  if (!before.packages || !now.packages) return [];
  const name = (item: string) => item.slice(0, item.lastIndexOf('@') > 0 ? item.lastIndexOf('@') : item.length);
  const had = new Set(Object.entries(before.packages).flatMap(([eco, items]) => items!.map((i) => `${eco} ${name(i)}`)));
  const added = Object.entries(now.packages).flatMap(([eco, items]) => items!.filter((i) => !had.has(`${eco} ${name(i)}`)).map((i) => `${eco} ${i}`));
  if (added.length === 0) return [];
  const { min, on } = ctx.rules.packages;
  const level = added.length > min ? on : 'pass';
  const shown = added.length > 5 ? `${added.slice(0, 5).join(', ')} and ${added.length - 5} more` : added.join(', ');
  const allowed = min === 0 ? '' : added.length > min ? `: more than the ${min} allowed` : `: within the ${min} allowed`;
  return [{
    scenario: ctx.scenario,
    variant: ctx.variant,
    finding: { name: `${added.length} new package${added.length === 1 ? '' : 's'}`, paths: added },
    status: level,
    level,
    reason: `now ships ${shown}, absent in the baseline${allowed} (stagebench packages lists them)`,
  }];
}

type Judgement = Omit<GateRow, 'scenario' | 'variant' | 'metric'>;

function capCheck(ctx: VariantContext, metric: Metric, current: number): { cap?: number; over: boolean; text?: string } {
  const cap = ctx.rules.caps[metric.key];
  if (cap === undefined) return { over: false };
  const over = current > cap;
  const text = over ? `over the cap: ${shownAgainst(metric, current, [cap])} > ${shownAgainst(metric, cap, [current])}` : `within the cap of ${shownAgainst(metric, cap, [current])}`;
  return { cap, over, text };
}

/** A value with nothing to compare it with: a new variant, one whose baseline build failed, or a metric the baseline lacks. */
function unmatched(ctx: VariantContext, metric: Metric, current: number, before: VariantResult | undefined): Judgement | undefined {
  const cap = capCheck(ctx, metric, current);
  const capped = { ...(cap.cap !== undefined ? { cap: cap.cap } : {}) };
  if (before?.status === 'ok') {
    // Only this metric is absent (e.g. a baseline made with --no-compressed): nothing new about the variant.
    ctx.notes.add(`${metric.label} not in the baseline, so not compared (caps still apply)`);
    if (cap.cap === undefined) return undefined;
    return { current, ...capped, status: cap.over ? 'fail' : 'pass', level: cap.over ? 'fail' : 'pass', reason: `not in the baseline; ${cap.text}` };
  }
  const why = before ? `the baseline's build of ${ctx.variant} failed` : 'not in the baseline';
  return { current, ...capped, status: cap.over ? 'fail' : 'new', level: cap.over ? 'fail' : ctx.policy.new, reason: [why, cap.text].filter(Boolean).join('; ') };
}

/** More than `percent` % of the baseline, exactly: percentages have at most 3 decimals, so integers (BigInt) decide. */
export function exceedsPercent(growth: number, baseline: number, percent: number): boolean {
  return BigInt(growth) * 100_000n > BigInt(Math.round(percent * 1000)) * BigInt(baseline);
}

function judge(ctx: VariantContext, metric: Metric, baseline: number, current: number, before: VariantResult, now: VariantResult): Judgement {
  const cap = capCheck(ctx, metric, current);
  const delta = current - baseline;
  const percent = baseline === 0 ? (delta === 0 ? 0 : undefined) : (delta / baseline) * 100;
  const rule = ctx.rules.growth[metric.key];
  const worse = metric.better === 'lower' ? delta : -delta;
  const grew = worse > rule.min && exceedsPercent(worse, baseline, rule.percent);
  const limit = `both +${rule.percent} % and +${shownAgainst(metric, rule.min, [Math.abs(delta)])}`;
  let status: Status = 'pass';
  let growth = worse < 0 ? 'improved' : worse === 0 ? 'unchanged' : `not past ${limit}`;
  let p: number | undefined;
  if (grew) {
    status = rule.on;
    growth = rule.percent === 0 && rule.min === 0 ? 'grew, and any growth counts' : `grew past ${limit}`;
    const timed = metric.key === 'buildTime' || metric.key === 'startTime' ? metric.key : undefined;
    if (timed && rule.on === 'warn') growth += ` (${metric.label} is advisory)`;
    if (timed && rule.on === 'fail') ({ status, reason: growth, p } = significance(ctx, timed, before, now, growth));
  }
  if (cap.over) status = 'fail';
  const reason = (cap.over ? [cap.text, growth] : [growth, cap.text]).filter(Boolean).join('; ');
  const held = { rule, ...(cap.cap !== undefined ? { cap: cap.cap } : {}), ...(p !== undefined ? { p } : {}) };
  return { baseline, current, delta, ...(percent !== undefined ? { percent } : {}), status, level: status as Level, reason, ...held };
}

/** Build time fails only when enough builds on both sides make the slow-down statistically clear. */
function significance(ctx: VariantContext, key: TimedKey, before: VariantResult, now: VariantResult, grew: string): { status: Status; reason: string; p?: number } {
  const a = key === 'buildTime' ? timedSamples(ctx.baseline, before) : startSamples(before);
  const b = key === 'buildTime' ? timedSamples(ctx.current, now) : startSamples(now);
  const { minRuns, alpha } = ctx.rules.tests[key];
  const what = key === 'buildTime' ? 'timed builds' : 'timed starts';
  if (a.length < minRuns || b.length < minRuns) {
    return { status: 'warn', reason: `${grew}; failing needs ${minRuns} ${what} on both sides (--runs ${minRuns}), there were ${a.length} and ${b.length}` };
  }
  const { p } = mannWhitneyGreater(a, b);
  const pText = `one-sided Mann-Whitney U p = ${p.toPrecision(2)}`;
  return p < alpha ? { status: 'fail', reason: `${grew}; ${pText} < ${alpha}`, p } : { status: 'warn', reason: `${grew}, but not significantly: ${pText} ≥ ${alpha}`, p };
}

/** True when the build times of the two runs measure the same thing; otherwise why not. */
function comparableBuilds(baseline: Results, current: Results): true | string {
  // --no-cache and --mode cold both build with nocache=1.
  const kind = (r: Results) => {
    const mode = r.modes?.[0] ?? (r.buildCache === 'disabled' ? 'cold' : undefined);
    return mode ? `${mode} builds` : 'builds with the layer cache';
  };
  if (kind(baseline) !== kind(current)) return `build times not compared: the baseline has ${kind(baseline)}, this run has ${kind(current)}`;
  const concurrent = [baseline, current].find((r) => (r.jobs ?? 1) > 1);
  if (concurrent) return `build times not compared: ${concurrent === baseline ? 'the baseline' : 'this run'} built ${concurrent.jobs} variants at once (--jobs), so its build times overlap`;
  if (baseline.engine.ncpu !== current.engine.ncpu) return `build times not compared: the baseline had ${baseline.engine.ncpu} CPUs, this run ${current.engine.ncpu}`;
  return true;
}
