import { z } from 'zod';
import { BUILDERS, CACHE_MODES } from './enums.js';

/**
 * Bumped on any change a reader of older files must know about. 2: start-up time (startMs, startSamples,
 * startStats; with --runs the smoke check runs once per round), per-layer digests and sizes (rootLayers,
 * configBytes), wasted bytes and efficiency, packages, and comparisons[].afterSingleBytes. A version-1 file
 * is a version-2 file without them and is read as one (README, "The results JSON").
 */
export const SCHEMA_VERSION = 2;
/**
 * The variant the others were compared with in every file written before scenarios[].reference existed: the
 * lesson scenarios' one-stage Dockerfile; still the default reference of a scenario that has it.
 */
export const LESSON_REFERENCE = 'single';
/** The versions this stagebench reads. */
export const READABLE_VERSIONS = [1, 2] as const;

/** The names the rest of the code uses for these values; each is defined once, here. */
export const CacheModeSchema = z.enum(CACHE_MODES);
export const BuilderSchema = z.enum(BUILDERS);
export const VariantStatusSchema = z.enum(['ok', 'failed']);
export const RunStatusSchema = z.enum(['complete', 'running', 'interrupted', 'error']);
/** Docker, or Podman's Docker-compatible API (which builds with buildah). */
export const EngineKindSchema = z.enum(['docker', 'podman']);
/** graphdriver: Docker's classic store; containerd: Docker's containerd image store, whose Size means something else; containers-storage: Podman's. */
export const ImageStoreSchema = z.enum(['graphdriver', 'containerd', 'containers-storage']);
/** The builder that really ran: buildah on Podman whatever --builder asked. */
export const BuilderUsedSchema = z.enum(['buildkit', 'classic', 'buildah']);
export const NetworkSchema = z.enum(['default', 'host', 'none']);
export type CacheMode = z.infer<typeof CacheModeSchema>;
export type Builder = z.infer<typeof BuilderSchema>;
export type VariantStatus = z.infer<typeof VariantStatusSchema>;
export type RunStatus = z.infer<typeof RunStatusSchema>;
export type EngineKind = z.infer<typeof EngineKindSchema>;
/** Results written before engines were told apart came from Docker. */
export const kindOf = (e: { kind?: EngineKind }): EngineKind => e.kind ?? 'docker';
export type ImageStore = z.infer<typeof ImageStoreSchema>;
export type BuilderUsed = z.infer<typeof BuilderUsedSchema>;
export type Network = z.infer<typeof NetworkSchema>;

const bytes = z.int().min(0).describe('bytes');
const ms = z.int().min(0).describe('milliseconds');

const SummarySchema = z.strictObject({
  n: z.int().min(1),
  median: z.number(),
  mean: z.number(),
  stddev: z.number(),
  min: z.number(),
  max: z.number(),
  mad: z.number().describe('median absolute deviation, unscaled'),
  outliers: z.array(z.int()).describe('indices into the timed samples with a modified z-score above 3.5'),
});

export const FailureSchema = z.strictObject({
  step: z.string().optional().describe('the Dockerfile step that failed, as the builder named it'),
  message: z.string(),
  exitCode: z.int().optional().describe('exit status of the failing RUN, when there was one'),
  logTail: z.array(z.string()).describe('the last lines the failing step printed'),
});

export const SmokeResultSchema = z.strictObject({
  status: z.enum(['ok', 'failed']),
  check: z.string().describe('what was checked, e.g. "GET http://127.0.0.1:40123/healthz"'),
  ms: ms.describe('from container start to the check passing or failing'),
  reason: z.string().optional(),
  logTail: z.array(z.string()).optional(),
});

