import DockerModem from 'docker-modem';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { EngineError, EngineUnreachableError, errorMessage, InterruptedError } from '../errors.js';
import { packContext } from './build-context.js';
import { DEFAULT_ENGINE_TIMEOUT_MS, type Deadline, deadline } from './deadline.js';
import { retryWhileBusy } from './retry-busy.js';
import type { EngineFacts } from '../results/schema.js';
import type { BuildOutcome, BuildRequest, Engine, ImageFacts, Labelled, RunMade, SmokeContainer, SmokeRequest } from './engine.js';
import { readJsonLines } from './json-lines.js';
import { type BuildMessage, BuildStreamParser } from './parse-build-stream.js';
import { authFor } from './registry-auth.js';
import { type EngineAddress, engineAddress } from './docker-host.js';
import { unreachableHint } from './unreachable-hint.js';
import { atLeast, describeEngine, type InfoAnswer, type VersionAnswer } from './engine-kind.js';
import { type DfImage, type Usage, usageOf } from './disk-usage.js';

interface ModemError extends Error {
  code?: string;
  syscall?: string;
  statusCode?: number;
  json?: { message?: string } | null;
}

/** The HTTP status the engine answered a request with (also through an EngineError that wraps it); none when it did not answer. */
const statusOf = (err: unknown): number | undefined => ((err as ModemError).statusCode ?? ((err as EngineError).cause as ModemError | undefined)?.statusCode);

/** The connection to the engine failed, as opposed to a request it answered or a local file error. */
const isUnreachable = (err: unknown) => {
  const { code, syscall } = err as ModemError;
  return syscall === 'connect' || syscall === 'getaddrinfo' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT';
};

