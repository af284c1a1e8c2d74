import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDockerfile, stageImages } from '../engine/dockerfile.js';
import type { LayerCache } from '../engine/compressed-size.js';
import type { BuildRequest, Engine, ImageFacts } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';
import type { VariantResult } from '../results/schema.js';
import { type Scenario, type Variant, variantOptions } from '../scenarios/discover.js';
import { imageRefPart } from '../scenarios/names.js';
import { median, spreadWarning, summarize } from '../stats/summary.js';
import type { BenchOptions, Mode } from './run-bench.js';
import { smokeCheck } from './smoke.js';

export const LABEL = 'org.stagebench';
export const RUN_LABEL = 'org.stagebench.run';


/** Profile ARG values reach only Dockerfiles that declare the ARG; scenario.json values always apply. */
export function effectiveBuildArgs(declared: Set<string>, profileArgs: Record<string, string>, scenarioArgs: Record<string, string>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(profileArgs)) if (declared.has(k)) args[k] = v;
  return { ...args, ...scenarioArgs };
}

async function ensureBases(engine: Engine, refs: string[], opts: BenchOptions): Promise<{ pullMs?: number; error?: string }> {
  let pullMs: number | undefined;
  for (const ref of refs) {
    if (await engine.hasImage(ref)) continue;
    opts.progress.step(`pulling base image ${ref}`);
    const t0 = performance.now();
    try {
      await engine.pull(ref, opts.signal);
    } catch (err) {
      if (opts.signal.aborted) return { error: `interrupted: the pull of ${ref} was cancelled` };
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

type Steps = NonNullable<VariantResult['steps']>;

/**
 * The last round's steps, each with the median of its times over the rounds. Steps are matched by name
 * and occurrence (BuildKit digests change between uploads; classic names repeat across stages).
 */
export function medianSteps(rounds: Steps[]): Steps {
  const key = (steps: Steps) => {
    const seen = new Map<string, number>();
    return steps.map((s) => {
      const n = (seen.get(s.name) ?? 0) + 1;
      seen.set(s.name, n);
      return `${s.name}#${n}`;
    });
  };
  const times = new Map<string, number[]>();
  for (const steps of rounds) {
    key(steps).forEach((k, i) => {
      const ms = steps[i]?.ms;
      if (ms !== undefined) times.set(k, [...(times.get(k) ?? []), ms]);
    });
  }
  const last = rounds.at(-1) ?? [];
  return key(last).map((k, i) => {
    const { ms: _ms, ...step } = last[i] as Steps[number];
    const samples = times.get(k);
    return samples ? { ...step, ms: Math.round(median(samples)) } : step;
  });
}

/**
 * One variant through a run: prepared once, built once per round (warm-up rounds first), then checked.
 * Every step records what went wrong as a value in `result`; only an engine that stopped answering throws.
 */
export class VariantRun {
  readonly result: VariantResult;
  /** What its builds made that carries no run label: classic step containers, stage results, intermediates. */
  readonly made = { containers: [] as string[], images: [] as string[] };
  private request?: BuildRequest;
  private finalFrom = '';
  private lastImage?: ImageFacts;
  private readonly samples: NonNullable<VariantResult['samples']> = [];
  private readonly timedSteps: NonNullable<VariantResult['steps']>[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly scenario: Scenario,
    private readonly variant: Variant,
    private readonly runId: string,
    private readonly opts: BenchOptions,
    private readonly layerCache: LayerCache,
  ) {
    this.result = { id: variant.id, dockerfile: variant.dockerfile, status: 'failed', buildArgs: {}, baseImages: [] };
  }

  get failed(): boolean {
    return this.result.error !== undefined;
  }

  /** False for a variant the run never got to (stopped or interrupted before its first build). */
  get attempted(): boolean {
    return this.result.status === 'ok' || this.failed;
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (err instanceof EngineUnreachableError) throw err;
      this.result.status = 'failed';
      this.result.error = { message: errorMessage(err), logTail: [] };
    }
  }

  /** Build args, target, base images (pulled now, never inside the timed build). */
  prepare(): Promise<void> {
    return this.guard(async () => {
      const { scenario, opts, result } = this;
      const options = variantOptions(scenario, result.id, opts.profile?.name);
      const parsed = parseDockerfile(await readFile(resolve(scenario.dir, this.variant.path), 'utf8'));
      const buildArgs = effectiveBuildArgs(parsed.declaredArgs, opts.profile?.buildArgs ?? {}, options.buildArgs ?? {});
      Object.assign(result, { buildArgs, ...(options.target ? { target: options.target } : {}), ...(options.network ? { network: options.network } : {}) });
      if (options.target && !parsed.stages.some((s) => s.name === options.target!.toLowerCase())) {
        const stages = parsed.stages.flatMap((s) => (s.name ? [s.name] : [])).join(', ') || 'none named';
        result.error = { message: `target "${options.target}" is not a stage of ${result.dockerfile} (stages: ${stages}); fix "target" in scenario.json or the config file`, logTail: [] };
        return;
      }
      const images = stageImages(parsed, buildArgs, options.target);
      result.baseImages = images.finalBases;
      this.finalFrom = images.finalFrom;
      const bases = await ensureBases(this.engine, images.allBases, opts);
      if (bases.pullMs !== undefined) result.pullMs = bases.pullMs;
      if (bases.error) {
        result.error = { step: 'FROM (base image)', message: bases.error, logTail: [] };
        return;
      }
      this.request = {
        contextDir: scenario.dir,
        dockerfile: this.variant.path,
        builder: opts.builder,
        tag: `stagebench/${imageRefPart(scenario.name)}:${imageRefPart(result.id)}`,
        labels: { [LABEL]: 'true', [RUN_LABEL]: this.runId, [`${LABEL}.scenario`]: scenario.name, [`${LABEL}.variant`]: result.id },
        buildArgs,
        target: options.target,
        network: options.network,
        noCache: opts.noCache,
        signal: opts.signal,
        onStep: (s) => opts.progress.step(s),
      };
    });
  }

  /**
   * One build and the size of what it made. cold: without the layer cache; incremental: from a copy of
   * the context with one file's content changed (the scenario folder is never touched); otherwise as is.
   */
  buildRound(warmup: boolean, mode?: Mode, nonce = ''): Promise<void> {
    return this.guard(async () => {
      const { result, request } = this;
      if (!request) return;
      let build;
      if (mode === 'incremental') {
        const change = this.scenario.file.incremental!;
        const copy = await mkdtemp(join(tmpdir(), 'stagebench-incremental-'));
        try {
          await cp(this.scenario.dir, copy, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
          await appendFile(join(copy, change.file), `\n${change.line.replaceAll('{nonce}', nonce)}\n`);
          build = await this.engine.build({ ...request, contextDir: copy });
        } finally {
          await rm(copy, { recursive: true, force: true });
        }
      } else {
        build = await this.engine.build(mode === 'cold' ? { ...request, noCache: true } : request);
      }
      this.made.containers.push(...build.containerIds);
      this.made.images.push(...build.auxIds.filter((id) => id !== build.imageId), ...build.intermediateIds);
      result.warnings = build.warnings.length > 0 ? build.warnings : undefined;
      result.steps = build.steps.map((s) => ({
        name: s.name,
        cached: s.cached,
        ...(s.startedMs !== undefined && s.completedMs !== undefined ? { ms: Math.max(0, Math.round(s.completedMs - s.startedMs)) } : {}),
      }));
      if (!warmup && mode === this.opts.modes[0]) this.timedSteps.push(result.steps);
      if (build.failure || !build.imageId || build.buildMs === undefined) {
        result.status = 'failed';
        result.error = build.failure ?? { message: 'no image id', logTail: [] };
        return;
      }
      const image = await this.engine.inspect(build.imageId);
      this.samples.push({ buildMs: build.buildMs, sizeBytes: image.sizeBytes, warmup, ...(mode ? { mode } : {}) });
      // The image facts are those of the scenario's own content: an incremental build's only when it is all there is.
      if (mode === 'incremental' && this.lastImage) return;
      this.lastImage = image;
      Object.assign(result, { status: 'ok', imageId: image.id, imageTag: request.tag, sizeBytes: image.sizeBytes, ...(image.storedContentBytes !== undefined ? { storedContentBytes: image.storedContentBytes } : {}), layerCount: image.layerCount, historyCount: image.historyCount });
    });
  }

  /**
   * What the image adds on top of the image its final stage starts FROM, its layers largest first (those
   * from the base marked), and its unique and shared bytes as the engine's disk usage reports them.
   */
  private async measureComposition(): Promise<void> {
    const { result } = this;
    const image = this.lastImage!;
    const scratch = this.finalFrom.toLowerCase() === 'scratch';
    const base = scratch ? { sizeBytes: 0, history: [] } : await this.engine.inspect(this.finalFrom);
    result.baseBytes = base.sizeBytes;
    result.addedBytes = image.sizeBytes - base.sizeBytes;
    const inherited = base.history.length > 0 && base.history.every((h, i) => image.history[i]?.createdBy === h.createdBy) ? base.history.length : 0;
    result.layers = image.history
      .map((h, i) => ({ sizeBytes: h.sizeBytes, createdBy: h.createdBy, fromBase: i < inherited }))
      .filter((l) => l.sizeBytes > 0)
      .sort((a, b) => b.sizeBytes - a.sizeBytes);
    const usage = (await this.engine.diskUsage([{ id: image.id, sizeBytes: image.sizeBytes }])).get(image.id);
    if (usage) Object.assign(result, usage);
  }

  /** Statistics over the timed samples, then the contains and smoke checks on the last image. */
  finish(): Promise<void> {
    return this.guard(async () => {
      const { result, scenario, opts } = this;
      if (result.status !== 'ok' || !result.imageId || !this.request || !this.lastImage) return;
      const timedIn = (mode?: Mode) => this.samples.filter((s) => !s.warmup && s.mode === mode).map((s) => s.buildMs);
      const stats = summarize(timedIn(opts.modes[0]));
      if (opts.modes.length > 0) result.modeStats = Object.fromEntries(opts.modes.map((m) => [m, summarize(timedIn(m))]));
      result.buildMs = Math.round(stats.median);
      if (this.timedSteps.length > 1) result.steps = medianSteps(this.timedSteps);
      if (this.samples.length > 1) {
        result.samples = this.samples;
        result.buildStats = stats;
        const warning = spreadWarning(stats);
        if (warning) result.warnings = [...(result.warnings ?? []), `build time: ${warning}`];
      }
      await this.measureComposition();
      if (opts.compressed) {
        opts.progress.step('compressing layers for the pull size');
        // A measurement that fails leaves its number out with a warning: the image built and is not "failed".
        try {
          result.compressedBytes = (await this.engine.compressedSize(result.imageId, this.layerCache)).totalBytes;
        } catch (err) {
          if (err instanceof EngineUnreachableError || opts.signal.aborted) throw err;
          result.warnings = [...(result.warnings ?? []), `pull size not measured: ${errorMessage(err)}`];
        }
      }
      if (scenario.file.contains) {
        const checks = scenario.file.contains;
        const present = await this.engine.pathsPresent(result.imageId, [...new Set(Object.values(checks).flat())], this.request.labels);
        result.contains = Object.fromEntries(Object.entries(checks).map(([name, paths]) => {
          const found = paths.filter((p) => present.has(p));
          return [name, { present: found.length > 0, paths: found }];
        }));
      }
      if (opts.smoke && scenario.file.smoke && !opts.signal.aborted) {
        opts.progress.step('smoke check');
        result.smoke = await smokeCheck(this.engine, result.imageId, scenario.file.smoke, this.request.labels, opts.signal);
      }
    });
  }
}
