import { randomBytes } from 'node:crypto';
import { FileLister } from './file-lister.js';
import { PullSizer } from '../engine/compressed-size.js';
import { workerGzip } from '../engine/gzip-pool.js';
import { MemoryRecordCache } from '../engine/layer-cache.js';
import type { Engine, RunMade } from '../engine/engine.js';
import { diskUsageOf } from './composition.js';
import { builderUsed } from '../engine/engine-kind.js';
import { errorMessage } from '../errors.js';
import { type CacheMode, DEPLOY_METHODS, type EngineFacts, METHODS, type Results, SCHEMA_VERSION, type VariantResult } from '../results/schema.js';
import { compareToReference } from '../results/summarize.js';
import { cleanUpRun } from './cleanup.js';
import type { BenchOptions } from './options.js';
import type { DeployRegistry } from './registry.js';
import { VariantRun } from './variant.js';

/**
 * Builds every variant of every scenario, measures it, and saves the results after each scenario, so an
 * interruption or a later failure loses nothing already measured. Variant failures are values in the
 * results; an engine that stops answering or results that cannot be saved end the run (after
 * clean-up and a last write of what was measured).
 */
export async function runBench(engine: Engine, engineFacts: EngineFacts, opts: BenchOptions): Promise<Results> {
  // No extra label for the pid: the classic builder turns every label into a step of its own.
  const runId = `${randomBytes(6).toString('hex')}${opts.pid !== undefined ? `-${opts.pid}` : ''}`;
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
    ...(opts.jobs > 1 ? { jobs: opts.jobs } : {}),
    ...(opts.modes.length > 0 ? { modes: opts.modes } : {}),
    ...(opts.profile ? { profile: opts.profile.name } : {}),
    ...(opts.selection ? { selection: opts.selection } : {}),
    ...(opts.registry ? { deploy: { registry: opts.registry.version, ...(opts.bandwidth ? { bandwidth: opts.bandwidth.text, bitsPerSecond: opts.bandwidth.bitsPerSecond } : {}) } } : {}),
    methods: opts.registry ? { ...METHODS, ...DEPLOY_METHODS } : METHODS,
    scenarios: [],
  };
  if (engineFacts.imageStore === 'containerd') {
    opts.progress.line('note: containerd image store: Size is the unpacked size from image history (its own Size, the stored content, is storedContentBytes in the JSON)');
  }
  if (engineFacts.imageStore === 'containers-storage') {
    opts.progress.line('note: Podman: unique and shared bytes are not recorded (its disk usage counts layers of buildah\'s cache images as shared); WORKDIR adds no layer');
  }
  const made: RunMade = { containers: [], images: [], tags: [] };
  // What is on the engine before the first build: clean-up never removes it, whatever a build reused.
  const before = new Set(await engine.imageIds());
  // Pull sizes by DiffID and image id, shared by every variant of the run and, with the layer cache, by
  // later runs: a layer is compressed once. Compression happens in finish(), never while a build is timed.
  const layerCache = (opts.layerCache && opts.layerRecords) || new MemoryRecordCache();
  const gzipPool = workerGzip();
  const pullSizer = new PullSizer(layerCache, gzipPool);
  // Each layer's file listing by DiffID, in the same cache: a layer read once is never read again.
  const fileLister = new FileLister(layerCache);
  const rounds = opts.warmup + opts.runs;
  // A warm build needs a build of the same context just before it: an untimed one when warm comes first.
  const plan: { mode?: CacheMode; priming?: boolean }[] = opts.modes.length === 0 ? [{}] : [...(opts.modes[0] === 'warm' ? [{ priming: true }] : []), ...opts.modes.map((mode) => ({ mode }))];
  const total = opts.scenarios.reduce((n, s) => n + s.variants.length, 0) * rounds * plan.length;
  let index = 0;
  let fatal: unknown;
  /** With --keep-images: the tag of each variant's last image. */
  const kept: string[] = [];
  try {
    for (const scenario of opts.scenarios) {
      if (opts.signal.aborted) break;
      const runs = scenario.variants.map((variant) => new VariantRun(engine, scenario, variant, runId, opts, pullSizer, fileLister));
      try {
        if (opts.jobs > 1) {
          // Size-only (--jobs): up to `jobs` variants at a time, each prepared, built once and measured. Its
          // build times overlap, so the results say so (jobs) and the gate never compares them.
          const finished = new Set<VariantRun>();
          await eachAtOnce(runs, opts.jobs, async (run) => {
            if (opts.signal.aborted) return;
            await run.prepare();
            if (opts.signal.aborted || run.failed) return;
            opts.progress.variant(scenario.name, run.result.id, ++index, total);
            await run.buildRound(false, undefined, `${runId}-0`);
            if (opts.signal.aborted) return;
            await run.finish();
            finished.add(run);
          });
          for (const run of runs) {
            if (opts.signal.aborted && !finished.has(run)) run.interrupted();
            if (run.attempted) opts.progress.line(describe(scenario.name, run.result));
          }
        } else {
        // Ctrl-C stops the preparing too: no later variant asks the engine to pull its bases.
        for (const run of runs) {
          if (opts.signal.aborted) break;
          await run.prepare();
        }
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
        // Every variant's image is on the engine now, and stays until clean-up: one disk-usage answer serves
        // them all. While the engine computes it (before API 1.42 it walks the build cache too: 0.1 s and more),
        // the variants' other engine reads run, all at once; exports, compression and smoke checks stay one
        // variant at a time.
        if (!opts.signal.aborted) {
          const usage = diskUsageOf(engine, runs.flatMap((r) => r.builtImage ?? []));
          usage.catch(() => undefined); // awaited by each variant's read; never an unhandled rejection
          await eachAtOnce(runs, ENGINE_READS_AT_ONCE, (run) => run.readBuilt(usage));
        }
        for (const run of runs) {
          if (opts.signal.aborted) run.interrupted();
          else {
            if (run.result.status === 'ok') opts.progress.measuring(scenario.name, run.result.id);
            await run.finish();
          }
        }
        if (opts.registry) await deployAll(scenario.name, runs, opts.registry, opts);
        for (const run of runs) if (run.attempted) opts.progress.line(describe(scenario.name, run.result));
        }
      } finally {
        for (const run of runs) {
          if (opts.keepImages && run.result.imageTag && run.result.status === 'ok') kept.push(run.result.imageTag);
          made.containers.push(...run.made.containers);
          made.images.push(...run.made.images);
          made.tags.push(...run.made.tags);
        }
        const variants = runs.filter((r) => r.attempted).map((r) => r.result);
        results.scenarios.push({
          name: scenario.name,
          ...(scenario.file.description ? { description: scenario.file.description } : {}),
          reference: scenario.reference,
          variants,
          comparisons: compareToReference(variants, scenario.reference),
        });
      }
      await opts.save(results);
    }
  } catch (err) {
    fatal = err;
  }
  await gzipPool.close();
  await layerCache.prune();
  // Decided before clean-up: a Ctrl-C during clean-up does not make a finished run "interrupted".
  const status = fatal ? 'error' : opts.signal.aborted ? 'interrupted' : 'complete';
  const problems = await cleanUpRun(engine, made, before, runId, kept);
  for (const p of problems) opts.progress.line(`cleanup: ${p}`);
  results.run = { id: runId, status, finishedAt: new Date().toISOString(), ...(fatal ? { error: errorMessage(fatal) } : {}) };
  await opts.save(results);
  if (fatal) throw fatal;
  return results;
}

