import { nearest } from '../format/did-you-mean.js';
import type { GateConfig } from '../config/gate-schema.js';
import { engineDifferences, engineNotes } from '../results/comparable.js';
import { brokenVariants } from '../results/broken.js';
import type { Results } from '../results/schema.js';
import { compareResults, type GateReport } from './compare.js';
import { unknownGateKeys } from './rules.js';

/**
 * Why a baseline comparison (or a new baseline) is refused. `incomplete`: the results were not all measured
 * (an engine-side failure); the others are the user's files or config not fitting together.
 */
export interface Refusal {
  kind: 'engine-mismatch' | 'unknown-gate-keys' | 'incomplete' | 'not-a-baseline';
  message: string;
  hint: string;
}

/** What the engine check allows: the notes the report carries, or a refusal. */
export type EngineCheck = { notes: string[] } | { refusal: Refusal };

/** A baseline from another engine is refused unless allowed; allowed, it is a note in the report. */
export function checkEngine(file: string, baseline: Results, measured: Pick<Results, 'engine' | 'builder' | 'builderUsed'>, allowMismatch: boolean): EngineCheck {
  const diffs = engineDifferences(baseline, measured);
  if (diffs.length === 0) return { notes: engineNotes(baseline, measured) };
  if (!allowMismatch) {
    return {
      refusal: {
        kind: 'engine-mismatch',
        message: `the baseline ${file} was measured on another engine (${diffs.join('; ')}): its sizes are not comparable with this one's`,
        hint: 'refresh the baseline on this engine (stagebench baseline update), or pass --allow-engine-mismatch to compare anyway',
      },
    };
  }
  return { notes: [`compared across engines (--allow-engine-mismatch): ${diffs.join('; ')}`] };
}

/** Every key of gate.scenarios must name a scenario (or variant) of the baseline or this run. */
export function checkGateKeys(config: GateConfig, baseline: Results, current: { name: string; variants: { id: string }[] }[], available: string[]): Refusal | undefined {
  const named = unknownKeysNamed(config, [...baseline.scenarios, ...current], available);
  if (named.length === 0) return undefined;
  return {
    kind: 'unknown-gate-keys',
    message: `gate.scenarios names what is neither in the baseline nor in this run: ${named.join(', ')}`,
    hint: 'use "<scenario>" or "<scenario>/<variant>" with names from the results, remove the entry, or pass --config <file> with the rules for these scenarios',
  };
}

/** How to get results that are complete, for a run that stopped early: interrupted, let it finish; else what stopped it first. */
const rerun = (results: Results): string =>
  results.run.status === 'interrupted'
    ? 'run `stagebench run` again and let it finish (this one was interrupted)'
    : 'run `stagebench run` again once what stopped it is fixed (its error says what), and let it finish';

/**
 * A plain run (no baseline) only warns about a gate.scenarios key that names none of its scenarios or
 * variants: nothing is compared, but compare and `run --baseline` will refuse the same key (exit 2).
 */
export function gateKeysWarning(config: GateConfig, current: { name: string; variants: { id: string }[] }[], available: string[]): string | undefined {
  const named = unknownKeysNamed(config, current, available);
  if (named.length === 0) return undefined;
  return `gate.scenarios names no scenario or variant of this run: ${named.join(', ')}; its rule applies to nothing, and compare or run --baseline will refuse it (exit 2)`;
}

/** The unknown keys of gate.scenarios, each with the key it was likely meant to be, as an unknown config key is. */
function unknownKeysNamed(config: GateConfig, scenarios: { name: string; variants: { id: string }[] }[], available: string[]): string[] {
  // Scenarios this run leaves out (--shard, --scenario) are known by name only.
  const known = new Map<string, string[] | undefined>(available.map((name) => [name, undefined]));
  for (const s of scenarios) known.set(s.name, [...(known.get(s.name) ?? []), ...s.variants.map((v) => v.id)]);
  const keys = [...known].flatMap(([name, variants]) => [name, ...(variants ?? []).map((v) => `${name}/${v}`)]);
  return unknownGateKeys(config, known).map((k) => {
    const near = nearest(k, keys);
    return near ? `${k} (did you mean "${near}"?)` : k;
  });
}

/** Results from a run that stopped early are not compared: comparing what is there would pass what was not. */
export function checkComplete(current: Results): Refusal | undefined {
  if (current.run.status === 'complete') return undefined;
  return {
    kind: 'incomplete',
    message: `the results to compare come from a run that is ${current.run.status}${current.run.error ? ` (${current.run.error})` : ''}: not everything was measured`,
    hint: `${rerun(current)}, then compare its results`,
  };
}

/** Only a complete run of every shard, where everything built and worked, becomes the baseline: anything else would hide regressions. */
export function checkBaselineCandidate(file: string, results: Results): Refusal | undefined {
  const broken = brokenVariants(results);
  if (results.run.status !== 'complete' || broken.length > 0) {
    const why = results.run.status !== 'complete' ? `the run is ${results.run.status}` : `${broken.join(', ')} did not build or pass the smoke check`;
    const first = results.run.status !== 'complete' ? rerun(results) : 'fix what failed (its row and warnings say why) and run `stagebench run` again';
    return { kind: 'not-a-baseline', message: `${file} cannot be the baseline: ${why}`, hint: `${first}, then \`stagebench baseline update\`` };
  }
  const shard = results.selection?.shard;
  if (shard && shard.count > 1) {
    return {
      kind: 'not-a-baseline',
      message: `${file} holds only shard ${shard.index}/${shard.count}: as a baseline, the other shards' scenarios would be "new" for ever`,
      hint: 'merge the shards first (stagebench merge a.json b.json …), then make the merged file the baseline',
    };
  }
  return undefined;
}

/** The comparison, with the engine check's notes first. */
export function compareWithNotes(baseline: Results, current: Results, gate: GateConfig, notes: string[]): GateReport {
  const report = compareResults(baseline, current, gate);
  return { ...report, notes: [...notes, ...report.notes] };
}

/**
 * `stagebench compare`, decided: results that were not all measured, a baseline from another engine and
 * gate keys that name nothing are refused, in that order; otherwise the report.
 */
export function compareWithBaseline(input: { file: string; baseline: Results; current: Results; gate: GateConfig; allowMismatch: boolean }): { refusal: Refusal } | { report: GateReport } {
  const { file, baseline, current, gate } = input;
  const incomplete = checkComplete(current);
  if (incomplete) return { refusal: incomplete };
  const engine = checkEngine(file, baseline, current, input.allowMismatch);
  if ('refusal' in engine) return engine;
  const keys = checkGateKeys(gate, baseline, current.scenarios, current.selection?.available ?? []);
  if (keys) return { refusal: keys };
  return { report: compareWithNotes(baseline, current, gate, engine.notes) };
}
