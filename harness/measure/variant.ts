import type { CompressedSize, PullSizer } from '../engine/compressed-size.js';
import { analyzeImage } from '../engine/image-export.js';
import type { LayerFiles } from '../layers/layer-files.js';
import type { FileLister } from './file-lister.js';
import type { BuildRequest, Engine, ImageFacts } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';
import type { CacheMode, VariantResult } from '../results/schema.js';
import type { Scenario, Variant } from '../scenarios/scenario.js';
import { buildInMode, buildLeftovers, explainFailure, stepsOf } from './build.js';
import { type DiskUsage, measureComposition } from './composition.js';
import { fileFields } from './files.js';
import { checkContains } from './contains.js';
import type { BenchOptions } from './options.js';
import { prepareVariant } from './prepare.js';
import { startupRounds } from './startup.js';
import { DeployRun } from './deploy.js';
import type { DeployRegistry } from './registry.js';
import { timingFields } from './timing.js';
import { containerLabels } from './labels.js';
import type { RunMade } from '../engine/engine.js';

/** What finish() reads from the engine about the built image, before anything is exported or started. */
interface EngineReads {
  composition: PromiseSettledResult<Awaited<ReturnType<typeof measureComposition>>>;
  contains: PromiseSettledResult<NonNullable<VariantResult['contains']> | undefined>;
}

/** A settled read's value, or its error thrown. */
function settled<T>(read: PromiseSettledResult<T>): T {
  if (read.status === 'rejected') throw read.reason;
  return read.value;
}

/**
 * One variant through a run: prepared once, built once per round (warm-up rounds first), then checked.
 * Every step records what went wrong as a value in `result`; only an engine that stopped answering throws.
 */
export class VariantRun {
  readonly result: VariantResult;
  /** What its builds made, for clean-up: classic step containers, stage results and intermediates, every round's image, and its per-run tag. */
  readonly made: RunMade = { containers: [], images: [], tags: [] };
  private request?: BuildRequest;
  private finalFrom = '';
  private lastImage?: ImageFacts;
  private readonly samples: NonNullable<VariantResult['samples']> = [];
  private readonly timedSteps: NonNullable<VariantResult['steps']>[] = [];
  /** What Ctrl-C cut short (a build, an export, a pull): attempted, and not measured rather than failed. */
  private cutShort?: string;
  /** finish() ran to its end: what is cut short after it (a deploy round) is the deploy's to record. */
  private measured = false;

  constructor(
    private readonly engine: Engine,
    private readonly scenario: Scenario,
    private readonly variant: Variant,
    private readonly runId: string,
    private readonly opts: BenchOptions,
    private readonly pullSizer: PullSizer,
    private readonly fileLister: FileLister,
  ) {
    this.result = { id: variant.id, dockerfile: variant.dockerfile, status: 'failed', buildArgs: {}, baseImages: [] };
  }

  get failed(): boolean {
    return this.result.error !== undefined;
  }

  /** The image finish() measures: the last one built from the scenario's own content, once the variant built. */
  get builtImage(): ImageFacts | undefined {
    return this.result.status === 'ok' ? this.lastImage : undefined;
  }

