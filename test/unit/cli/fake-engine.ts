import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { BuildOutcome, BuildRequest, Engine, EngineFacts, ImageFacts, RunMade, SmokeRequest } from '../../../harness/engine/engine.js';
import type { AccessLine } from '../../../harness/measure/deploy-bytes.js';
import type { DeployRegistry } from '../../../harness/measure/registry.js';
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
  /** Image ids on the engine before a run (imageIds()). */
  imagesBefore?: string[];
  /** The loopback registry pushes go to and pulls come from (--deploy); fakeRegistry() below. */
  registry?: FakeRegistry;
  /** Pushes to the registry are refused, as a registry that is full or read-only refuses them. */
  pushFails?: boolean;
  /** Pulls from the loopback registry fail, as Podman's asking a plain-HTTP registry for TLS does. */
  loopbackPullFails?: boolean;
  /** Layers (DiffIDs) the engine recognises by their content even under a new blob digest, so never fetches. */
  heldLayers?: string[];
  /** References something else holds (an earlier kept run, the user) on the image a Dockerfile builds: reference -> Dockerfile name. */
  alsoTagged?: Record<string, string>;
}

export interface FakeEngine extends Engine {
  builds: BuildRequest[];
  pulls: string[];
  cleanups: { made: RunMade; before: ReadonlySet<string>; label?: [string, string]; keep?: string[] }[];
  containers: SmokeRequest[];
  /** Image references present now (tag -> image id): what a build tags, tag() adds and removeReference() takes away. */
  refs: Map<string, string>;
}

/**
 * The Engine seam for tests: every build succeeds in 5 ms with a size per Dockerfile unless told otherwise,
 * and every call is recorded.
 */
export function fakeEngine(opts: FakeEngineOptions = {}): FakeEngine {
  const sizes = { ...SIZES, ...opts.sizes };
  const missing = new Set(opts.missing);
  /** Image ids the fake built: present while a reference holds them. */
  const built = new Set<string>();
  const sizeOf = (id: string) => sizes[id.replace('sha256:', '')] ?? 1_000_000;
  const engine: FakeEngine = {
    builds: [],
    pulls: [],
    cleanups: [],
    containers: [],
    refs: new Map(),
    facts: async () => {
      if (opts.facts instanceof Error) throw opts.facts;
      return opts.facts ?? FAKE_FACTS;
    },
    hasImage: async (ref) => (ref.startsWith('sha256:') ? [...engine.refs.values()].includes(ref) || !built.has(ref) : engine.refs.has(ref) || (!ref.includes(':5999/') && !ref.startsWith('stagebench/') && !missing.has(ref))),
    tag: async (image, repository, tag) => {
      const id = image.startsWith('sha256:') ? image : engine.refs.get(image);
      if (!id) throw new Error(`No such image: ${image}`);
      engine.refs.set(`${repository}:${tag}`, id);
    },
    pushToLoopback: async (repository, tag) => {
      if (opts.pushFails) throw new Error(`the push of ${repository}:${tag} failed: received unexpected HTTP status: 507 Insufficient Storage`);
      const id = engine.refs.get(`${repository}:${tag}`)!;
      opts.registry!.push(repository.slice(repository.indexOf('/') + 1), tag, id, diffIdsOf(id));
    },
    pullFromLoopback: async (repository, tag) => {
      if (opts.loopbackPullFails) throw new Error(`the pull of ${repository}:${tag} failed: http: server gave HTTP response to HTTPS client`);
      const id = opts.registry!.pull(repository.slice(repository.indexOf('/') + 1), tag, new Set(opts.heldLayers));
      engine.refs.set(`${repository}:${tag}`, id);
    },
    removeReference: async (ref) => {
      engine.refs.delete(ref);
    },
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
      built.add(id);
      engine.refs.set(req.tag, id);
      for (const [ref, dockerfile] of Object.entries(opts.alsoTagged ?? {})) if (dockerfile === req.dockerfile) engine.refs.set(ref, id);
      return { ...base, imageId: id, buildMs: 5 };
    },
    inspect: async (id: string) => ({ id, sizeBytes: sizeOf(id), layerCount: 2, diffIds: id.startsWith('sha256:') ? diffIdsOf(id) : ['sha256:base'], historyCount: 3, history: opts.history?.[id] ?? [], tags: [...engine.refs].filter(([, held]) => held === id).map(([ref]) => ref) }),
    startContainer: async (req) => {
      engine.containers.push(req);
      if (opts.smokeExit === undefined) throw new Error('the fake engine runs no containers: pass --no-smoke');
      return { exited: Promise.resolve(opts.smokeExit), logTail: async () => ['fake log'], remove: async () => undefined };
    },
    pathsPresent: async (_image: string, paths: string[]) => new Set(paths.filter((p) => opts.present?.includes(p))),
    diskUsage: async () => new Map(),
    exportImage: async (id: string) => Readable.from(await exportOf([[], PACKAGES[id.replace('sha256:', '')] ?? []])),
    listLabelled: async () => [],
    imageIds: async () => opts.imagesBefore ?? [],
    cleanup: async (made, before, label, keep) => {
      engine.cleanups.push({ made, before, ...(label ? { label } : {}), ...(keep?.length ? { keep } : {}) });
      return opts.cleanupProblems ?? [];
    },
  };
  return engine;
}

