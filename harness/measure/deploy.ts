import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Smoke } from '../config/schemas.js';
import type { Engine } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';
import type { VariantResult } from '../results/schema.js';
import { spreadWarning, summarize } from '../stats/summary.js';
import { type DeployLayer, deployLayers, downloadBytes, downloadMs, fetchedBlobs, type PushedManifest } from './deploy-bytes.js';
import type { DeployRegistry } from './registry.js';
import { deployRepository, runOfTag } from './labels.js';
import { smokeCheck } from './smoke.js';

type Deploy = NonNullable<VariantResult['deploy']>;

export interface DeployRequest {
  imageId: string;
  /** The run's per-run tag of the image (stagebench/<scenario>:<variant>-<run id>): the pushed reference reuses it. */
  imageTag: string;
  diffIds: string[];
  /** RootFS.Layers of the final stage's FROM image ([] for scratch): the layers a host with the base holds. */
  baseDiffIds: string[];
  smoke: Smoke;
  /** The labels of the smoke containers (the run's). */
  labels: Record<string, string>;
  /** Rounds below this are warm-ups: pulled and started, not timed. */
  warmup: number;
  bitsPerSecond?: number;
}

/**
 * The lesson's "faster deployments", measured for one variant, in steps the caller interleaves across
 * variants (as builds are, so drift on the machine hits every variant alike):
 *
 * - `push()`: tag the image under the loopback registry's address, push it, and pull it back while it is still
 *   here (a check that the engine can pull from the registry before anything is removed); read the manifest.
 * - `round()`: publish a copy whose layers above the base have new digests (registry.republish, not timed), remove
 *   the image from the engine (only this run's references; the base stays, as on a host that has it), pull the
 *   copy (timed: download and unpack) and start it to the first passing smoke check (timed, as startMs). The
 *   registry's access log says which blobs the pull fetched.
 * - `finish()`: the statistics, and the run's tag back on the image, the registry references off it, so clean-up
 *   and --keep-images see what they saw before. Always called, also after a failure or an interrupt.
 *
 * Never throws for the image's sake: a push, pull or check that fails ends the variant's deploy with a warning
 * and no figures. Only an engine that went away throws.
 */
export class DeployRun {
  readonly warnings: string[] = [];
  /** The run tag's repository (stagebench/<scenario>) and tag (<variant>-<run id>). */
  private readonly repoPart: string;
  /** The repository in the registry: stagebench-deploy/<scenario>. */
  private readonly registryRepo: string;
  private readonly tag: string;
  private readonly repository: string;
  private readonly ref: string;
  /** The reference the engine holds the image under now: the run's tag until the first round, then the round's copy. */
  private current: string;
  private manifest?: PushedManifest;
  private layers: DeployLayer[] = [];
  /** A step failed: the variant's deploy has no figures. */
  private stopped = false;
  /** Ctrl-C: no more rounds, but the rounds already timed are kept (as build times keep theirs). */
  private interrupted = false;
  private readonly pulls: number[] = [];
  private readonly starts: number[] = [];
  private fetched = new Set<string>();

  constructor(
    private readonly engine: Engine,
    private readonly registry: DeployRegistry,
    private readonly req: DeployRequest,
    private readonly signal: AbortSignal,
  ) {
    [this.repoPart, this.tag] = splitTag(req.imageTag);
    // Not <registry>/stagebench/<scenario>: Podman resolves the short name stagebench/<scenario>:<tag> to any
    // registry's image of that path, and then takes a tag of that name as already there.
    this.registryRepo = deployRepository(this.repoPart);
    this.repository = `${registry.address}/${this.registryRepo}`;
    this.ref = `${this.repository}:${this.tag}`;
    this.current = req.imageTag;
  }

  /** A step that fails stops this variant's deploy with a warning; an engine gone is the run's problem. */
  private async step(what: () => Promise<void>): Promise<void> {
    if (this.stopped || this.interrupted) return;
    try {
      await what();
    } catch (err) {
      if (err instanceof EngineUnreachableError) throw err;
      // A step cut short by Ctrl-C says nothing about the image: the rounds before it stand.
      if (this.signal.aborted) this.interrupted = true;
      else this.stop(`deploy not measured: ${errorMessage(err)}`);
    }
  }

  private stop(warning: string): void {
    this.stopped = true;
    this.warnings.push(warning);
  }