  /** False for a variant the run never got to (stopped or interrupted before its first build). */
  get attempted(): boolean {
    return this.result.status === 'ok' || this.failed || this.cutShort !== undefined;
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (err instanceof EngineUnreachableError) {
        // The engine went away while this variant was in flight: recorded as not measured, not as broken.
        this.notMeasured('engine-gone', errorMessage(err));
        throw err;
      }
      // Cut short by Ctrl-C (a pull, a read or an export of the image): says nothing about the image.
      if (this.opts.signal.aborted && !this.measured) {
        this.cutShort = `the run was interrupted (${errorMessage(err)})`;
        this.interrupted();
        return;
      }
      this.result.status = 'failed';
      this.result.error = { message: errorMessage(err), logTail: [] };
    }
  }

  /**
   * The run was interrupted before this variant was measured (after its builds, or during one): what needs no
   * engine (build-time statistics of the builds that finished) is kept, and it is not measured, never "ok"
   * (its pull size, composition and checks were never read). A build cancelled by Ctrl-C is not a failed
   * build either. A variant that failed for real before the interruption stays failed.
   */
  interrupted(): void {
    if (this.result.notMeasured || (this.result.status !== 'ok' && this.cutShort === undefined)) return;
    // Statistics only over timed builds that finished (none when only warm-ups or priming builds did).
    if (this.samples.some((x) => !x.warmup && x.mode === this.opts.modes[0])) Object.assign(this.result, timingFields(this.samples, this.opts.modes, this.timedSteps, this.result.warnings));
    this.notMeasured('interrupted', this.cutShort ?? 'the run was interrupted before it was measured');
  }

  /** The run stopped (interrupted, or the engine went away) before this variant was fully measured. */
  notMeasured(why: 'interrupted' | 'engine-gone', detail: string): void {
    if (!this.attempted && why === 'interrupted') return; // never started: left out of the results
    Object.assign(this.result, { status: 'failed', notMeasured: why, error: { message: `not measured: ${detail}`, logTail: [] } });
  }

  /** Build args, target, base images (pulled now, never inside the timed build). */
  prepare(): Promise<void> {
    return this.guard(async () => {
      const prepared = await prepareVariant(this.engine, this.scenario, this.variant, this.result, this.runId, this.opts);
      this.finalFrom = prepared.finalFrom;
      this.request = prepared.request;
    });
  }

  /** One build and the size of what it made. */
  buildRound(warmup: boolean, mode?: CacheMode, nonce = ''): Promise<void> {
    return this.guard(async () => {
      const { result, request, opts } = this;
      if (!request) return;
      if (!this.made.tags.includes(request.tag)) this.made.tags.push(request.tag);
      const build = await buildInMode(this.engine, request, this.scenario, mode, nonce);
      const leftovers = buildLeftovers(build);
      this.made.containers.push(...leftovers.containers);
      this.made.images.push(...leftovers.images);
      if (opts.signal.aborted && (build.failure || !build.imageId)) {
        // Cancelled by Ctrl-C: not a failure of the Dockerfile, and its partial steps are no sample.
        this.cutShort = 'the run was interrupted and its build cancelled';
        this.interrupted();
        return;
      }
      result.warnings = build.warnings.length > 0 ? build.warnings : undefined;
      result.steps = stepsOf(build);
      if (!warmup && mode === this.opts.modes[0]) this.timedSteps.push(result.steps);
      if (build.failure || !build.imageId || build.buildMs === undefined) {
        result.status = 'failed';
        result.error = build.failure ? explainFailure(build.failure) : { message: 'no image id', logTail: [] };
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
   * The pull size and the file listings, in one shared pass over the export (none when both caches know
   * every layer). A measurement that fails leaves its numbers out with a warning: the image built and is not "failed".
   */
  private async analyzeLayers(image: ImageFacts): Promise<void> {
    const { result, opts } = this;
    opts.progress.step([opts.compressed ? 'compressing layers for the pull size' : '', opts.files ? "reading the image's files" : ''].filter(Boolean).join(', '));
    const exportImage = () => this.engine.exportImage(image.id);
    try {
      let pull: CompressedSize | undefined;
      let listings: LayerFiles[] | undefined;
      if (opts.compressed && opts.files) [pull, listings] = await analyzeImage<[CompressedSize, LayerFiles[]]>(image, exportImage, [this.pullSizer, this.fileLister]);
      else if (opts.compressed) [pull] = await analyzeImage(image, exportImage, [this.pullSizer]);
      else [listings] = await analyzeImage(image, exportImage, [this.fileLister]);
      if (pull) {
        result.compressedBytes = pull.totalBytes;
        result.compressedFromCache = pull.layersFromCache;
        result.configBytes = pull.configBytes;
        result.rootLayers = pull.layers.map((l) => ({ diffId: l.diffId, compressedBytes: l.gzipBytes }));
      }
      if (listings) Object.assign(result, fileFields(image.diffIds, listings, result.rootLayers));
    } catch (err) {
      if (err instanceof EngineUnreachableError || opts.signal.aborted) throw err;
      const what = [opts.compressed ? 'pull size' : '', opts.files ? 'wasted bytes and packages' : ''].filter(Boolean).join(', ');
      result.warnings = [...(result.warnings ?? []), `${what} not measured: ${errorMessage(err)}`];
    }
  }

  private deployRun?: DeployRun;

  /** --deploy, after finish(): push the image when it built and passed its smoke check (measure/deploy.ts). */
  deployPush(registry: DeployRegistry): Promise<void> {
    return this.guard(async () => {
      const { result, opts, scenario, lastImage } = this;
      const smoke = scenario.file.smoke;
      // A variant that did not build (or was not measured) says why in its failure.
      if (result.status !== 'ok' || !result.imageId || !result.imageTag || !lastImage) return;
      // Deploy times the start to the first passing smoke check: without one that passed there is nothing to time.
      if (!smoke || result.smoke?.status !== 'ok') {
        const why = !smoke
          ? 'its scenario has no smoke check (deploy times the start to the first passing one): add `smoke` to its scenario.json'
          : `its smoke check ${result.smoke ? 'failed' : 'did not run'}, and deploy times the start to the first passing one`;
        result.warnings = [...(result.warnings ?? []), `deploy not measured: ${why}`];
        return;
      }
      const scratch = this.finalFrom.toLowerCase() === 'scratch';
      const baseDiffIds = scratch ? [] : (await this.engine.inspect(this.finalFrom)).diffIds;
      this.deployRun = new DeployRun(
        this.engine,
        registry,
        {
          imageId: result.imageId,
          imageTag: result.imageTag,
          diffIds: lastImage.diffIds,
          baseDiffIds,
          smoke,
          labels: containerLabels(this.runId, scenario.name, result.id),
          warmup: opts.warmup,
          ...(opts.bandwidth ? { bitsPerSecond: opts.bandwidth.bitsPerSecond } : {}),
        },
        opts.signal,
      );
      await this.deployRun.push();
    });
  }

  /** One deploy round: remove, pull and start (timed after the warm-ups). */
  deployRound(round: number): Promise<void> {
    return this.guard(async () => {
      await this.deployRun?.round(round);
    });
  }

  /** The deploy figures and warnings into the result; the run's tag back on the image. */
  deployFinish(): Promise<void> {
    return this.guard(async () => {
      const run = this.deployRun;
      if (!run) return;
      this.deployRun = undefined;
      const deploy = await run.finish();
      if (deploy) this.result.deploy = deploy;
      if (run.warnings.length > 0) this.result.warnings = [...(this.result.warnings ?? []), ...run.warnings];
    });
  }

  /** True while a deploy is under way (pushed, not finished). */
  get deploying(): boolean {
    return this.deployRun !== undefined;
  }

  private engineReads?: Promise<EngineReads>;

  /**
   * The composition and the contains check of the last image, each read once and kept as it settled: a
   * failure of either surfaces in finish() where that figure is set, after what came before it is kept.
   */
  private readEngine(usage?: Promise<DiskUsage | undefined>): Promise<EngineReads> {
    return (this.engineReads ??= (async () => {
      const { result, scenario, lastImage } = this;
      const labels = containerLabels(this.runId, scenario.name, result.id);
      const [composition, contains] = await Promise.allSettled([
        measureComposition(this.engine, lastImage!, this.finalFrom, usage),
        scenario.file.contains ? checkContains(this.engine, result.imageId!, scenario.file.contains, labels) : undefined,
      ]);
      return { composition, contains };
    })());
  }

  /**
   * Starts the engine reads of finish() (history, the base, disk usage, the contains check): nothing timed,
   * exported or compressed, so every variant of a scenario may do them at once while the engine computes the
   * disk usage they share (`usage`, still being read). Only an engine gone ends the variant here; any other
   * failure waits for finish().
   */
  async readBuilt(usage: Promise<DiskUsage | undefined>): Promise<void> {
    if (this.result.status !== 'ok' || !this.result.imageId || !this.lastImage) return;
    const reads = await this.readEngine(usage);
    const gone = [reads.composition, reads.contains].find((r) => r.status === 'rejected' && r.reason instanceof EngineUnreachableError);
    if (gone) await this.guard(() => Promise.reject((gone as PromiseRejectedResult).reason));
  }

  /** Statistics over the timed samples, the image's composition and pull size, then the contains and smoke checks on the last image. */
  finish(): Promise<void> {
    return this.guard(async () => {
      const { result, scenario, opts, request, lastImage } = this;
      if (result.status !== 'ok' || !result.imageId || !request || !lastImage) return;
      Object.assign(result, timingFields(this.samples, opts.modes, this.timedSteps, result.warnings));
      const { composition, contains } = await this.readEngine();
      Object.assign(result, settled(composition));
      if (opts.compressed || opts.files) await this.analyzeLayers(lastImage);
      const labels = containerLabels(this.runId, scenario.name, result.id);
      const found = settled(contains);
      if (found) result.contains = found;
      if (opts.smoke && scenario.file.smoke) {
        if (!opts.signal.aborted) {
          opts.progress.step(opts.runs + opts.warmup > 1 ? `smoke check and start-up time (${opts.warmup + opts.runs} starts)` : 'smoke check and start-up time');
          Object.assign(result, await startupRounds(this.engine, result.imageId, scenario.file.smoke, labels, opts.signal, opts, result.warnings));
        }
        // A check cut short by Ctrl-C says nothing about the image.
        if (opts.signal.aborted) this.notMeasured('interrupted', 'the run was interrupted before its smoke check finished');
      }
      this.measured = true;
    });
  }
}