/**
 * --deploy: every variant pushed, then round by round (warm-ups first) each removed, pulled and started, variants
 * interleaved as builds are; each variant's tag is put back whatever happened.
 */
async function deployAll(scenario: string, runs: VariantRun[], registry: DeployRegistry, opts: BenchOptions): Promise<void> {
  try {
    for (const run of runs) {
      if (opts.signal.aborted) return;
      opts.progress.step(`deploy: pushing ${scenario} › ${run.result.id}`);
      await run.deployPush(registry);
    }
    const deploying = runs.filter((r) => r.deploying);
    const rounds = opts.warmup + opts.runs;
    for (let round = 0; round < rounds && !opts.signal.aborted; round++) {
      for (const run of deploying) {
        if (opts.signal.aborted) break;
        opts.progress.step(`deploy: ${scenario} › ${run.result.id}, remove, pull and start (${round < opts.warmup ? 'warm-up' : `run ${round - opts.warmup + 1}/${opts.runs}`})`);
        await run.deployRound(round);
      }
    }
  } finally {
    for (const run of runs) await run.deployFinish();
  }
}

function describe(scenario: string, r: VariantResult): string {
  if (r.notMeasured) return `${scenario} › ${r.id}: ${r.error?.message}`;
  if (r.status === 'failed') return `${scenario} › ${r.id}: FAILED ${r.error?.step ? `at ${r.error.step}: ` : ''}${r.error?.message ?? ''}`;
  const smoke = r.smoke ? `, smoke ${r.smoke.status}${r.smoke.reason ? ` (${r.smoke.reason})` : ''}` : '';
  return `${scenario} › ${r.id}: ${r.sizeBytes} bytes, ${r.layerCount} layers, ${r.buildMs} ms${smoke}`;
}

/** Variants whose engine reads (history, base, contains check) run at once after a scenario's builds. */
const ENGINE_READS_AT_ONCE = 4;

/** Runs `task` on every item, at most `limit` at a time; the first error ends the wait (the others finish). */
async function eachAtOnce<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}
