import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Profile } from '../config/schemas.js';
import { parseDockerfile, stageImages } from '../engine/dockerfile.js';
import type { Builder, Engine, EngineFacts } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';
import { writeResults } from '../results/io.js';
import { METHODS, type Results, SCHEMA_VERSION, type ScenarioResult, type VariantResult } from '../results/schema.js';
import { compareToSingle } from '../results/summarize.js';
import { type Scenario, type Variant, variantOptions } from '../scenarios/discover.js';
import { smokeCheck } from './smoke.js';

export const LABEL = 'org.stagebench';
export const RUN_LABEL = 'org.stagebench.run';

export interface Progress {
  /** A variant starts building. */
  variant(scenario: string, variant: string, index: number, total: number): void;
  /** The running build reached a step. */
  step(name: string): void;
  /** A finished variant, or a note about the run. */
  line(text: string): void;
}

export interface BenchOptions {
  scenarios: Scenario[];
  builder: Builder;
  outDir: string;
  keepImages: boolean;
  smoke: boolean;
  noCache: boolean;
  profile?: { name: string } & Profile;
  git: Results['git'];
  toolVersion: string;
  signal: AbortSignal;
  progress: Progress;
  /** Called after every scenario with the file just written. */
  onWrite?: (file: string, results: Results) => Promise<void>;
}

/** A docker reference component: lower-case, [a-z0-9._-]. */
const refPart = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'x';

/** Profile ARG values reach only Dockerfiles that declare the ARG; scenario.json values always apply. */
export function effectiveBuildArgs(declared: Set<string>, profileArgs: Record<string, string>, scenarioArgs: Record<string, string>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(profileArgs)) if (declared.has(k)) args[k] = v;
  return { ...args, ...scenarioArgs };
}

interface VariantRun {
  result: VariantResult;
  /** What this build made that carries no run label: classic step containers, stage results, intermediates. */
  made: { containers: string[]; images: string[] };
}

async function ensureBases(engine: Engine, refs: string[], signal: AbortSignal, progress: Progress): Promise<{ pullMs?: number; error?: string }> {
  let pullMs: number | undefined;
  for (const ref of refs) {
    if (await engine.hasImage(ref)) continue;
    progress.step(`pulling base image ${ref}`);
    const t0 = performance.now();
    try {
      await engine.pull(ref, signal);
    } catch (err) {
      if (signal.aborted) return { error: `interrupted: the pull of ${ref} was cancelled` };
      return {
        error:
          `base image "${ref}" is not on the engine and could not be pulled (${errorMessage(err)}). ` +
          `Pull or load it yourself (docker pull / docker load), or map the Dockerfile's ARG to a local image with a --profile.`,
      };
    }
    pullMs = (pullMs ?? 0) + Math.round(performance.now() - t0);
  }
  return { pullMs };
}

async function containsChecks(engine: Engine, image: string, checks: Record<string, string[]>, labels: Record<string, string>): Promise<VariantResult['contains']> {
  const present = await engine.pathsPresent(image, [...new Set(Object.values(checks).flat())], labels);
  return Object.fromEntries(Object.entries(checks).map(([name, paths]) => {
    const found = paths.filter((p) => present.has(p));
    return [name, { present: found.length > 0, paths: found }];
  }));
}

