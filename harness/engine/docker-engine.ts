import Docker from 'dockerode';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { EngineError, EngineUnreachableError, errorMessage } from '../errors.js';
import { packContext } from './build-context.js';
import { compressedSize, type CompressedSize, type LayerCache } from './compressed-size.js';
import type { EngineFacts } from '../results/schema.js';
import type { BuildOutcome, BuildRequest, Engine, ImageFacts, SmokeContainer, SmokeRequest } from './engine.js';
import { readJsonLines } from './json-lines.js';
import { type BuildMessage, BuildStreamParser } from './parse-build-stream.js';
import { authFor } from './registry-auth.js';
import { engineAddress } from './docker-host.js';
import { describeEngine, type InfoAnswer, type VersionAnswer } from './engine-kind.js';
import { type DfImage, type Usage, usageOf } from './disk-usage.js';

interface ModemError extends Error {
  code?: string;
  syscall?: string;
  statusCode?: number;
  json?: { message?: string } | null;
}

/** The connection to the engine failed, as opposed to a request it answered or a local file error. */
const isUnreachable = (err: unknown) => {
  const { code, syscall } = err as ModemError;
  return syscall === 'connect' || syscall === 'getaddrinfo' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT';
};

/** The daemon's own words for a non-200 answer, without docker-modem's "(HTTP code 400) unexpected - " prefix. */
function engineMessage(err: ModemError): string {
  return (err.json?.message ?? err.message).replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

export class DockerEngine implements Engine {
  private readonly docker: Docker;
  private readonly address: string;

  constructor(private readonly env: Record<string, string | undefined>) {
    const { options, address } = engineAddress(env);
    this.docker = new Docker(options);
    this.address = address;
  }

  private unreachable(err: unknown): EngineUnreachableError {
    const code = (err as ModemError).code;
    const hint =
      code === 'EACCES'
        ? `run as a user allowed to use ${this.address} (root or the docker group)`
        : 'start the Docker daemon, or set DOCKER_HOST to the address of a running engine';
    return new EngineUnreachableError(`cannot reach the Docker engine at ${this.address} (${code ?? errorMessage(err)})`, hint, { cause: err });
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUnreachable(err)) throw this.unreachable(err);
      throw new EngineError(`${what} failed: ${engineMessage(err as ModemError)}`, undefined, { cause: err });
    }
  }

  async facts(): Promise<EngineFacts> {
    const [version, info] = await this.call('reading the engine version', () => Promise.all([this.docker.version(), this.docker.info()]));
    const facts = describeEngine(version as VersionAnswer, info as InfoAnswer, this.address);
    this.imageStore = facts.imageStore;
    return facts;
  }

  async hasImage(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (err) {
      if ((err as ModemError).statusCode === 404) return false;
      if (isUnreachable(err)) throw this.unreachable(err);
      throw new EngineError(`looking up image ${ref} failed: ${engineMessage(err as ModemError)}`, undefined, { cause: err });
    }
  }

  async pull(ref: string, signal?: AbortSignal): Promise<void> {
    const auth = authFor(ref, this.env);
    const stream = await this.call(`pulling ${ref}`, () => this.docker.pull(ref, { ...(auth ? { authconfig: auth } : {}), abortSignal: signal }));
    let failure: string | undefined;
    await readJsonLines(stream as unknown as Readable, (msg) => {
      const detail = (msg.errorDetail as { message?: string } | undefined)?.message ?? (msg.error as string | undefined);
      if (detail) failure = detail;
    });
    if (failure) throw new Error(failure);
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
      const packed = await packContext(req.contextDir, req.dockerfile);
      context = packed.tar;
      options.dockerfile = packed.dockerfile;
    } catch (err) {
      parser.push({ errorDetail: { message: `cannot pack the build context ${req.contextDir}: ${errorMessage(err)}` } });
      return parser.finish();
    }
    try {
      // modem.dial rather than buildImage: buildImage opens a BuildKit session for version "2", which a tar
      // context does not need, and packs the context its own way (see docs/architecture.md).
      const stream = await new Promise<Readable>((resolve, reject) =>
        this.docker.modem.dial(
          {
            path: '/build?',
            method: 'POST',
            options,
            file: context,
            isStream: true,
            abortSignal: req.signal,
            statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
          },
          (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as Readable)),
        ),
      );
      await readJsonLines(stream, (msg) => {
        if (parser.push(msg as BuildMessage)) imageAt = performance.now();
        const step = parser.currentStep;
        if (step && step !== lastStep) req.onStep?.((lastStep = step));
      });
    } catch (err) {
      // Aborting closes the connection (which cancels the build on the daemon); that is not an unreachable engine.
      if (req.signal?.aborted) parser.push({ errorDetail: { message: 'interrupted: the build was cancelled' } });
      else if (isUnreachable(err)) throw this.unreachable(err);
      else parser.push({ errorDetail: { message: engineMessage(err as ModemError) } });
    }
    const parsed = parser.finish();
    return { ...parsed, buildMs: parsed.failure || imageAt === undefined ? undefined : Math.round(imageAt - started) };
  }

  async inspect(imageId: string): Promise<ImageFacts> {
    const image = this.docker.getImage(imageId);
    const [info, history] = await this.call(`inspecting image ${imageId}`, () => Promise.all([image.inspect(), image.history()]));
    const layers = (history as { Size?: number }[]).map((h) => h.Size ?? 0);
    // On the containerd store, Size is the stored content (compressed blobs); the unpacked size, the one
    // comparable with other engines, is the snapshots' disk usage that history reports per layer.
    const containerd = (await this.store()) === 'containerd';
    return {
      id: info.Id,
      sizeBytes: containerd ? layers.reduce((n, s) => n + s, 0) : info.Size,
      ...(containerd ? { storedContentBytes: info.Size } : {}),
      layerCount: info.RootFS?.Layers?.length ?? 0,
      diffIds: info.RootFS?.Layers ?? [],
      historyCount: (history as unknown[]).length,
      history: (history as { CreatedBy?: string; Size?: number }[]).reverse().map((h) => ({ createdBy: h.CreatedBy ?? '', sizeBytes: h.Size ?? 0 })),
    };
  }

  async startContainer(req: SmokeRequest): Promise<SmokeContainer> {
    const container = await this.call(`starting a container of ${req.image}`, async () => {
      const c = await this.docker.createContainer({
        Image: req.image,
        Labels: req.labels,
        Env: Object.entries(req.env).map(([k, v]) => `${k}=${v}`),
        ...(req.cmd ? { Cmd: req.cmd } : {}),
        HostConfig: { NetworkMode: req.network, AutoRemove: false },
      });
      await c.start();
      return c;
    });
    return {
      exited: container.wait().then((r: { StatusCode: number }) => r.StatusCode),
      logTail: async () => {
        const buf = (await container.logs({ stdout: true, stderr: true, tail: 20 })) as unknown as Buffer;
        return demuxLines(buf);
      },
      remove: async () => {
        await container.remove({ force: true }).catch(() => undefined);
      },
    };
  }

  async compressedSize(imageId: string, cache: LayerCache): Promise<CompressedSize> {
    const image = this.docker.getImage(imageId);
    const info = await this.call(`inspecting image ${imageId}`, () => image.inspect());
    return compressedSize(() => this.call(`exporting image ${imageId}`, () => image.get() as unknown as Promise<Readable>), info.RootFS?.Layers ?? [], cache);
  }

  exportImage(imageId: string): Promise<Readable> {
    return this.call(`exporting image ${imageId}`, () => this.docker.getImage(imageId).get() as unknown as Promise<Readable>);
  }

  async diskUsage(images: { id: string; sizeBytes: number }[]): Promise<Map<string, Usage>> {
    const store = await this.store();
    if (store === 'containers-storage') return new Map();
    const df = (await this.call('reading disk usage', () => this.docker.df())) as { Images?: DfImage[] };
    return usageOf(df.Images ?? [], new Map(images.map((i) => [i.id, i.sizeBytes])), store);
  }

  private imageStore?: EngineFacts['imageStore'];

  /** The image store, which defines what Size and disk usage mean (read once). */
  private async store(): Promise<EngineFacts['imageStore']> {
    return (this.imageStore ??= (await this.facts()).imageStore);
  }

  async pathsPresent(image: string, paths: string[], labels: Record<string, string>): Promise<Set<string>> {
    // Cmd is never run; it only lets images without CMD (FROM scratch) be created.
    const container = await this.call(`creating a container of ${image}`, () => this.docker.createContainer({ Image: image, Labels: labels, Cmd: ['/stagebench-never-started'] }));
    const present = new Set<string>();
    try {
      for (const path of paths) {
        try {
          // dockerode hands back the (empty) HEAD response as a stream: drain it, or its socket stays open.
          ((await container.infoArchive({ path })) as unknown as Readable).resume();
          present.add(path);
        } catch (err) {
          if ((err as ModemError).statusCode !== 404) throw new EngineError(`checking ${path} in ${image} failed: ${engineMessage(err as ModemError)}`);
        }
      }
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
    return present;
  }

  async cleanup(made: { containers: string[]; images: string[] }, since: number, label?: [string, string]): Promise<string[]> {
    const problems: string[] = [];
    const filters = JSON.stringify({ label: label ? [`${label[0]}=${label[1]}`] : [] });
    const list = <T>(what: string, fn: () => Promise<T[]>) => (label ? this.call(`listing ${what}`, fn) : Promise.resolve([] as T[]));
    const labelled = (await list('containers', () => this.docker.listContainers({ all: true, filters }))).map((c) => c.Id);
    for (const id of [...labelled, ...made.containers]) {
      const problem = await this.removeContainer(id);
      if (problem) problems.push(problem);
    }
    // Classic builds chain labelled images as parents of others: remove in passes until no image is
    // still held by a child (409). Removing one image can take parents with it, so a 404 is success.
    const gone = (err: unknown) => (err as ModemError).statusCode === 404;
    let pending = (await list('images', () => this.docker.listImages({ all: true, filters }))).map((img) => img.Id);
    while (pending.length > 0) {
      const held: string[] = [];
      for (const id of pending) {
        await this.docker.getImage(id).remove({ force: true }).catch((e: ModemError) => {
          if (e.statusCode === 409) held.push(id);
          else if (!gone(e)) problems.push(`image ${id}: ${engineMessage(e)}`);
        });
      }
      if (held.length === pending.length) {
        problems.push(...held.map((id) => `image ${id}: still used by a child image`));
        break;
      }
      pending = held;
    }
    // Classic stage results carry no labels. Remove only ours: untagged and created during this run; one
    // still used as a parent (409) stays.
    for (const id of made.images) {
      try {
        const info = await this.docker.getImage(id).inspect();
        const tagged = (info.RepoTags ?? []).some((t: string) => t !== '<none>:<none>');
        if (!tagged && Date.parse(info.Created) >= since - 1000) await this.docker.getImage(id).remove();
      } catch (err) {
        if (!gone(err) && (err as ModemError).statusCode !== 409) problems.push(`image ${id}: ${engineMessage(err as ModemError)}`);
      }
    }
    return problems;
  }

  /** Removes a container and waits until it is gone: a cancelled classic build's step container may still be
   * being removed by the daemon (409) when the build stream has already ended. */
  private async removeContainer(id: string): Promise<string | undefined> {
    const container = this.docker.getContainer(id);
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await container.remove({ force: true });
        return undefined;
      } catch (err) {
        const status = (err as ModemError).statusCode;
        if (status === 404) return undefined;
        if (status !== 409) return `container ${id.slice(0, 12)}: ${engineMessage(err as ModemError)}`;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return `container ${id.slice(0, 12)}: still being removed after 10 s`;
  }
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