export const DeploySchema = z.strictObject({
  configBytes: bytes.describe('the image config blob as pushed'),
  layers: z
    .array(
      z.strictObject({
        digest: z.string().describe('the layer blob in the registry'),
        bytes: bytes.describe('its compressed size, from the pushed manifest'),
        inBase: z.boolean().describe('the final stage\'s FROM image holds it: a host with the base does not download it'),
        fetched: z.boolean().describe('the timed pulls downloaded it (the registry\'s access log)'),
      }),
    )
    .describe('the pushed manifest\'s layers, in image order'),
  withBaseBytes: bytes.describe('config + the layers not in the base: what a host that has the base downloads (exact, from the manifest)'),
  withoutBaseBytes: bytes.describe('config + every layer: what a host with nothing downloads'),
  fetchedBytes: bytes.describe('config and layer blobs the timed pulls really downloaded from the registry (equals withBaseBytes unless the engine recognised a layer by its content under a new digest)'),
  pullMs: ms.describe('median time of the pull (download and unpack) from the loopback registry'),
  pullSamples: z.array(ms).optional(),
  pullStats: SummarySchema.optional(),
  startMs: ms.describe('median time from container create to the first passing smoke check, right after the pull'),
  startSamples: z.array(ms).optional(),
  startStats: SummarySchema.optional(),
  deployMs: ms.describe('median of pull + start per round'),
  deploySamples: z.array(ms).optional(),
  deployStats: SummarySchema.optional(),
  downloadMs: z
    .strictObject({ withBase: ms, withoutBase: ms })
    .optional()
    .describe('with --bandwidth: withBaseBytes and withoutBaseBytes at that rate (computed, not timed)'),
});

export const VariantResultSchema = z.strictObject({
  id: z.string(),
  dockerfile: z.string(),
  status: VariantStatusSchema,
  buildArgs: z.record(z.string(), z.string()).describe('build args sent, after profile and scenario.json'),
  target: z.string().optional(),
  network: NetworkSchema.optional(),
  baseImages: z.array(z.string()).describe('images the final stage starts FROM or copies from, ARGs expanded'),
  pullMs: ms.optional().describe('time spent pulling missing base images before the build; never part of buildMs'),
  imageId: z.string().optional(),
  imageTag: z.string().optional(),
  sizeBytes: bytes.optional().describe('unpacked bytes of all layers, base included (see methods.sizeBytes for each image store)'),
  storedContentBytes: bytes
    .optional()
    .describe('containerd image store only: GET /images/{id}/json Size, the image content as stored (manifest, config and layer blobs, compressed for built layers)'),
  layerCount: z.int().min(0).optional(),
  historyCount: z.int().min(0).optional(),
  buildMs: ms.optional().describe('the median of the timed samples when there are several'),
  samples: z
    .array(z.strictObject({ buildMs: ms, sizeBytes: bytes, warmup: z.boolean(), mode: CacheModeSchema.optional() }))
    .optional()
    .describe('every build of the variant in this run, warm-ups included, when there was more than one'),
  buildStats: SummarySchema.optional().describe('statistics of buildMs over the timed samples of the first --mode (warm-ups left out)'),
  modeStats: z.partialRecord(CacheModeSchema, SummarySchema).optional().describe('with --mode: statistics per cache mode'),
  compressedBytes: bytes.optional().describe('config plus gzip -6 of each layer, what a registry stores (absent with --no-compressed)'),
  compressedFromCache: z.int().min(0).optional().describe('how many of the layers\' compressed sizes came from the layer cache rather than a gzip in this run'),
  baseBytes: bytes.optional().describe('Size of the image the final stage starts FROM (0 for scratch)'),
  addedBytes: z.int().optional().describe('sizeBytes - baseBytes: what this Dockerfile adds on top of its final base'),
  uniqueBytes: bytes.optional().describe('bytes only this image holds, from GET /system/df at the end of the variant\'s builds (methods.uniqueBytes; absent on Podman)'),
  sharedBytes: bytes.optional().describe('GET /system/df SharedSize: bytes in layers other images on the engine use too'),
  layers: z
    .array(z.strictObject({ sizeBytes: bytes, createdBy: z.string(), fromBase: z.boolean() }))
    .optional()
    .describe('history entries that hold bytes, largest first; fromBase: inherited from the final base image'),
  rootLayers: z
    .array(z.strictObject({ diffId: z.string(), compressedBytes: bytes.optional(), wastedBytes: bytes.optional() }))
    .optional()
    .describe('RootFS.Layers in image order: DiffID, gzipped size (with the pull size), bytes of its files that later layers overwrite or delete'),
  configBytes: bytes.optional().describe('the image config as a registry stores it (with the pull size)'),
  wastedBytes: bytes.optional().describe('bytes of file versions that a later layer overwrites or deletes (whiteouts and opaque directories included)'),
  efficiency: z.number().min(0).max(1).optional().describe("dive's efficiency score: per path, its smallest version over the bytes stored for it in all layers"),
  wastedPaths: z
    .array(z.strictObject({ path: z.string(), bytes, layer: z.int().min(0).describe('index into rootLayers of the layer holding the hidden version') }))
    .optional()
    .describe('the largest hidden file versions, largest first (at most 20)'),
  packages: z
    .partialRecord(z.enum(['deb', 'npm', 'go', 'apk']), z.array(z.string()))
    .optional()
    .describe('what the image ships, name@version, unique and sorted, per ecosystem found (deb: dpkg status; npm: node_modules/**/package.json; go: build info of Go binaries; apk: installed db)'),
  steps: z.array(z.strictObject({ name: z.string(), cached: z.boolean(), ms: ms.optional() })).optional(),
  warnings: z.array(z.string()).optional(),
  smoke: SmokeResultSchema.optional(),
  startMs: ms.optional().describe('start-up time: median over the timed smoke starts, from the container create request to the first passing check'),
  startSamples: z.array(ms).optional().describe('every timed start-up, in order (warm-up starts left out)'),
  startStats: SummarySchema.optional().describe('statistics of the timed start-ups, as buildStats'),
  deploy: DeploySchema.optional().describe('with --deploy: push, remove, pull and start, timed over the rounds (methods.deploy)'),
  contains: z
    .record(z.string(), z.strictObject({ present: z.boolean(), paths: z.array(z.string()).describe('the paths found') }))
    .optional()
    .describe("scenario.json's `contains` checks on the built image"),
  error: FailureSchema.optional(),
  notMeasured: z
    .enum(['interrupted', 'engine-gone'])
    .optional()
    .describe('status failed because the run stopped before this variant was fully measured (Ctrl-C, or the engine went away), not because it is broken'),
});

