import type { Profile } from '../config/schemas.js';
import type { RecordCache } from '../engine/layer-cache.js';
import type { Progress } from '../progress.js';
import type { DeployRegistry } from './registry.js';
import type { Builder, CacheMode, Results } from '../results/schema.js';
import type { Scenario } from '../scenarios/scenario.js';

/** How every variant is built and measured: what `stagebench run`'s flags set, parsed straight into this. */
export interface MeasureOptions {
  builder: Builder;
  keepImages: boolean;
  smoke: boolean;
  noCache: boolean;
  /** Timed builds per variant, and untimed builds before them; variants are interleaved round by round. */
  runs: number;
  warmup: number;
  /** Cache modes to build every variant in, each round, in this order; empty: as configured. */
  modes: CacheMode[];
  /** Measure the compressed (pull) size of every image; costs a gzip of every layer not measured before. */
  compressed: boolean;
  /** Read every image's files for wasted bytes, efficiency and the package inventory; costs a read of every new layer. */
  files: boolean;
  /** Variants built at once (--jobs, size-only runs: one build per variant); 1: one at a time, timed cleanly. */
  jobs: number;
  /** Keep per-layer pull sizes between runs, in `layerCacheDir` (--no-layer-cache: this run only). */
  layerCache: boolean;
  /** --deploy: push, remove, pull and start each variant with a smoke check, through a loopback registry. */
  deploy: boolean;
  /** --bandwidth (with --deploy): the download time of the exact deploy bytes at this rate. */
  bandwidth?: { text: string; bitsPerSecond: number };
}

export interface BenchOptions extends MeasureOptions {
  scenarios: Scenario[];
  profile?: { name: string } & Profile;
  /** Which scenarios were asked for (recorded, so a comparison can tell left out from missing). */
  selection?: Results['selection'];
  git: Results['git'];
  toolVersion: string;
  signal: AbortSignal;
  /**
   * Absolute paths this run writes (the --out folder, the --report file): never sent in a build context they lie
   * in (engine/build-context.ts), since they are not the user's source and change with every run.
   */
  ownOutput?: string[];
  /** This process's id, the run id's suffix: `clean` leaves a run alone while its process lives. */
  pid?: number;
  progress: Progress;
  /** With --deploy: the loopback registry the CLI started (measure/registry.ts). */
  registry?: DeployRegistry;
  /** The layer cache kept between runs (the CLI's: output/record-files.ts); used unless `layerCache` is false. */
  layerRecords?: RecordCache;
  /**
   * Keeps the results so far: called after every scenario and once at the end. A rejection ends the run
   * (after clean-up). The CLI writes the results JSON and Markdown here.
   */
  save(results: Results): Promise<void>;
}