/** The daemon's own words for a non-200 answer, without docker-modem's "(HTTP code 400) unexpected - " prefix. */
function engineMessage(err: ModemError): string {
  return (err.json?.message ?? err.message).replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

const STATUS = { 200: true, 201: true, 204: true, 304: true, 400: 'bad parameter', 404: 'not found', 409: 'conflict', 500: 'server error' };

/**
 * `fromImage` and `tag` of POST /images/create for a reference: without a tag or digest the engine would
 * pull every tag of the repository, so "latest" is asked for, as `docker pull` does.
 */
export function pullQuery(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

/**
 * The Docker Engine API through docker-modem, the transport dockerode is built on: unix sockets, named
 * pipes, TCP with TLS, and ssh (docker-host.ts turns DOCKER_HOST or a context into its options). dockerode's
 * wrappers are not used: it loads gRPC and a protobuf loader at start-up for BuildKit sessions stagebench
 * never opens (builds send a tar context), a cost every command that talks to an engine paid at start-up.
 */
export class DockerEngine implements Engine {
  private readonly modem: DockerModem;
  private readonly address: string;
  private readonly endpoint: EngineAddress;
  private readonly timeoutMs: number;

  /**
   * `timeoutMs`: how long any one request may wait for the engine to start answering. `context`: a docker
   * context named on the command line (--context), which wins over DOCKER_HOST.
   */
  constructor(
    private readonly env: Record<string, string | undefined>,
    options: { timeoutMs?: number; context?: string } = {},
  ) {
    this.endpoint = engineAddress(env, options.context);
    this.modem = new DockerModem(this.endpoint.options);
    this.address = this.endpoint.address;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS;
  }

  private unreachable(err: unknown): EngineUnreachableError {
    const code = (err as ModemError).code;
    return new EngineUnreachableError(`cannot reach the Docker engine at ${this.address} (${code ?? errorMessage(err)})`, unreachableHint(this.endpoint, code), { cause: err });
  }

  /** What a failed request means: no answer in time, an interrupt, no engine at all, or the engine's refusal. */
  private failure(what: string, err: unknown, d: Deadline, interrupt?: AbortSignal): Error {
    if (d.timedOut) {
      return new EngineUnreachableError(
        `the Docker engine at ${this.address} did not answer (${what}) within ${this.timeoutMs / 1000} s`,
        'check that the daemon is healthy (`docker info`), or give it longer with --engine-timeout <seconds> or STAGEBENCH_ENGINE_TIMEOUT',
        { cause: err },
      );
    }
    if (interrupt?.aborted) return new InterruptedError(`interrupted while ${what}`, undefined, { cause: err });
    if (isUnreachable(err)) return this.unreachable(err);
    return new EngineError(`${what} failed: ${engineMessage(err as ModemError)}`, undefined, { cause: err });
  }

  /** One request under the time limit; an interrupt stops the wait at once. */
  private async call<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, interrupt?: AbortSignal): Promise<T> {
    const d = deadline(this.timeoutMs, interrupt);
    try {
      return await fn(d.signal);
    } catch (err) {
      throw this.failure(what, err, d, interrupt);
    } finally {
      d.disarm();
    }
  }

  /**
   * One request (GET unless `extra` says otherwise). A path ending in "?" takes `extra.options` as its query
   * (and, for POST, as its JSON body unless `_body` is given).
   */
  private dial<T>(path: string, signal: AbortSignal | undefined, extra: Record<string, unknown> = {}): Promise<T> {
    return new Promise((resolve, reject) =>
      this.modem.dial({ path, method: 'GET', ...(signal ? { abortSignal: signal } : {}), statusCodes: STATUS, ...extra }, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as T))),
    );
  }

  /** After a build or stream broke: is anyone still answering? A short, separate request. */
  private async gone(): Promise<boolean> {
    try {
      await this.call('answering a ping', (abortSignal) => this.dial('/_ping', abortSignal));
      return false;
    } catch (err) {
      // No HTTP answer at all is nobody answering: refused, and also reset or hung up, which is what a ping
      // gets while a killed daemon's listening socket is still closing. An HTTP error is someone answering.
      return err instanceof EngineUnreachableError || statusOf(err) === undefined;
    }
  }

  private wentAway(what: string, err: unknown): EngineUnreachableError {
    return new EngineUnreachableError(
      `the Docker engine at ${this.address} went away during ${what} (${errorMessage(err)})`,
      'start the daemon again and re-run; `stagebench clean` removes the images this run could not',
      { cause: err },
    );
  }

  async facts(signal?: AbortSignal): Promise<EngineFacts> {
    const [version, info] = await this.call('reading the engine version', (abortSignal) => Promise.all([this.dial<VersionAnswer>('/version', abortSignal), this.dial<InfoAnswer>('/info', abortSignal)]), signal);
    this.known = describeEngine(version, info, this.address);
    return this.known;
  }

  private known?: EngineFacts;

  /** The engine's facts, read once: the image store defines what Size and disk usage mean, the API version how to ask. */
  private async knownFacts(): Promise<EngineFacts> {
    return this.known ?? (await this.facts());
  }

  async hasImage(ref: string): Promise<boolean> {
    return this.call(`looking up image ${ref}`, async (signal) => {
      try {
        await this.dial(`/images/${ref}/json`, signal);
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
      }
    });
  }

  /** Pulls with the Docker config's credentials for the registry; a failure names the registry and where the credentials came from. */
  async pull(ref: string, signal?: AbortSignal): Promise<void> {
    const { registry, auth, source } = await authFor(ref, this.env);
    const refused = (why: string) =>
      new EngineError(`the pull from ${registry === 'https://index.docker.io/v1/' ? 'Docker Hub' : registry} failed (${source === 'none' ? 'no credentials for it in the Docker config' : `credentials from ${source}`}): ${why}`);
    const d = deadline(this.timeoutMs, signal);
    let stream: Readable;
    try {
      stream = await this.createImage(ref, d.signal, auth);
    } catch (err) {
      // A time-out, an interrupt or an engine gone are the engine's; anything else is the registry's answer.
      if (d.timedOut || signal?.aborted || isUnreachable(err)) throw this.failure(`pulling ${ref}`, err, d, signal);
      throw refused(engineMessage(err as ModemError));
    } finally {
      d.disarm();
    }
    const failure = await progressFailure(stream);
    if (failure) throw refused(failure);
  }

  /** POST /images/create: a pull, answered with its progress stream. */
  private createImage(ref: string, signal: AbortSignal, auth?: object): Promise<Readable> {
    return this.dial<Readable>('/images/create?', signal, { method: 'POST', isStream: true, options: { _query: pullQuery(ref), _body: {} }, ...(auth ? { authconfig: auth } : {}) });
  }

  async tag(image: string, repository: string, tag: string): Promise<void> {
    await this.call(`tagging ${image} as ${repository}:${tag}`, (abortSignal) => this.dial(`/images/${image}/tag?`, abortSignal, { method: 'POST', options: { _query: { repo: repository, tag }, _body: {} } }));
  }

  /** Podman's compat API asks for TLS unless told otherwise (its own tlsVerify parameter); Docker allows plain HTTP to 127.0.0.0/8 by default. */
  private async loopbackOptions(): Promise<Record<string, unknown>> {
    return (await this.store()) === 'containers-storage' ? { tlsVerify: false } : {};
  }

  async pushToLoopback(repository: string, tag: string, signal?: AbortSignal): Promise<void> {
    const extra = await this.loopbackOptions();
    // A push reports progress for as long as it takes: only the start of the answer is under the time limit.
    const stream = await this.call(
      `pushing ${repository}:${tag}`,
      (abortSignal) => this.dial<Readable>(`/images/${repository}/push?`, abortSignal, { method: 'POST', isStream: true, authconfig: {}, options: { _query: { tag, ...extra }, _body: {} } }),
      signal,
    );
    await this.followProgress(stream, `the push of ${repository}:${tag}`);
  }

  async pullFromLoopback(repository: string, tag: string, signal?: AbortSignal): Promise<void> {
    const ref = `${repository}:${tag}`;
    // Podman's compat pull (POST /images/create) ignores tlsVerify and asks a plain-HTTP registry for TLS; its
    // own endpoint (libpod, served only under a version prefix; 4.0 is its oldest) takes it. Docker allows plain
    // HTTP to 127.0.0.0/8 by default.
    const podman = (await this.store()) === 'containers-storage';
    const stream = await this.call(
      `pulling ${ref}`,
      (abortSignal) =>
        podman
          ? this.dial<Readable>('/v4.0.0/libpod/images/pull?', abortSignal, { method: 'POST', isStream: true, options: { reference: ref, tlsVerify: 'false' } })
          : this.createImage(ref, abortSignal),
      signal,
    );
    await this.followProgress(stream, `the pull of ${ref}`);
  }

  /** Reads a push or pull progress stream to its end; an error message in it rejects. */
  private async followProgress(stream: Readable, what: string): Promise<void> {
    const failure = await progressFailure(stream);
    if (failure) throw new EngineError(`${what} failed: ${failure}`);
  }

  async removeReference(ref: string): Promise<void> {
    await this.call(`removing image ${ref}`, (abortSignal) => this.dial(`/images/${ref}`, abortSignal, { method: 'DELETE' })).catch((err: unknown) => {
      if (statusOf(err) === 404) return;
      throw err;
    });
  }

  async build(req: BuildRequest): Promise<BuildOutcome> {
    const started = performance.now();
    const parser = new BuildStreamParser();
    let imageAt: number | undefined;
    let lastStep: string | undefined;
    const options: Record<string, unknown> = {
      t: req.tag,
      version: req.builder === 'buildkit' ? '2' : '1',
      labels: req.labels,
      buildargs: req.buildArgs,
      // Classic only: never leave a failed step's container behind.
      rm: '1',
      forcerm: '1',
      ...(req.target ? { target: req.target } : {}),
      ...(req.network && req.network !== 'default' ? { networkmode: req.network } : {}),
      ...(req.noCache ? { nocache: '1' } : {}),
    };
    let context: Readable;
    try {
      const packed = await packContext(req.contextDir, req.dockerfile, req.leaveOut);
      context = packed.tar;
      options.dockerfile = packed.dockerfile;
    } catch (err) {
      parser.push({ errorDetail: { message: `cannot pack the build context ${req.contextDir}: ${errorMessage(err)}` } });
      return parser.finish();
    }
    // The clock on the engine's answer starts once the whole context is sent (a large context takes a while).
    const d = deadline(this.timeoutMs, req.signal, true);
    context.once('end', () => d.start());
    try {
      // modem.dial rather than buildImage: buildImage opens a BuildKit session for version "2", which a tar
      // context does not need, and packs the context its own way (see docs/architecture.md).
      const stream = await new Promise<Readable>((resolve, reject) =>
        this.modem.dial(
          {
            path: '/build?',
            method: 'POST',
            options,
            file: context,
            isStream: true,
            abortSignal: d.signal,
            statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
          },
          (err: unknown, res: unknown) => {
            d.disarm();
            return err ? reject(err) : resolve(res as Readable);
          },
        ),
      );
      await readJsonLines(stream, (msg) => {
        if (parser.push(msg as BuildMessage)) imageAt = performance.now();
        const step = parser.currentStep;
        if (step && step !== lastStep) req.onStep?.((lastStep = step));
      });
    } catch (err) {
      d.disarm();
      // Aborting closes the connection (which cancels the build on the daemon); that is not an unreachable engine.
      if (req.signal?.aborted) parser.push({ errorDetail: { message: 'interrupted: the build was cancelled' } });
      else if (d.timedOut || isUnreachable(err)) throw this.failure(`building ${req.dockerfile}`, err, d);
      else if (await this.gone()) throw this.wentAway(`the build of ${req.dockerfile}`, err);
      else parser.push({ errorDetail: { message: engineMessage(err as ModemError) } });
    }
    const parsed = parser.finish();
    // A daemon stopped mid-build may still close the stream with an error message of its own (a stream that
    // ends without an image is a failure too: the parser says so).
    if (parsed.failure && !req.signal?.aborted && (await this.gone())) throw this.wentAway(`the build of ${req.dockerfile}`, new Error(parsed.failure.message));
    return { ...parsed, buildMs: parsed.failure || imageAt === undefined ? undefined : Math.round(imageAt - started) };
  }

  async inspect(imageId: string): Promise<ImageFacts> {
    const [info, history] = await this.call(`inspecting image ${imageId}`, (signal) =>
      Promise.all([
        this.dial<{ Id: string; Size: number; RootFS?: { Layers?: string[] }; RepoTags?: string[] }>(`/images/${imageId}/json`, signal),
        this.dial<{ CreatedBy?: string; Size?: number }[]>(`/images/${imageId}/history`, signal),
      ]),
    );
    const layers = history.map((h) => h.Size ?? 0);
    // On the containerd store, Size is the stored content (compressed blobs); the unpacked size, the one
    // comparable with other engines, is the snapshots' disk usage that history reports per layer.
    const containerd = (await this.store()) === 'containerd';
    return {
      id: info.Id,
      sizeBytes: containerd ? layers.reduce((n, s) => n + s, 0) : info.Size,
      ...(containerd ? { storedContentBytes: info.Size } : {}),
      layerCount: info.RootFS?.Layers?.length ?? 0,
      diffIds: info.RootFS?.Layers ?? [],
      historyCount: history.length,
      history: history.reverse().map((h) => ({ createdBy: h.CreatedBy ?? '', sizeBytes: h.Size ?? 0 })),
      tags: repoTags(info.RepoTags),
    };
  }

  async startContainer(req: SmokeRequest): Promise<SmokeContainer> {
    const id = await this.call(`starting a container of ${req.image}`, async (abortSignal) => {
      const c = await this.createContainer(
        { Image: req.image, Labels: req.labels, Env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`), ...(req.cmd ? { Cmd: req.cmd } : {}), HostConfig: { NetworkMode: req.network, AutoRemove: false } },
        abortSignal,
      );
      await this.dial(`/containers/${c}/start`, abortSignal, { method: 'POST' });
      return c;
    });
    return {
      // Not limited: the wait lasts as long as the container runs; the smoke check's own timeout bounds it.
      exited: this.dial<{ StatusCode: number }>(`/containers/${id}/wait`, undefined, { method: 'POST' }).then((r) => r.StatusCode),
      logTail: async () => {
        const buf = await this.call(`reading the logs of ${req.image}`, (abortSignal) => this.dial<Buffer>(`/containers/${id}/logs?`, abortSignal, { options: { stdout: true, stderr: true, tail: 20 } }));
        return demuxLines(buf);
      },
      remove: async () => {
        await this.call(`removing a container of ${req.image}`, (abortSignal) => this.removeContainerOnce(id, abortSignal)).catch(() => undefined);
      },
    };
  }

  /** The export stream; the time limit holds until it begins. */
  async exportImage(imageId: string): Promise<Readable> {
    const d = deadline(this.timeoutMs);
    try {
      return await this.dial<Readable>(`/images/${imageId}/get`, d.signal, { isStream: true });
    } catch (err) {
      throw this.failure(`exporting image ${imageId}`, err, d);
    } finally {
      d.disarm();
    }
  }

  async diskUsage(images: { id: string; sizeBytes: number }[]): Promise<Map<string, Usage>> {
    const { imageStore: store, apiVersion } = await this.knownFacts();
    if (store === 'containers-storage') return new Map();
    // The engine computes one disk usage at a time and refuses a second caller (another stagebench, a
    // `docker system df`) with 409 "already running": wait for it, a bounded number of times.
    // API 1.42 (Docker 23) and later compute only the kinds `type` names; earlier engines ignore it and also
    // walk containers, volumes and the whole build cache (0.1 s and more with a large one).
    // (docker-modem appends `options` as the query to a path ending in "?", and cuts the "?" when there are none.)
    const query = atLeast(apiVersion, [1, 42]) ? { type: 'image' } : {};
    const df = (await retryWhileBusy(() => this.call('reading disk usage', (abortSignal) => this.dial('/system/df?', abortSignal, { options: query })))) as { Images?: DfImage[] };
    return usageOf(df.Images ?? [], new Map(images.map((i) => [i.id, i.sizeBytes])), store);
  }

  private async store(): Promise<EngineFacts['imageStore']> {
    return (await this.knownFacts()).imageStore;
  }

  async pathsPresent(image: string, paths: string[], labels: Record<string, string>): Promise<Set<string>> {
    // Cmd is never run; it only lets images without CMD (FROM scratch) be created.
    const container = await this.call(`creating a container of ${image}`, (abortSignal) => this.createContainer({ Image: image, Labels: labels, Cmd: ['/stagebench-never-started'] }, abortSignal));
    const present = new Set<string>();
    try {
      for (const path of paths) {
        const found = await this.call(`checking ${path} in ${image}`, async (abortSignal) => {
          try {
            // The (empty) HEAD response comes as a stream: drain it, or its socket stays open.
            (await this.dial<Readable>(`/containers/${container}/archive?`, abortSignal, { method: 'HEAD', isStream: true, options: { path } })).resume();
            return true;
          } catch (err) {
            if (statusOf(err) === 404) return false;
            throw err;
          }
        });
        if (found) present.add(path);
      }
    } finally {
      await this.call(`removing a container of ${image}`, (abortSignal) => this.removeContainerOnce(container, abortSignal)).catch(() => undefined);
    }
    return present;
  }

  /** POST /containers/create with `config` as its body; the new container's id. */
  private async createContainer(config: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    return (await this.dial<{ Id: string }>('/containers/create?', signal, { method: 'POST', options: { _query: {}, _body: config } })).Id;
  }

  private removeContainerOnce(id: string, signal: AbortSignal): Promise<unknown> {
    return this.dial(`/containers/${id}?`, signal, { method: 'DELETE', options: { force: true } });
  }

  async imageIds(): Promise<string[]> {
    const images = await this.call('listing images', (abortSignal) => this.dial<ImageSummary[]>('/images/json?', abortSignal, { options: { all: true } }));
    return images.map((i) => bareId(i.Id));
  }

  async listLabelled(label: string): Promise<Labelled[]> {
    const filters = JSON.stringify({ label: [label] });
    const [containers, images] = await this.call(`listing what carries ${label}`, (abortSignal) =>
      Promise.all([
        this.dial<{ Id: string; Labels?: Record<string, string> }[]>('/containers/json?', abortSignal, { options: { all: true, filters } }),
        this.dial<ImageSummary[]>('/images/json?', abortSignal, { options: { all: true, filters } }),
      ]),
    );
    return [
      ...containers.map((c) => ({ kind: 'container' as const, id: c.Id, labels: c.Labels ?? {} })),
      ...images.map((i) => ({ kind: 'image' as const, id: i.Id, labels: i.Labels ?? {}, tags: repoTags(i.RepoTags) })),
    ];
  }

  async cleanup(made: RunMade, before: ReadonlySet<string>, label?: [string, string], keep: string[] = []): Promise<string[]> {
    const problems: string[] = [];
    const labelled = label ? await this.listLabelled(`${label[0]}=${label[1]}`) : [];
    for (const id of new Set([...labelled.filter((l) => l.kind === 'container').map((l) => l.id), ...made.containers])) {
      const problem = await this.removeContainer(id);
      if (problem) problems.push(problem);
    }
    // Never forced (removeReference): a reference another run, a kept image or the user still holds keeps the
    // image, and an image a container or a child image uses stays (409).
    // The run's tags: the engine untags, and removes the image (with its untagged classic parents) only when
    // this was its last reference.
    for (const tag of new Set(made.tags.filter((t) => !keep.includes(t)))) {
      await this.removeReference(tag).catch((e: unknown) => {
        if (e instanceof EngineUnreachableError) throw e;
        problems.push(`image ${tag}: ${errorMessage(e)}`);
      });
    }
    // What the builds made that no tag holds now (earlier rounds' images, a priming build's, classic stage
    // results and intermediates). Only what was not on the engine when the run started: an id a build found
    // in the cache may be another's (a classic intermediate). A creation time cannot tell: BuildKit gives a
    // cached rebuild its first build's. 409 (a child image or a container uses it) and 404 are fine.
    for (const id of new Set(made.images)) {
      if (before.has(bareId(id))) continue;
      try {
        const info = await this.call(`inspecting image ${id}`, (signal) => this.dial<{ RepoTags?: string[] }>(`/images/${id}/json`, signal));
        if (repoTags(info.RepoTags).length === 0) await this.removeReference(id);
      } catch (err) {
        if (err instanceof EngineUnreachableError) throw err;
        if (statusOf(err) !== 404 && statusOf(err) !== 409) problems.push(`image ${id}: ${errorMessage(err)}`);
      }
    }
    return problems;
  }

  /** Removes a container and waits until it is gone: a cancelled classic build's step container may still be
   * being removed by the daemon (409) when the build stream has already ended. */
  private async removeContainer(id: string): Promise<string | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await this.call(`removing container ${id.slice(0, 12)}`, (abortSignal) => this.removeContainerOnce(id, abortSignal));
        return undefined;
      } catch (err) {
        if (err instanceof EngineUnreachableError) throw err;
        const status = statusOf(err);
        if (status === 404) return undefined;
        if (status !== 409) return `container ${id.slice(0, 12)}: ${errorMessage(err)}`;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return `container ${id.slice(0, 12)}: still being removed after 10 s`;
  }
}

/** One image of GET /images/json. */
interface ImageSummary {
  Id: string;
  Labels?: Record<string, string> | null;
  RepoTags?: string[];
}

/** Docker's multiplexed log format (8-byte frame headers) to text lines. */
function demuxLines(buf: Buffer): string[] {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buf.length && (buf[offset] === 1 || buf[offset] === 2)) {
    const size = buf.readUInt32BE(offset + 4);
    parts.push(buf.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  const text = offset === 0 ? buf.toString('utf8') : parts.join('');
  return text.split('\n').filter((l) => l.trim() !== '').slice(-20);
}

/** An image id without its `sha256:` prefix (engines and build streams write it either way). */
const bareId = (id: string) => id.replace(/^sha256:/, '');

/** An image's references as the engine lists them, without the `<none>:<none>` it writes for a dangling one. */
const repoTags = (tags: string[] | undefined) => (tags ?? []).filter((t) => t !== '<none>:<none>');

/** The error a push or pull progress stream ends with, if any, after reading it to its end. */
async function progressFailure(stream: Readable): Promise<string | undefined> {
  let failure: string | undefined;
  await readJsonLines(stream, (msg) => {
    const detail = (msg.errorDetail as { message?: string } | undefined)?.message ?? (msg.error as string | undefined);
    if (detail) failure = detail;
  });
  return failure;
}