  push(): Promise<void> {
    return this.step(async () => {
      await this.engine.tag(this.req.imageId, this.repository, this.tag);
      await this.engine.pushToLoopback(this.repository, this.tag, this.signal);
      // A pull while the image is still here (it fetches nothing new): an engine that cannot pull from the
      // registry (TLS asked of plain HTTP, say) fails now, before anything is removed.
      await this.engine.pullFromLoopback(this.repository, this.tag, this.signal);
      this.manifest = await this.registry.manifest(this.registryRepo, this.tag);
      this.layers = deployLayers(this.manifest, this.req.diffIds, this.req.baseDiffIds);
    });
  }

  round(round: number): Promise<void> {
    return this.step(async () => {
      const { engine, registry, req, manifest, repoPart, registryRepo } = this;
      if (!manifest || this.signal.aborted) return;
      // Each round pulls a copy whose own layers have digests the engine has never seen: it downloads and unpacks
      // them as a host with only the base would, whatever its caches and other images still hold.
      const own = this.layers.filter((l) => !l.inBase).map((l) => l.digest);
      const copy = `${this.tag}-d${round}`;
      const renamed = await registry.republish(registryRepo, this.tag, copy, own, freshStamp());
      const kept = own.filter((d) => !renamed.has(d));
      if (round === 0 && kept.length > 0) this.warnings.push(`deploy: ${kept.length} of the image's own layers are not gzip, so their digests could not be made new: an engine holding them does not fetch them`);
      for (const r of new Set([req.imageTag, this.ref, this.current])) await engine.removeReference(r);
      if (await engine.hasImage(req.imageId)) {
        // Nothing was removed for good: the image is still there under another tag; give it the run's back.
        await engine.tag(req.imageId, repoPart, this.tag);
        this.current = req.imageTag;
        const tags = await engine.inspect(req.imageId).then(
          (facts) => (facts.tags ?? []).filter((t) => t !== req.imageTag),
          (err: unknown) => {
            if (err instanceof EngineUnreachableError) throw err;
            return [];
          },
        );
        return this.stop(stillHeldWarning(tags, runOfTag(req.imageTag)));
      }
      const mark = registry.accessLog().length;
      this.current = `${this.repository}:${copy}`;
      const t0 = performance.now();
      await engine.pullFromLoopback(this.repository, copy, this.signal);
      const pullMs = Math.round(performance.now() - t0);
      const got = fetchedBlobs(registry.accessLog().slice(mark), registryRepo);
      // Which of the pushed blobs this pull downloaded, named by their pushed digests.
      const thisRound = new Set([manifest.config.digest, ...this.layers.map((l) => l.digest)].filter((d) => got.has(renamed.get(d) ?? d)));
      const smoke = await smokeCheck(engine, this.current, req.smoke, req.labels, this.signal);
      if (this.signal.aborted) return void (this.interrupted = true);
      if (smoke.status === 'failed') return this.stop(`deploy not measured: the pulled image's smoke check failed: ${smoke.reason ?? ''}`);
      if (round < req.warmup) return;
      if (this.pulls.length > 0 && !sameSet(this.fetched, thisRound)) this.warnings.push(`deploy: round ${round + 1} fetched other blobs than the round before (${thisRound.size} vs ${this.fetched.size})`);
      this.fetched = thisRound;
      this.pulls.push(pullMs);
      this.starts.push(smoke.ms);
    });
  }