/** Fills `result` and `made` as far as it gets; throws on anything it cannot turn into a value itself. */
async function measureVariant(engine: Engine, scenario: Scenario, variant: Variant, runId: string, opts: BenchOptions, result: VariantResult, made: VariantRun['made']): Promise<void> {
  const options = variantOptions(scenario, variant.id, opts.profile?.name);
  const parsed = parseDockerfile(await readFile(join(scenario.dir, variant.dockerfile), 'utf8'));
  const buildArgs = effectiveBuildArgs(parsed.declaredArgs, opts.profile?.buildArgs ?? {}, options.buildArgs ?? {});
  Object.assign(result, { buildArgs, ...(options.target ? { target: options.target } : {}), ...(options.network ? { network: options.network } : {}) });
  if (options.target && !parsed.stages.some((s) => s.name === options.target!.toLowerCase())) {
    const stages = parsed.stages.flatMap((s) => (s.name ? [s.name] : [])).join(', ') || 'none named';
    result.error = { message: `target "${options.target}" is not a stage of ${variant.dockerfile} (stages: ${stages}); fix "target" in scenario.json`, logTail: [] };
    return;
  }
  const images = stageImages(parsed, buildArgs, options.target);
  result.baseImages = images.finalBases;
  const bases = await ensureBases(engine, images.allBases, opts.signal, opts.progress);
  if (bases.pullMs !== undefined) result.pullMs = bases.pullMs;
  if (bases.error) {
    result.error = { step: 'FROM (base image)', message: bases.error, logTail: [] };
    return;
  }

  const tag = `stagebench/${refPart(scenario.name)}:${refPart(variant.id)}`;
  const labels = { [LABEL]: 'true', [RUN_LABEL]: runId, [`${LABEL}.scenario`]: scenario.name, [`${LABEL}.variant`]: variant.id };
  const build = await engine.build({
    contextDir: scenario.dir,
    dockerfile: variant.dockerfile,
    builder: opts.builder,
    tag,
    labels,
    buildArgs,
    target: options.target,
    network: options.network,
    noCache: opts.noCache,
    signal: opts.signal,
    onStep: (s) => opts.progress.step(s),
  });
  made.containers.push(...build.containerIds);
  made.images.push(...build.auxIds.filter((id) => id !== build.imageId), ...build.intermediateIds);
  if (build.warnings.length > 0) result.warnings = build.warnings;
  result.steps = build.steps.map((s) => ({
    name: s.name,
    cached: s.cached,
    ...(s.startedMs !== undefined && s.completedMs !== undefined ? { ms: Math.max(0, Math.round(s.completedMs - s.startedMs)) } : {}),
  }));
  if (build.failure || !build.imageId) {
    result.error = build.failure ?? { message: 'no image id', logTail: [] };
    return;
  }
  const image = await engine.inspect(build.imageId);
  Object.assign(result, {
    status: 'ok',
    imageId: image.id,
    imageTag: tag,
    sizeBytes: image.sizeBytes,
    layerCount: image.layerCount,
    historyCount: image.historyCount,
    buildMs: build.buildMs,
  });
  if (scenario.file.contains) result.contains = await containsChecks(engine, image.id, scenario.file.contains, labels);
  if (opts.smoke && scenario.file.smoke && !opts.signal.aborted) {
    opts.progress.step('smoke check');
    result.smoke = await smokeCheck(engine, image.id, scenario.file.smoke, labels, opts.signal);
  }
}

/**
 * One variant, always as a value: whatever goes wrong after discovery (an unreadable Dockerfile, an engine
 * error on inspect) fails this variant only. Only an engine that stopped answering ends the run.
 */
async function runVariant(engine: Engine, scenario: Scenario, variant: Variant, runId: string, opts: BenchOptions): Promise<VariantRun> {
  const result: VariantResult = { id: variant.id, dockerfile: variant.dockerfile, status: 'failed', buildArgs: {}, baseImages: [] };
  const made: VariantRun['made'] = { containers: [], images: [] };
  try {
    await measureVariant(engine, scenario, variant, runId, opts, result, made);
  } catch (err) {
    if (err instanceof EngineUnreachableError) throw err;
    result.status = 'failed';
    result.error = { message: errorMessage(err), logTail: [] };
  }
  return { result, made };
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
    buildCache: opts.noCache ? 'disabled' : 'used',
    ...(opts.profile ? { profile: opts.profile.name } : {}),
    methods: METHODS,
    scenarios: [],
  };
  if (engineFacts.imageStore === 'containerd') {
    opts.progress.line('note: the engine uses the containerd image store; its image Size counts compressed and unpacked content (see sizeBytes in the README)');
  }
  const made = { containers: [] as string[], images: [] as string[] };
  const total = opts.scenarios.reduce((n, s) => n + s.variants.length, 0);
  let index = 0;
  let fatal: unknown;
  try {
    for (const scenario of opts.scenarios) {
      if (opts.signal.aborted) break;
      const entry: ScenarioResult = { name: scenario.name, ...(scenario.file.description ? { description: scenario.file.description } : {}), variants: [], comparisons: [] };
      results.scenarios.push(entry);
      for (const variant of scenario.variants) {
        if (opts.signal.aborted) break;
        opts.progress.variant(scenario.name, variant.id, ++index, total);
        const run = await runVariant(engine, scenario, variant, runId, opts);
        entry.variants.push(run.result);
        made.containers.push(...run.made.containers);
        made.images.push(...run.made.images);
        opts.progress.line(describe(scenario.name, run.result));
      }
      entry.comparisons = compareToSingle(entry.variants);
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
