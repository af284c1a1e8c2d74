import { ConfigError } from '../errors.js';
import { engineDifferences } from './comparable.js';
import type { Results } from './schema.js';

export interface NamedResults {
  file: string;
  results: Results;
}

/** Settings that change what the numbers mean, beyond the engine: one merged file has one of each. */
const SETTINGS: [string, (r: Results) => unknown][] = [
  ['CPUs', (r) => r.engine.ncpu],
  ['layer cache', (r) => r.buildCache],
  ['modes', (r) => r.modes?.join(',') ?? 'none'],
  ['profile', (r) => r.profile ?? 'none'],
  // Deploy figures of one table come from runs that all had --deploy, at one --bandwidth (downloadMs's rate).
  ['--deploy', (r) => (r.deploy ? `on${r.deploy.bandwidth ? ` at ${r.deploy.bandwidth}` : ''}` : 'off')],
  ['commit', (r) => (r.git ? `${r.git.commit}${r.git.dirty ? ' (dirty)' : ''}` : 'none')],
];

const STATUS_ORDER: Results['run']['status'][] = ['complete', 'running', 'interrupted', 'error'];

/**
 * One results document from several runs of disjoint scenarios (shards, or hosts of one kind). Refuses, with
 * every reason at once, inputs whose numbers do not belong in one table.
 */
export function mergeResults(inputs: NamedResults[]): Results {
  if (inputs.length < 2) throw new ConfigError('merge needs at least two results files', 'pass them all: stagebench merge a.json b.json …');
  const [first, ...rest] = inputs as [NamedResults, ...NamedResults[]];
  const problems: string[] = [];
  for (const other of rest) {
    for (const d of engineDifferences(first.results, other.results, { exactVersion: true })) problems.push(`${first.file} and ${other.file} differ in ${d}`);
    for (const [what, get] of SETTINGS) {
      if (get(first.results) !== get(other.results)) problems.push(`${first.file} and ${other.file} differ in ${what}: ${String(get(first.results))} ≠ ${String(get(other.results))}`);
    }
  }
  const owner = new Map<string, string>();
  for (const { file, results } of inputs) {
    for (const s of results.scenarios) {
      const seen = owner.get(s.name);
      if (seen) problems.push(`scenario ${s.name} is in both ${seen} and ${file}`);
      owner.set(s.name, file);
    }
  }
  problems.push(...shardProblems(inputs));
  if (problems.length > 0) {
    throw new ConfigError(`cannot merge these results:\n${problems.map((p) => `  - ${p}`).join('\n')}`, 'merge only runs of one commit on the same kind of engine, each with other scenarios (e.g. the --shard i/n jobs of one CI run)');
  }
  const all = inputs.map((i) => i.results);
  const available = [...new Set(all.flatMap((r) => r.selection?.available ?? r.scenarios.map((s) => s.name)))].sort();
  const status = all.map((r) => r.run.status).reduce((w, s) => (STATUS_ORDER.indexOf(s) > STATUS_ORDER.indexOf(w) ? s : w));
  const errors = all.flatMap((r) => (r.run.error ? [r.run.error] : []));
  const finished = all.map((r) => r.run.finishedAt).filter((t): t is string => t !== undefined).sort();
  const { selection: _drop, ...base } = first.results;
  return {
    ...base,
    createdAt: all.map((r) => r.createdAt).sort()[0]!,
    run: { id: all.map((r) => r.run.id).join('+'), status, ...(finished.length === all.length ? { finishedAt: finished.at(-1)! } : {}), ...(errors.length ? { error: errors.join('; ') } : {}) },
    selection: { available },
    scenarios: all.flatMap((r) => r.scenarios).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** Sharded inputs must be the complete set 1..n of one split, each once; otherwise scenarios would be silently absent. */
function shardProblems(inputs: NamedResults[]): string[] {
  const sharded = inputs.filter((i) => i.results.selection?.shard);
  if (sharded.length === 0) return [];
  const counts = new Set(sharded.map((i) => i.results.selection!.shard!.count));
  if (counts.size > 1) return [`the inputs come from different splits: --shard …/${[...counts].join(', …/')}`];
  const count = [...counts][0]!;
  const indices = sharded.map((i) => i.results.selection!.shard!.index);
  const problems: string[] = [];
  for (let i = 1; i <= count; i++) {
    const n = indices.filter((x) => x === i).length;
    if (n === 0) problems.push(`shard ${i}/${count} is not among the inputs`);
    if (n > 1) problems.push(`shard ${i}/${count} is given ${n} times`);
  }
  return problems;
}