  /**
   * The figures (none when a step failed or no round was timed; after Ctrl-C, those of the rounds timed before it),
   * after putting the run's tag back.
   */
  async finish(): Promise<Deploy | undefined> {
    await this.restore().catch((err: unknown) => {
      if (err instanceof EngineUnreachableError) throw err;
      this.warnings.push(`deploy: could not put the run's tag back on the image: ${errorMessage(err)}`);
    });
    const { manifest, pulls, starts } = this;
    if (this.stopped || !manifest || pulls.length === 0) return undefined;
    const layers = this.layers.map((l) => ({ ...l, fetched: this.fetched.has(l.digest) }));
    const fetchedBytes = (this.fetched.has(manifest.config.digest) ? manifest.config.size : 0) + layers.filter((l) => l.fetched).reduce((n, l) => n + l.bytes, 0);
    const withBaseBytes = downloadBytes(manifest, layers, true);
    const withoutBaseBytes = downloadBytes(manifest, layers, false);
    const held = layers.filter((l) => !l.inBase && !l.fetched);
    if (held.length > 0) {
      this.warnings.push(
        `deploy: the engine did not fetch ${held.length} of the image's layers that its base has not, even under new digests (it recognised their content), ` +
          `so the timed pull fetched ${fetchedBytes} B, not the ${withBaseBytes} B a host with only the base downloads: its time is that of a host holding them (withBaseBytes and downloadMs are exact either way)`,
      );
    }
    const pull = stat(pulls);
    const start = stat(starts);
    const total = stat(pulls.map((p, i) => p + starts[i]!));
    // One spread warning, on the figure the table shows: pull + start.
    const spread = total.stats ? spreadWarning(total.stats) : undefined;
    if (spread) this.warnings.push(`deploy time: ${spread}`);
    const rate = this.req.bitsPerSecond;
    return {
      configBytes: manifest.config.size,
      layers,
      withBaseBytes,
      withoutBaseBytes,
      fetchedBytes,
      pullMs: pull.ms,
      ...(pull.stats ? { pullSamples: pulls, pullStats: pull.stats } : {}),
      startMs: start.ms,
      ...(start.stats ? { startSamples: starts, startStats: start.stats } : {}),
      deployMs: total.ms,
      ...(total.stats ? { deploySamples: pulls.map((p, i) => p + starts[i]!), deployStats: total.stats } : {}),
      ...(rate ? { downloadMs: { withBase: downloadMs(withBaseBytes, rate), withoutBase: downloadMs(withoutBaseBytes, rate) } } : {}),
    };
  }

  /**
   * The run's tag back on the image as pushed, then the registry references off it: the engine holds what it held
   * before. The image is pulled back by its pushed reference (not timed; on a graph-driver store a no-op): on the
   * containerd store an image's id is its manifest's digest, which the round's copy does not share.
   */
  private async restore(): Promise<void> {
    const { engine, req } = this;
    if (this.current !== req.imageTag) {
      const source = await engine.pullFromLoopback(this.repository, this.tag).then(
        () => this.ref,
        (err: unknown) => {
          if (err instanceof EngineUnreachableError) throw err;
          this.warnings.push(`deploy: the pushed image could not be pulled back (${errorMessage(err)}); the run's tag is on the last round's copy`);
          return this.current;
        },
      );
      if (await engine.hasImage(source)) await engine.tag(source, this.repoPart, this.tag);
    }
    for (const other of new Set([this.ref, this.current])) if (other !== req.imageTag) await engine.removeReference(other);
    if (!(await engine.hasImage(req.imageTag))) this.warnings.push('deploy: the image is no longer on the engine (its pull failed after it was removed)');
  }
}

/**
 * Why a variant's image is still on the engine once this run's references to it are gone, naming the tags that
 * hold it and the fix for each. Images carry no run id, so a variant that builds as an earlier --keep-images run's
 * did (a cached rebuild keeps its image id) is that run's image.
 */
function stillHeldWarning(tags: string[], runId: string | undefined): string {
  const head = "deploy not measured: the image is still on the engine after removing this run's references to it";
  if (tags.length === 0) return `${head}, held by something the engine lists no tag for (a container of it?): remove that and run again`;
  const why = tags.map((tag) => {
    const run = runOfTag(tag);
    if (run !== undefined && run === runId) return `${tag}, a variant of this run built identically (one image: neither deploy can remove it)`;
    if (run !== undefined) return `${tag}, kept by run ${run} (\`stagebench clean ${run}\` removes it)`;
    return `${tag} (remove that tag, e.g. \`docker rmi ${tag}\`)`;
  });
  return `${head}: ${tags.length === 1 ? 'another tag holds' : 'other tags hold'} it: ${why.join('; ')}`;
}

/** Median (rounded) and, with several samples, their statistics. */
function stat(samples: number[]) {
  const stats = summarize(samples);
  return { ms: Math.round(stats.median), ...(samples.length > 1 ? { stats } : {}) };
}

/** "stagebench/hello:single-<run>" -> ["stagebench/hello", "single-<run>"]. */
function splitTag(ref: string): [string, string] {
  const at = ref.lastIndexOf(':');
  return [ref.slice(0, at), ref.slice(at + 1)];
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((k) => b.has(k));

/**
 * A gzip MTIME for a round's copy: random, so no earlier run's copy (whose digests the engine has learnt by
 * pulling them) has it; never 0, what pushes write.
 */
const freshStamp = () => randomBytes(4).readUInt32LE() || 1;
