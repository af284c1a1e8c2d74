import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { BuildOutcome, BuildRequest, Engine, EngineFacts, ImageFacts, SmokeRequest } from '../../../harness/engine/engine.js';
import type { Failure } from '../../../harness/results/schema.js';

export const FAKE_FACTS: EngineFacts = { kind: 'docker', serverVersion: '20.10.24', apiVersion: '1.41', storageDriver: 'overlay2', imageStore: 'graphdriver', os: 'linux', arch: 'amd64', ncpu: 2, kernelVersion: 'k' };

/** Size per Dockerfile name, so every variant gets its own plausible figure. */
const SIZES: Record<string, number> = { 'Dockerfile.single': 300_000_000, Dockerfile: 80_000_000, 'Dockerfile.scratch': 5_000_000 };

export interface FakeEngineOptions {
  /** The paths that `contains` finds in every image. */
  present?: string[];
  /** Sizes per Dockerfile name, over the defaults above. */
  sizes?: Record<string, number>;
  /** Builds of these Dockerfiles fail as the build stream would say. */
  failBuild?: Record<string, Failure>;
  /** Images the engine does not have: pulled when asked, unless also in pullFails. */
  missing?: string[];
  pullFails?: string[];
  /** History (oldest first) per image id or base reference; inspect reports it. */
  history?: Record<string, ImageFacts['history']>;
  /** What facts() answers, or throws. */
  facts?: EngineFacts | Error;
  /** Runs inside every build, e.g. to interrupt it; a build whose signal is then aborted fails as the engine's does. */
  duringBuild?: (req: BuildRequest) => void | Promise<void>;
  /** Smoke containers exit with this status at once (none given: they are refused). */
  smokeExit?: number;
  cleanupProblems?: string[];
}

export interface FakeEngine extends Engine {
  builds: BuildRequest[];
  pulls: string[];
  cleanups: { made: { containers: string[]; images: string[] }; since: number; label?: [string, string]; keep?: string[] }[];
  containers: SmokeRequest[];
}

/**
 * The Engine seam for tests: every build succeeds in 5 ms with a size per Dockerfile unless told otherwise,
 * and every call is recorded.
 */
export function fakeEngine(opts: FakeEngineOptions = {}): FakeEngine {
  const sizes = { ...SIZES, ...opts.sizes };
  const missing = new Set(opts.missing);
  const sizeOf = (id: string) => sizes[id.replace('sha256:', '')] ?? 1_000_000;
  const engine: FakeEngine = {
    builds: [],
    pulls: [],
    cleanups: [],
    containers: [],
    facts: async () => {
      if (opts.facts instanceof Error) throw opts.facts;
      return opts.facts ?? FAKE_FACTS;
    },
    hasImage: async (ref) => !missing.has(ref),
    pull: async (ref) => {
      engine.pulls.push(ref);
      if (opts.pullFails?.includes(ref)) throw new Error(`pull access denied for ${ref}`);
      missing.delete(ref);
    },
    build: async (req: BuildRequest): Promise<BuildOutcome> => {
      engine.builds.push(req);
      await opts.duringBuild?.(req);
      const id = `sha256:${req.dockerfile}`;
      const base = { auxIds: [id], intermediateIds: [], containerIds: [], steps: [{ name: 'FROM x', cached: true }], warnings: [] };
      if (req.signal?.aborted) return { ...base, failure: { message: 'interrupted: the build was cancelled', logTail: [] } };
      const failure = opts.failBuild?.[req.dockerfile];
      if (failure) return { ...base, auxIds: [], failure };
      return { ...base, imageId: id, buildMs: 5 };
    },
    inspect: async (id: string) => ({ id, sizeBytes: sizeOf(id), layerCount: 2, diffIds: diffIdsOf(id), historyCount: 3, history: opts.history?.[id] ?? [] }),
    startContainer: async (req) => {
      engine.containers.push(req);
      if (opts.smokeExit === undefined) throw new Error('the fake engine runs no containers: pass --no-smoke');
      return { exited: Promise.resolve(opts.smokeExit), logTail: async () => ['fake log'], remove: async () => undefined };
    },
    pathsPresent: async (_image: string, paths: string[]) => new Set(paths.filter((p) => opts.present?.includes(p))),
    diskUsage: async () => new Map(),
    exportImage: async (id: string) => Readable.from(await exportOf([[], PACKAGES[id.replace('sha256:', '')] ?? []])),
    listLabelled: async () => [],
    cleanup: async (made, since, label, keep) => {
      engine.cleanups.push({ made, since, ...(label ? { label } : {}), ...(keep?.length ? { keep } : {}) });
      return opts.cleanupProblems ?? [];
    },
  };
  return engine;
}

/** A shared base layer and one layer of the variant's own. */
const diffIdsOf = (id: string) => ['sha256:base', `sha256:app-of-${id.replace('sha256:', '')}`];

/** npm packages per Dockerfile: the one-stage image keeps its build tools. */
const PACKAGES: Record<string, string[]> = { 'Dockerfile.single': ['express@5.3.0', 'typescript@5.9.3', 'esbuild@0.28.2'], Dockerfile: ['express@5.3.0'] };

/** A tar of the entries, built in memory. */
async function tarOf(entries: [name: string, content: string | Buffer][]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const [name, content] of entries) pack.entry({ name }, content);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** An image export in the classic layout: one layer.tar per layer, each holding the npm packages given. */
async function exportOf(layers: string[][]): Promise<Buffer> {
  const files: [string, Buffer][] = [];
  for (const [i, npm] of layers.entries()) {
    const name = (p: string) => p.slice(0, p.lastIndexOf('@'));
    files.push([`${i}/layer.tar`, await tarOf(npm.map((p) => [`app/node_modules/${name(p)}/package.json`, JSON.stringify({ name: name(p), version: p.slice(p.lastIndexOf('@') + 1) })]))]);
  }
  return tarOf([['config.json', '{}'], ...files, ['manifest.json', JSON.stringify([{ Config: 'config.json', Layers: files.map(([name]) => name) }])]]);
}
