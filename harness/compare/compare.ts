import type { Results, VariantResult } from '../results/schema.js';
import { mannWhitneyGreater } from '../stats/mann-whitney.js';
import { formatValue, type Metric, type MetricKey, METRICS, timedSamples } from './metrics.js';
import { DEFAULT_POLICY, type GateConfig, rulesFor, type VariantRules } from './rules.js';

export type Status = 'pass' | 'fail' | 'warn' | 'new' | 'missing' | 'error';
/** What a row does to the verdict: new and missing rows take theirs from the policy. */
export type Level = 'pass' | 'warn' | 'fail' | 'error';

export interface GateRow {
  scenario: string;
  variant: string;
  /** Absent for a row about the whole variant (missing, or its build failed). */
  metric?: MetricKey;
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
  /** The growth rule's minimum and the cap the row was held to, in the metric's unit. */
  min?: number;
  cap?: number;
  /** Build time only: the one-sided Mann-Whitney U test's p-value, when it was run. */
  p?: number;
}

export interface GateReport {
  verdict: Level;
  baseline: RunRef;
  current: RunRef;
  rows: GateRow[];
  /** What was not compared, and why. */
  notes: string[];
}

export interface RunRef {
  createdAt: string;
  runId: string;
  commit?: string;
}

const ORDER: Level[] = ['pass', 'warn', 'fail', 'error'];
export const worst = (levels: Level[]): Level => levels.reduce<Level>((w, l) => (ORDER.indexOf(l) > ORDER.indexOf(w) ? l : w), 'pass');

const ref = (r: Results): RunRef => ({ createdAt: r.createdAt, runId: r.run.id, ...(r.git ? { commit: r.git.commit } : {}) });

/** Formats two values so that different values never look the same: exact bytes when the rounded forms agree. */
export function distinct(metric: Metric, a: number, b: number): [string, string] {
  const fa = formatValue(metric, a);
  const fb = formatValue(metric, b);
  if (a === b || fa !== fb || metric.unit !== 'bytes') return [fa, fb];
  return [exactBytes(a), exactBytes(b)];
}
export const exactBytes = (n: number) => `${n < 0 ? '−' : ''}${Math.abs(n).toLocaleString('en-US')} B`;

/**
 * Compares a run with a baseline, variant by variant and metric by metric, under the gate's rules. Pure: the
 * verdict is a value; the CLI turns it into an exit code.
 */
export function compareResults(baseline: Results, current: Results, gate: GateConfig = {}): GateReport {
  const policy = { ...DEFAULT_POLICY, ...(gate.new ? { new: gate.new } : {}), ...(gate.missing ? { missing: gate.missing } : {}) };
  const rows: GateRow[] = [];
  const notes = new Set<string>();
  const buildTimeComparable = comparableBuilds(baseline, current);
  if (buildTimeComparable !== true) notes.add(buildTimeComparable);

  for (const scenario of current.scenarios) {
    const base = baseline.scenarios.find((s) => s.name === scenario.name);
    for (const variant of scenario.variants) {
      const before = base?.variants.find((v) => v.id === variant.id);
      const rules = rulesFor(gate, scenario.name, variant.id);
      const ctx = { scenario: scenario.name, variant: variant.id, rules, policy, notes, buildTimeComparable: buildTimeComparable === true, baseline, current };
      rows.push(...compareVariant(ctx, before, variant));
    }
    for (const gone of base?.variants.filter((v) => !scenario.variants.some((c) => c.id === v.id)) ?? []) {
      rows.push(missingRow(scenario.name, gone.id, policy.missing, `in the baseline, but ${scenario.name} has no variant ${gone.id} now`));
    }
  }
  for (const scenario of baseline.scenarios.filter((s) => !current.scenarios.some((c) => c.name === s.name))) {
    if (current.selection?.available.includes(scenario.name)) {
      notes.add(`not in this run (left out by --scenario or --shard), so not compared: ${scenario.name}`);
      continue;
    }
    for (const v of scenario.variants) rows.push(missingRow(scenario.name, v.id, policy.missing, `in the baseline, but there is no scenario ${scenario.name} now`));
  }
  return { verdict: worst(rows.map((r) => r.level)), baseline: ref(baseline), current: ref(current), rows, notes: [...notes] };
}