export const ComparisonSchema = z.strictObject({
  variant: z.string(),
  against: z.string().describe("the scenario's reference variant (its config's \"reference\"; \"single\" in every file written before it existed)"),
  bytesSaved: z.int().describe('reference.sizeBytes - variant.sizeBytes; negative when the variant is larger'),
  percentSaved: z.number().describe('bytesSaved / reference.sizeBytes * 100'),
  switchesBase: z.boolean().describe('the final stage starts from other images than the reference does: a confound'),
  afterSingleBytes: bytes
    .optional()
    .describe("compressed bytes a host holding the reference's image downloads to get this one: its config and the layers the reference lacks (named for the lesson's reference, single)"),
});

export const ScenarioResultSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  reference: z
    .string()
    .optional()
    .describe('the variant the others are compared with (comparisons[].against), written even when it did not build; absent in older files, whose reference is single'),
  variants: z.array(VariantResultSchema),
  comparisons: z.array(ComparisonSchema),
});

export const EngineSchema = z.strictObject({
  kind: EngineKindSchema.optional().describe("from GET /version's Components; absent in older files, which are all Docker"),
  serverVersion: z.string(),
  apiVersion: z.string(),
  storageDriver: z.string(),
  imageStore: ImageStoreSchema.describe(
    "graphdriver: Docker's overlay2 & co; containerd: Docker's containerd image store (GET /info DriverStatus driver-type io.containerd.snapshotter.v1); containers-storage: Podman",
  ),
  os: z.string(),
  arch: z.string(),
  ncpu: z.int(),
  kernelVersion: z.string(),
  address: z.string().optional().describe('the endpoint used, e.g. unix:///var/run/docker.sock, and the docker context it came from'),
});

