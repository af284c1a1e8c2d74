import { randomBytes } from 'node:crypto';
import type { Profile } from '../config/schemas.js';
import type { LayerCache } from '../engine/compressed-size.js';
import type { Builder, Engine, EngineFacts } from '../engine/engine.js';
import { builderUsed } from '../engine/engine-kind.js';
import { errorMessage } from '../errors.js';
import { writeResults } from '../results/io.js';
import { METHODS, type Results, SCHEMA_VERSION, type VariantResult } from '../results/schema.js';
import { compareToSingle } from '../results/summarize.js';
import type { Scenario } from '../scenarios/discover.js';
import { RUN_LABEL, VariantRun } from './variant.js';

export interface Progress {
  /** A variant starts building. */
  variant(scenario: string, variant: string, index: number, total: number): void;
  /** The running build reached a step. */
  step(name: string): void;
  /** A finished variant, or a note about the run. */
  line(text: string): void;
}

export type Mode = 'cold' | 'warm' | 'incremental';

export interface BenchOptions {
  scenarios: Scenario[];
  builder: Builder;
  outDir: string;
  keepImages: boolean;
  smoke: boolean;
  noCache: boolean;
  /** Timed builds per variant, and untimed builds before them; variants are interleaved round by round. */
  runs: number;
  warmup: number;
  /** Cache modes to build every variant in, each round, in this order; empty: as configured. */
  modes: Mode[];
  /** Measure the compressed (pull) size of every image; costs a gzip of every new layer. */
  compressed: boolean;
  profile?: { name: string } & Profile;
  /** Which scenarios were asked for (recorded, so a comparison can tell left out from missing). */
  selection?: Results['selection'];
  git: Results['git'];
  toolVersion: string;
  signal: AbortSignal;
  progress: Progress;
  /** Called after every scenario with the file just written. */
  onWrite?: (file: string, results: Results) => Promise<void>;
}

/**
 * Builds every variant of every scenario, measures it, and writes the results after each scenario, so an
 * interruption or a later failure loses nothing already measured. Variant failures are values in the
 * results; an engine that stops answering or a results file that cannot be written ends the run (after
 * clean-up and a last write of what was measured).
 */
export async function runBench(engine: Engine, engineFacts: EngineFacts, opts: BenchOptions): Promise<Results> {
  const runId = randomBytes(6).toString('hex');
  const since = Date.now();
  const results: Results = {
    schemaVersion: SCHEMA_VERSION,
    createdAt: new Date(since).toISOString(),
    tool: { name: 'stagebench', version: opts.toolVersion },
    run: { id: runId, status: 'running' },
    git: opts.git,
    engine: engineFacts,
    builder: opts.builder,
    builderUsed: builderUsed(engineFacts, opts.builder),
    buildCache: opts.noCache ? 'disabled' : 'used',
    ...(opts.modes.length > 0 ? { modes: opts.modes } : {}),
    ...(opts.profile ? { profile: opts.profile.name } : {}),
    ...(opts.selection ? { selection: opts.selection } : {}),
    methods: METHODS,
    scenarios: [],
  };
  if (engineFacts.imageStore === 'containerd') {
    opts.progress.line('note: containerd image store: Size is the unpacked size from image history (its own Size, the stored content, is storedContentBytes in the JSON)');
  }
  if (engineFacts.imageStore === 'containers-storage') {
    opts.progress.line('note: Podman: unique and shared bytes are not recorded (its disk usage counts layers of buildah\'s cache images as shared); WORKDIR adds no layer');
  }
  const made = { containers: [] as string[], images: [] as string[] };
  // gzipped layer sizes by DiffID, shared by every variant of the run: base layers are compressed once.
  const layerCache: LayerCache = new Map();
  const rounds = opts.warmup + opts.runs;
  // A warm build needs a build of the same context just before it: an untimed one when warm comes first.
  const plan: { mode?: Mode; priming?: boolean }[] = opts.modes.length === 0 ? [{}] : [...(opts.modes[0] === 'warm' ? [{ priming: true }] : []), ...opts.modes.map((mode) => ({ mode }))];
  const total = opts.scenarios.reduce((n, s) => n + s.variants.length, 0) * rounds * plan.length;
  let index = 0;
  let fatal: unknown;
  try {
    for (const scenario of opts.scenarios) {
      if (opts.signal.aborted) break;
      const runs = scenario.variants.map((variant) => new VariantRun(engine, scenario, variant, runId, opts, layerCache));
      for (const run of runs) await run.prepare();
      try {
        // Round by round (single, multi, single, multi, ...), so drift on the machine hits every variant alike.
        for (let round = 0; round < rounds && !opts.signal.aborted; round++) {
          for (const run of runs) {
            for (const { mode, priming } of plan) {
              if (opts.signal.aborted || run.failed) break;
              const which = [mode ?? (priming ? 'priming' : ''), rounds > 1 ? (round < opts.warmup ? 'warm-up' : `run ${round - opts.warmup + 1}/${opts.runs}`) : ''].filter(Boolean).join(', ');
              opts.progress.variant(scenario.name, which ? `${run.result.id} (${which})` : run.result.id, ++index, total);
              await run.buildRound(round < opts.warmup || !!priming, mode, `${runId}-${round}`);
            }
          }
        }
        for (const run of runs) {
          if (!opts.signal.aborted) await run.finish();
          opts.progress.line(describe(scenario.name, run.result));
        }
      } finally {
        for (const run of runs) {
          made.containers.push(...run.made.containers);
          made.images.push(...run.made.images);
        }
        const variants = runs.filter((r) => r.attempted).map((r) => r.result);
        results.scenarios.push({
          name: scenario.name,
          ...(scenario.file.description ? { description: scenario.file.description } : {}),
          variants,
          comparisons: compareToSingle(variants),
        });
      }
      const file = await writeResults(opts.outDir, results);
      await opts.onWrite?.(file, results);
    }
  } catch (err) {
    fatal = err;
  }
  // Decided before clean-up: a Ctrl-C during clean-up does not make a finished run "interrupted".
  const status = fatal ? 'error' : opts.signal.aborted ? 'interrupted' : 'complete';
  // With --keep-images the labelled images stay; the unlabelled classic intermediates still go (a parent
  // of a kept image is held by it and stays).
  const problems = await engine.cleanup(made, since, opts.keepImages ? undefined : [RUN_LABEL, runId]).catch((err) => [errorMessage(err)]);
  for (const p of problems) opts.progress.line(`cleanup: ${p}`);
  results.run = { id: runId, status, finishedAt: new Date().toISOString(), ...(fatal ? { error: errorMessage(fatal) } : {}) };
  const file = await writeResults(opts.outDir, results);
  await opts.onWrite?.(file, results);
  if (fatal) throw fatal;
  return results;
}

function describe(scenario: string, r: VariantResult): string {
  if (r.status === 'failed') return `${scenario} › ${r.id}: FAILED ${r.error?.step ? `at ${r.error.step}: ` : ''}${r.error?.message ?? ''}`;
  const smoke = r.smoke ? `, smoke ${r.smoke.status}${r.smoke.reason ? ` (${r.smoke.reason})` : ''}` : '';
  return `${scenario} › ${r.id}: ${r.sizeBytes} bytes, ${r.layerCount} layers, ${r.buildMs} ms${smoke}`;
}