/** A loopback registry in memory: pushed manifests, and an access log a pull appends its blob downloads to. */
export interface FakeRegistry extends DeployRegistry {
  push(repository: string, tag: string, imageId: string, diffIds: string[]): void;
  /** Logs a GET of the config and of every layer blob the engine does not know; returns the image id. */
  pull(repository: string, tag: string, held: Set<string>): string;
  stopped: boolean;
}

/** Compressed sizes of the fake layers: the base's 1000 B, every other 234 B; configs 100 B. */
export const FAKE_BLOB = { base: 1000, own: 234, config: 100 };

export function fakeRegistry(): FakeRegistry {
  const log: AccessLine[] = [];
  type Layer = { digest: string; diffId: string; size: number; renamed: boolean };
  const pushed = new Map<string, { id: string; layers: Layer[] }>();
  const registry: FakeRegistry = {
    address: '127.0.0.1:5999',
    version: 'docker-registry 2.8.2+ds1',
    stopped: false,
    accessLog: () => log,
    manifest: async (repository, tag) => {
      const image = pushed.get(`${repository}:${tag}`);
      if (!image) throw new Error(`the loopback registry answered GET ${repository}:${tag} with HTTP 404`);
      return { config: { digest: image.id, size: FAKE_BLOB.config }, layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })) };
    },
    republish: async (repository, from, to, digests, stamp) => {
      const image = pushed.get(`${repository}:${from}`)!;
      const renamed = new Map(digests.map((d) => [d, `${d}-${stamp}`]));
      pushed.set(`${repository}:${to}`, { id: image.id, layers: image.layers.map((l) => (renamed.has(l.digest) ? { ...l, digest: renamed.get(l.digest)!, renamed: true } : l)) });
      return renamed;
    },
    stop: async () => {
      registry.stopped = true;
    },
    push: (repository, tag, id, diffIds) =>
      void pushed.set(`${repository}:${tag}`, {
        id,
        layers: diffIds.map((d) => ({ digest: `sha256:blob-${d.replace('sha256:', '')}`, diffId: d, size: d === 'sha256:base' ? FAKE_BLOB.base : FAKE_BLOB.own, renamed: false })),
      }),
    pull: (repository, tag, held) => {
      const image = pushed.get(`${repository}:${tag}`)!;
      log.push({ method: 'GET', path: `/v2/${repository}/manifests/${tag}`, status: 200, bytes: 1000 });
      log.push({ method: 'GET', path: `/v2/${repository}/blobs/${image.id}`, status: 200, bytes: FAKE_BLOB.config });
      for (const l of image.layers) {
        // The engine knows a layer by its pushed digest, and, for those in `held`, by its content as well.
        const known = (l.diffId === 'sha256:base' && !l.renamed) || held.has(l.diffId);
        if (!known) log.push({ method: 'GET', path: `/v2/${repository}/blobs/${l.digest}`, status: 200, bytes: l.size });
      }
      return image.id;
    },
  };
  return registry;
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