export const ResultsSchema = z.strictObject({
  schemaVersion: z.literal(READABLE_VERSIONS).describe('written as the newest; older ones are read as it (every field they lack is optional)'),
  createdAt: z.iso.datetime(),
  tool: z.strictObject({ name: z.literal('stagebench'), version: z.string() }),
  run: z.strictObject({
    id: z.string(),
    status: RunStatusSchema,
    finishedAt: z.iso.datetime().optional(),
    error: z.string().optional().describe('why the run stopped early, when status is error'),
  }),
  git: z.strictObject({ commit: z.string(), dirty: z.boolean() }).nullable(),
  engine: EngineSchema,
  builder: BuilderSchema.describe('the builder asked for (--builder)'),
  builderUsed: BuilderUsedSchema.optional().describe('the builder that really ran: buildah on Podman whatever was asked'),
  buildCache: z.enum(['used', 'disabled']).describe('disabled: every build ran with nocache=1'),
  jobs: z.int().min(2).optional().describe('--jobs: variants built at once; the build times of such a run overlap, so they are never compared or gated'),
  modes: z.array(CacheModeSchema).optional().describe('--mode: the cache modes each variant was built in, every round'),
  profile: z.string().optional(),
  selection: z
    .strictObject({
      available: z.array(z.string()).describe('every scenario folder there was; those not in scenarios[] were left out on purpose'),
      shard: z.strictObject({ index: z.int().min(1), count: z.int().min(1) }).optional().describe('--shard index/count'),
    })
    .optional()
    .describe('which scenarios this run was asked to measure: a baseline scenario that is available but not run is not "missing"'),
  deploy: z
    .strictObject({
      registry: z.string().describe('the loopback registry pushed to and pulled from, e.g. "docker-registry 2.8.2+ds1"'),
      bandwidth: z.string().optional().describe('--bandwidth as given'),
      bitsPerSecond: z.int().min(1).optional().describe('--bandwidth in bits per second, the rate of every deploy.downloadMs'),
    })
    .optional()
    .describe('with --deploy: how the deploy figures were measured'),
  methods: z.record(z.string(), z.string()).describe('how each number was obtained'),
  scenarios: z.array(ScenarioResultSchema),
});

export type Failure = z.infer<typeof FailureSchema>;
export type SmokeResult = z.infer<typeof SmokeResultSchema>;
export type VariantResult = z.infer<typeof VariantResultSchema>;
export type Comparison = z.infer<typeof ComparisonSchema>;
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
export type Results = z.infer<typeof ResultsSchema>;
/** What defines the meaning of the numbers: recorded with every result. */
export type EngineFacts = z.infer<typeof EngineSchema>;

