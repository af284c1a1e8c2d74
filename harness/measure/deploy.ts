import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Smoke } from '../config/schemas.js';
import type { Engine } from '../engine/engine.js';
import { EngineUnreachableError, errorMessage } from '../errors.js';
import type { VariantResult } from '../results/schema.js';
import { spreadWarning, summarize } from '../stats/summary.js';
import { deployLayers, downloadBytes, downloadMs, fetchedBlobs } from './deploy-bytes.js';
import type { DeployRegistry } from './registry.js';
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
  labels: Record<string, string>;
  rounds: { runs: number; warmup: number };
  bitsPerSecond?: number;
}

/**
 * The lesson's "faster deployments", measured: push the image to the loopback registry, then each round publish
 * a copy whose layers above the base have new digests (registry.republish), remove the image from the engine
 * (only this run's references to it; the base stays, as on a host that has it), pull the copy (timed: download
 * and unpack) and start it to the first passing smoke check (timed, as startMs). The registry's access log says
 * which blobs the pull fetched; the manifest gives their exact compressed sizes. Afterwards the pulled image
 * carries the run's tag again, so clean-up and --keep-images see what they saw before.
 *
 * Never throws for the image's sake: a push or pull that fails leaves the deploy figures out with a warning.
 */
export async function deployRounds(engine: Engine, registry: DeployRegistry, req: DeployRequest, signal: AbortSignal): Promise<{ deploy?: Deploy; warnings: string[] }> {
  const warnings: string[] = [];
  const [repoPart, tag] = splitTag(req.imageTag);
  const repository = `${registry.address}/${repoPart}`;
  const ref = `${repository}:${tag}`;
  // The reference the engine holds the image under now: the run's tag until the first round, then the round's copy.
  let current = req.imageTag;
  const restore = async () => {
    // The run's tag back on the image, then the registry references off it: the engine holds what it held before.
    if (current !== req.imageTag && (await engine.hasImage(current))) await engine.tag(current, repoPart, tag);
    for (const other of new Set([ref, current])) if (other !== req.imageTag) await engine.removeReference(other);
    if (!(await engine.hasImage(req.imageTag))) warnings.push('deploy: the image is no longer on the engine (its pull failed after it was removed)');
  };
  try {
    await engine.tag(req.imageId, repository, tag);
    try {
      await engine.pushToLoopback(repository, tag, signal);
    } catch (err) {
      warnings.push(`deploy not measured: ${errorMessage(err)}`);
      return { warnings };
    }
    const manifest = await registry.manifest(repoPart, tag);
    const layers = deployLayers(manifest, req.diffIds, req.baseDiffIds);
    const own = layers.filter((l) => !l.inBase).map((l) => l.digest);
    const pulls: number[] = [];
    const starts: number[] = [];
    let fetched = new Set<string>();
    for (let round = 0; round < req.rounds.warmup + req.rounds.runs && !signal.aborted; round++) {
      // Each round pulls a copy whose own layers have digests the engine has never seen (not timed): it
      // downloads and unpacks them as a host with only the base would, whatever its caches still hold.
      const copy = `${tag}-d${round}`;
      const renamed = await registry.republish(repoPart, tag, copy, own, freshStamp());
      const kept = own.filter((d) => !renamed.has(d));
      if (round === 0 && kept.length > 0) warnings.push(`deploy: ${kept.length} of the image's own layers are not gzip, so their digests could not be made new: an engine holding them does not fetch them`);
      await engine.removeReference(req.imageTag);
      await engine.removeReference(ref);
      await engine.removeReference(current);
      if (await engine.hasImage(req.imageId)) {
        warnings.push('deploy not measured: the image is still on the engine after removing this run\'s references to it (another tag holds the same image, e.g. a variant built identically)');
        // Nothing was removed for good: the image is still there under its other tag; give it the run's back.
        await engine.tag(req.imageId, repoPart, tag);
        current = req.imageTag;
        return { warnings };
      }
      const mark = registry.accessLog().length;
      const t0 = performance.now();
      current = `${repository}:${copy}`;
      await engine.pullFromLoopback(repository, copy, signal);
      const pullMs = Math.round(performance.now() - t0);
      const got = fetchedBlobs(registry.accessLog().slice(mark), repoPart);
      // Which of the pushed blobs this pull downloaded, named by their pushed digests.
      const thisRound = new Set([manifest.config.digest, ...layers.map((l) => l.digest)].filter((d) => got.has(renamed.get(d) ?? d)));
      const smoke = await smokeCheck(engine, current, req.smoke, req.labels, signal);
      if (signal.aborted) return { warnings };
      if (smoke.status === 'failed') {
        warnings.push(`deploy not measured: the pulled image's smoke check failed: ${smoke.reason ?? ''}`);
        return { warnings };
      }
      if (round < req.rounds.warmup) continue;
      if (pulls.length > 0 && !sameSet(fetched, thisRound)) warnings.push(`deploy: round ${round + 1} fetched other blobs than the round before (${thisRound.size} vs ${fetched.size})`);
      fetched = thisRound;
      pulls.push(pullMs);
      starts.push(smoke.ms);
    }
    if (pulls.length === 0) return { warnings };
    const fetchedLayers = layers.map((l) => ({ ...l, fetched: fetched.has(l.digest) }));
    const fetchedBytes = (fetched.has(manifest.config.digest) ? manifest.config.size : 0) + fetchedLayers.filter((l) => l.fetched).reduce((n, l) => n + l.bytes, 0);
    const withBaseBytes = downloadBytes(manifest, layers, true);
    const held = fetchedLayers.filter((l) => !l.inBase && !l.fetched);
    if (held.length > 0) {
      warnings.push(
        `deploy: the engine did not fetch ${held.length} of the image's layers that its base has not, even under new digests (it recognised their content), ` +
          `so the timed pull fetched ${fetchedBytes} B, not the ${withBaseBytes} B a host with only the base downloads: its time is that of a host holding them (withBaseBytes and downloadMs are exact either way)`,
      );
    }
    const deploys = pulls.map((p, i) => p + starts[i]!);
    const stat = (samples: number[]) => {
      const stats = summarize(samples);
      return { ms: Math.round(stats.median), ...(samples.length > 1 ? { samples, stats } : {}) };
    };
    const pull = stat(pulls);
    const start = stat(starts);
    const total = stat(deploys);
    // One spread warning, on the figure the table shows: pull + start.
    const spread = total.stats ? spreadWarning(total.stats) : undefined;
    if (spread) warnings.push(`deploy time: ${spread}`);
    const withoutBaseBytes = downloadBytes(manifest, layers, false);
    return {
      warnings,
      deploy: {
        configBytes: manifest.config.size,
        layers: fetchedLayers,
        withBaseBytes,
        withoutBaseBytes,
        fetchedBytes,
        pullMs: pull.ms,
        ...(pull.samples ? { pullSamples: pull.samples, pullStats: pull.stats } : {}),
        startMs: start.ms,
        ...(start.samples ? { startSamples: start.samples, startStats: start.stats } : {}),
        deployMs: total.ms,
        ...(total.samples ? { deploySamples: total.samples, deployStats: total.stats } : {}),
        ...(req.bitsPerSecond ? { downloadMs: { withBase: downloadMs(withBaseBytes, req.bitsPerSecond), withoutBase: downloadMs(withoutBaseBytes, req.bitsPerSecond) } } : {}),
      },
    };
  } catch (err) {
    if (err instanceof EngineUnreachableError) throw err;
    if (signal.aborted) return { warnings };
    warnings.push(`deploy not measured: ${errorMessage(err)}`);
    return { warnings };
  } finally {
    await restore().catch((err: unknown) => warnings.push(`deploy: could not put the run's tag back on the image: ${errorMessage(err)}`));
  }
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