interface VariantContext {
  scenario: string;
  variant: string;
  rules: VariantRules;
  policy: { new: Level; missing: Level };
  notes: Set<string>;
  buildTimeComparable: boolean;
  baseline: Results;
  current: Results;
}

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
  const usable = before?.status === 'ok' ? before : undefined;
  for (const metric of METRICS) {
    const current = metric.value(now);
    const baseline = usable ? metric.value(usable) : undefined;
    if (current === undefined) {
      if (baseline !== undefined) ctx.notes.add(`${metric.label} not measured in this run, so not compared${metric.key === 'compressed' ? ' (--no-compressed)' : ''}`);
      continue;
    }
    if (metric.key === 'buildTime' && baseline !== undefined && !ctx.buildTimeComparable) continue;
    rows.push({ ...id, metric: metric.key, ...judge(ctx, metric, baseline, current, before, now) });
  }
  return rows;
}

type Judgement = Omit<GateRow, 'scenario' | 'variant' | 'metric'>;

function judge(ctx: VariantContext, metric: Metric, baseline: number | undefined, current: number, before: VariantResult | undefined, now: VariantResult): Judgement {
  const cap = ctx.rules.caps[metric.key];
  const overCap = cap !== undefined && current > cap;
  const capText = cap === undefined ? undefined : overCap ? `over the cap: ${distinct(metric, current, cap).join(' > ')}` : `within the cap of ${distinct(metric, current, cap)[1]}`;
  if (baseline === undefined) {
    const why = before ? `the baseline's build of ${ctx.variant} failed` : 'not in the baseline';
    return { current, ...(cap !== undefined ? { cap } : {}), status: overCap ? 'fail' : 'new', level: overCap ? 'fail' : ctx.policy.new, reason: [why, capText].filter(Boolean).join('; ') };
  }
  const delta = current - baseline;
  const percent = baseline === 0 ? (delta === 0 ? 0 : undefined) : (delta / baseline) * 100;
  const rule = ctx.rules.growth[metric.key];
  const worse = metric.better === 'lower' ? delta : -delta;
  // Both must be exceeded; compared without dividing, so that exact boundaries stay exact.
  const grew = worse > rule.min && worse * 100 > rule.percent * baseline;
  const limit = `both +${rule.percent} % and +${distinct(metric, Math.abs(delta), rule.min)[1]}`;
  let status: Status = 'pass';
  let growth = worse < 0 ? 'improved' : worse === 0 ? 'unchanged' : `not past ${limit}`;
  let p: number | undefined;
  if (grew) {
    status = rule.on;
    growth = rule.percent === 0 && rule.min === 0 ? 'grew, and any growth counts' : `grew past ${limit}`;
    if (metric.key === 'buildTime' && rule.on === 'warn') growth += ' (build time is advisory)';
    if (metric.key === 'buildTime' && rule.on === 'fail') ({ status, reason: growth, p } = significance(ctx, before!, now, growth));
  }
  if (overCap) status = 'fail';
  const reason = (overCap ? [capText, growth] : [growth, capText]).filter(Boolean).join('; ');
  const held = { min: rule.min, ...(cap !== undefined ? { cap } : {}), ...(p !== undefined ? { p } : {}) };
  return { baseline, current, delta, ...(percent !== undefined ? { percent } : {}), status, level: status as Level, reason, ...held };
}

/** Build time fails only when enough builds on both sides make the slow-down statistically clear. */
function significance(ctx: VariantContext, before: VariantResult, now: VariantResult, grew: string): { status: Status; reason: string; p?: number } {
  const a = timedSamples(ctx.baseline, before);
  const b = timedSamples(ctx.current, now);
  const { minRuns, alpha } = ctx.rules.buildTime;
  if (a.length < minRuns || b.length < minRuns) {
    return { status: 'warn', reason: `${grew}; failing needs ${minRuns} timed builds on both sides (--runs ${minRuns}), there were ${a.length} and ${b.length}` };
  }
  const { p } = mannWhitneyGreater(a, b);
  const pText = `one-sided Mann-Whitney U p = ${p.toPrecision(2)}`;
  return p < alpha ? { status: 'fail', reason: `${grew}; ${pText} < ${alpha}`, p } : { status: 'warn', reason: `${grew}, but not significantly: ${pText} ≥ ${alpha}`, p };
}

/** True when build times of the two runs measure the same thing; otherwise why not. */
function comparableBuilds(baseline: Results, current: Results): true | string {
  const how = (r: Results) => (r.modes ? `${r.modes[0]} builds` : r.buildCache === 'disabled' ? 'builds without the layer cache' : 'builds with the layer cache');
  return how(baseline) === how(current) ? true : `build times not compared: the baseline has ${how(baseline)}, this run ${how(current)}`;
}