/** What each number means; written into every results file. */
export const METHODS: Record<string, string> = {
  sizeBytes:
    'the unpacked bytes of all layers, base included. Docker with a graph-driver store (overlay2): GET /images/{id}/json "Size" ' +
    '(chosen over docker history, rounded by the CLI, and docker save, whose tar headers and padding add bytes). ' +
    'Docker with the containerd image store: there "Size" is the stored content, so sizeBytes is the sum of GET /images/{id}/history "Size", ' +
    'the snapshots\' disk usage per layer (filesystem blocks: a little above overlay2\'s file-byte figure for the same files); "Size" itself is storedContentBytes. ' +
    'Podman: "Size", the sum of its layers\' uncompressed tar sizes.',
  storedContentBytes:
    'containerd image store only: GET /images/{id}/json "Size", the content store\'s bytes for the image (manifest, config and layer blobs as stored: ' +
    'gzipped for built or pulled layers, uncompressed for loaded ones). Not comparable with sizeBytes on other engines.',
  layerCount:
    'length of RootFS.Layers from GET /images/{id}/json: the layers a registry would store. History entries with Size 0 can still be real layers. ' +
    'Podman (buildah) adds no layer for WORKDIR, so its counts can be lower than Docker\'s for the same Dockerfile.',
  historyCount: 'entries of GET /images/{id}/history. The classic builder adds one LABEL entry for the labels stagebench passes.',
  buildContext:
    'the scenario\'s context folder, filtered by <Dockerfile>.dockerignore (else the context\'s .dockerignore) as the docker CLI and buildx do; ' +
    'the Dockerfile and the ignore file always sent. stagebench\'s own output (the --out folder, the --report file) is never sent when it lies in the context: ' +
    'it is not the user\'s source, a fresh checkout\'s docker build would not see it, and it changes with every run.',
  buildMs:
    'wall clock (performance.now) from before the build context is packed to the final image-id message of POST /build; ' +
    'includes packing and uploading the context, excludes base-image pulls (pullMs) and cleanup. ' +
    'Clean-up removes a classic build\'s intermediate images, which are its layer cache; BuildKit\'s build cache stays, so "buildCache: used" can mean a warm BuildKit build.',
  compressedBytes:
    'GET /images/{id}/get streamed; each layer gzipped at level 6 (docker push\'s default; Node\'s zlib, in worker threads, byte for byte what one thread gives), plus the config as is. ' +
    'A layer blob the engine already stores compressed (containerd image store) counts as stored. Layer sizes are cached by DiffID and compressor (level, zlib version), ' +
    'whole images by image id, in $XDG_CACHE_HOME/stagebench unless --no-layer-cache: a known image needs no export, a known layer no gzip (compressedFromCache counts them). ' +
    'Checked against a registry\'s manifest within 2 % by the integration tests.',
  addedBytes:
    'sizeBytes minus the Size of the final stage\'s FROM image (GET /images/{ref}/json), both as the engine reports them.',
  uniqueBytes:
    'GET /system/df, sharing counting every image on the engine at that moment, other variants and untagged images included. ' +
    'Graph-driver store: Size - SharedSize. Containerd store: sizeBytes - SharedSize (there df Size is content plus snapshots). ' +
    'Podman: not recorded (its df counts layers held by buildah\'s per-step cache images of the same build as shared, so nearly all bytes look shared). ' +
    'A figure above sizeBytes or below 0 is never recorded.',
  layers:
    'GET /images/{id}/history entries with Size > 0, largest first. An entry is fromBase when the image history starts with the base image\'s history. A real layer can have Size 0 and is then not listed.',
  modes:
    'cold: nocache=1 (local bases kept). warm: the same context again right after a build of it (an untimed priming build when warm comes first). ' +
    'incremental: a copy of the context with scenario.json incremental.line appended to incremental.file ({nonce} new every build), layer cache used.',
  samples:
    'with --runs/--warmup each variant is built once per round (once per --mode), variants interleaved round by round; sizeBytes and the other image facts are those of the last build of the scenario\'s own content (not an incremental one).',
  'steps.ms':
    'BuildKit: vertex completed - started (daemon clock). Classic and buildah (Podman): from its Step / STEP line to the next one, COMMIT or the image id (client clock; these streams have no times). ' +
    'With --runs, the median over the timed builds, steps matched by name and occurrence. Step times do not add up to buildMs.',
  wastedBytes:
    'GET /images/{id}/get streamed once, each layer tar read entry by entry (header sizes, never contents) and stacked as overlayfs does: ' +
    'whiteouts (.wh.<name>) and opaque directories (.wh..wh..opq) first, then the layer\'s entries. A file version hidden in the final image ' +
    '(overwritten, deleted, or under a deleted, opaque or replaced directory) is waste, counted in the layer that holds it. ' +
    'dive\'s own "wasted bytes" also counts the surviving copy of a path written more than once; this does not. Layer listings are cached by DiffID.',
  efficiency:
    'dive (filetree/efficiency.go): every stored version of a path and every deletion of it (size 0) is an occurrence; score = sum over paths of the smallest occurrence / sum of all occurrences (1 with no bytes). ' +
    'Unlike dive, deleting a directory (or an opaque directory) counts as a deletion of each file under it.',
  packages:
    'read from the final image\'s files, no network: deb from var/lib/dpkg/status (Status ... installed) and status.d/*, apk from lib/apk/db/installed, ' +
    'npm from each node_modules/<name>/package.json and node_modules/@scope/<name>/package.json (deduplicated by name@version), ' +
    'go from the build info of ELF binaries (Go 1.18+ format; modules of mod, dep and => lines, plus stdlib@<go version>). A record counts only where no later layer hides it.',
  startMs:
    'clock (performance.now) from just before POST /containers/create (the image already present: no pull) to the first passing smoke check: ' +
    'an HTTP probe of 127.0.0.1 answering 2xx (probed every 10 ms, each probe with a 2 s timeout), or the command\'s container exiting with the expected status (POST /containers/{id}/wait). ' +
    'Includes create, start and the app\'s own start-up; excludes removing the container. One start per timed round (--runs), after --warmup untimed ones; startMs is the median, startStats as buildStats.',
  contains: 'HEAD /containers/{id}/archive?path=<path> on a container created from the image and never started (404: absent).',
  percentSaved: "(reference.sizeBytes - variant.sizeBytes) / reference.sizeBytes * 100, same run, same engine; the reference is the scenario's (results' scenarios[].reference).",
};

/** What the deploy figures mean: added to `methods` by a run with --deploy. */
export const DEPLOY_METHODS: Record<string, string> = {
  deploy:
    'with --deploy, per variant with a passing smoke check, once every variant of the scenario is built and checked: the image is tagged <registry>/stagebench-deploy/<scenario>:<variant>-<run id> and pushed (POST /images/{name}/push) to a docker-registry ' +
    'stagebench started on 127.0.0.1 with its own temporary storage. Then round by round (--warmup untimed, then --runs timed), variants interleaved as builds are; each round, untimed: the registry gets a copy of the manifest whose layers above the base are the same blobs ' +
    'with a new gzip header MTIME (same size and data, a digest no engine has seen, so no engine can take them from what it still holds: the build cache, other images); the run\'s references to the image are removed ' +
    '(never forced; base images stay, as on a host that has the base). Timed: the copy is pulled (Docker: POST /images/create; Podman: its libpod endpoint POST /libpod/images/pull with tlsVerify=false, since its compat pull asks a plain-HTTP registry for TLS), then started as startMs is. Afterwards the run\'s tag is put back and the registry references removed.',
  'deploy.pullMs':
    'clock (performance.now) around the pull request (Docker: POST /images/create; Podman: POST /libpod/images/pull) until its progress stream ends: download from the loopback registry and unpack, as the engine does it. Median over the timed rounds, pullStats as buildStats.',
  'deploy.startMs': 'as startMs, on the image just pulled. deploy.deployMs: pull + start of each round, median over the rounds, deployStats as buildStats.',
  'deploy.bytes':
    'withBaseBytes / withoutBaseBytes: exact, from the pushed manifest (config + layer blob sizes); a layer is inBase when the image\'s RootFS.Layers start with the final FROM image\'s and it is among them. ' +
    'fetchedBytes / layers[].fetched: the blobs the timed pull downloaded, from the registry\'s access log (GET /v2/<name>/blobs/<digest> answered 200 or 206), sizes from the manifest (a restamped copy has the same size). ' +
    'It equals withBaseBytes unless the engine recognised a layer by its content under a new digest (then a warning). The manifest itself (about 1 kB) is not counted, as in compressedBytes.',
  'deploy.downloadMs': 'with --bandwidth: bytes × 8 / bits per second, rounded to the millisecond; computed from the exact bytes, no transfer is timed.',
};

/** The JSON Schema of the results file, for readers outside TypeScript (docs/results.schema.json). */
export function resultsJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(ResultsSchema, { target: 'draft-2020-12' }), null, 2)}\n`;
}
