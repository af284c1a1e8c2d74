import type { ResultPromise } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_ENGINE_TIMEOUT_MS, deadline } from '../engine/deadline.js';
import { ConfigError, errorMessage, InterruptedError } from '../errors.js';
import { writeAtomic } from '../output/write.js';
import { processAlive } from '../process-alive.js';
import { type AccessLine, parseAccessLine, type PushedManifest } from './deploy-bytes.js';
import { freePort } from './smoke.js';

/** The loopback registry a deploy measurement pushes to and pulls from, and whose access log says what was fetched. */
export interface DeployRegistry {
  /** host:port on 127.0.0.1, as an image reference starts with it. */
  address: string;
  /** e.g. "docker-registry 2.8.2+ds1", recorded in the results. */
  version: string;
  /** Every request answered so far, in order: `accessLog().length` marks a moment, `slice(mark)` what came after. */
  accessLog(): AccessLine[];
  /** The manifest pushed for repository:tag, with its blobs' exact sizes. */
  manifest(repository: string, tag: string): Promise<PushedManifest>;
  /**
   * Publishes tag `to`: the manifest of `from` with each of `layers` replaced by the same blob under a digest no
   * engine has seen (restamp). Returns each old digest's new one; a blob that is not gzip keeps its digest.
   */
  republish(repository: string, from: string, to: string, layers: string[], stamp: number): Promise<Map<string, string>>;
  /** Stops the registry and removes its storage; waits for the process to exit. */
  stop(): Promise<void>;
}

/** Debian's package name and binary (offline/setup.sh installs it). */
export const REGISTRY_BINARY = 'docker-registry';
const INSTALL_HINT = 'install it with `sudo npm run setup` (offline/setup.sh installs Debian\'s docker-registry, or `apt-get install docker-registry`), or leave out --deploy';
const READY_WITHIN_MS = 15_000;

const MANIFEST_TYPES = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'].join(', ');

/**
 * Starts Debian's docker-registry on 127.0.0.1 at a free port, with its own storage and configuration in a
 * new temporary folder named for this process (removed when it stops; a killed run's, when the next starts).
 * Ready when GET /v2/ answers (polled every 20 ms, no fixed wait). A port taken between choosing and binding it
 * is retried with another, twice.
 */
export async function startLoopbackRegistry(signal: AbortSignal, env: Record<string, string | undefined> = process.env, options: RegistryOptions = {}): Promise<DeployRegistry> {
  const binary = REGISTRY_BINARY;
  // Loaded only with --deploy.
  const { execa } = await import('execa');
  const version = await execa(binary, ['--version'], { reject: false, env, extendEnv: false });
  if ((version as { code?: string }).code === 'ENOENT' || version.exitCode === undefined) {
    throw new ConfigError(`--deploy needs a loopback registry, and ${binary} is not installed (not on PATH)`, INSTALL_HINT);
  }
  const temp = registryTempDir(env);
  await removeOrphanStorage(temp);
  const storage = await mkdtemp(join(temp, `${STORAGE_PREFIX}${process.pid}-`)).catch((err: unknown) => {
    throw tempDirProblem(temp, err);
  });
  try {
    for (let attempt = 1; ; attempt++) {
      const started = await startOnce(binary, storage, signal, env, options);
      if ('registry' in started) return { ...started.registry, version: version.stdout.trim().replace(/ github\.com\/\S+/, '') };
      if (!started.portTaken || attempt === 3) {
        throw new ConfigError(`the loopback registry (${binary}) did not start: ${started.why}`, started.portTaken ? 'free a loopback port, or retry' : INSTALL_HINT);
      }
    }
  } catch (err) {
    await rm(storage, { recursive: true, force: true });
    throw err;
  }
}

/** Where registries keep their storage: the temp dir of the environment stagebench was given (TMPDIR, as os.tmpdir() reads it from the process's). */
export const registryTempDir = (env: Record<string, string | undefined>) => (env.TMPDIR ? env.TMPDIR.replace(/(.)\/+$/, '$1') : tmpdir());

/** A registry's storage folder in the temp dir: stagebench-registry-<pid>-<random>, <pid> the stagebench process that owns it. */
const STORAGE_PREFIX = 'stagebench-registry-';

/**
 * Removes the storage folders in `dir` whose stagebench process is gone. A run killed outright (SIGKILL) runs
 * nothing of its own: its registry stops with it (setpriv --pdeathsig) but its folder stays, until the next
 * registry starts or `stagebench clean` runs. A folder whose process lives (a run in flight, or a pid reused since) is left alone, as is
 * one that cannot be removed (another user's). Returns the names removed.
 */
export async function removeOrphanStorage(dir: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const orphans = names.filter((name) => {
    const pid = new RegExp(`^${STORAGE_PREFIX}(\\d+)-`).exec(name)?.[1];
    return pid !== undefined && !alive(Number(pid));
  });
  const removed = await Promise.all(orphans.map((name) => rm(join(dir, name), { recursive: true, force: true }).then(() => name, () => undefined)));
  return removed.filter((name) => name !== undefined);
}

/** The registry's storage and configuration cannot be written: the temp dir is at fault, not --out. */
const tempDirProblem = (temp: string, err: unknown) =>
  new ConfigError(`the loopback registry's storage cannot be written in the temp dir (${temp}): ${errorMessage(err)}`, 'set TMPDIR to a folder you can write, or leave out --deploy');

let setpriv: Promise<boolean> | undefined;
const hasSetpriv = (env: Record<string, string | undefined>) =>
  (setpriv ??= import('execa').then(({ execa }) => execa('setpriv', ['--help'], { env, extendEnv: false, reject: false })).then((r) => r.exitCode === 0 && /--pdeathsig/.test(r.stdout)));

export interface RegistryOptions {
  /** How long one request to the registry may wait for its answer to begin (the run's --engine-timeout). */
  timeoutMs?: number;
  /** For the fault tests: a read-only registry refuses every push, as a full or read-only one does. */
  readOnly?: boolean;
}

/** Every request to the registry stops on Ctrl-C (the run's signal) and when its answer has not begun within timeoutMs. */
export interface RequestLimits {
  signal: AbortSignal;
  timeoutMs: number;
}

type Started = { registry: Omit<DeployRegistry, 'version'> } | { why: string; portTaken: boolean };

async function startOnce(binary: string, storage: string, signal: AbortSignal, env: Record<string, string | undefined>, options: RegistryOptions): Promise<Started> {
  const address = `127.0.0.1:${await freePort()}`;
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(storage, 'data'))}`,
    '  delete:',
    '    enabled: true',
    ...(options.readOnly ? ['  maintenance:', '    readonly:', '      enabled: true'] : []),
    'http:',
    `  addr: ${address}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    '',
  ].join('\n');
  // Its own file in the storage folder: /dev/stdin cannot be opened on the socket Node's child stdin is.
  const file = join(storage, 'config.yml');
  await writeAtomic(file, config).catch((err: unknown) => {
    throw tempDirProblem(dirname(storage), err);
  });
  // Under setpriv --pdeathsig (util-linux), the registry is stopped with stagebench even when stagebench is
  // killed outright (SIGKILL), when nothing of stagebench runs to stop it; without setpriv, as it is.
  const [cmd, ...args] = (await hasSetpriv(env)) ? ['setpriv', '--pdeathsig', 'TERM', '--', binary, 'serve', file] : [binary, 'serve', file];
  const { execa } = await import('execa');
  const child: ResultPromise = execa(cmd!, args, { env, extendEnv: false, reject: false, buffer: false, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
  const log: AccessLine[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = parseAccessLine(line);
    if (parsed) log.push(parsed);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  let exited = false;
  const done = child.then(() => (exited = true));
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      // A registry that ignores SIGTERM is killed; the wait ends when the process does, not after a fixed time.
      const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
      await done;
      clearTimeout(hard);
    }
    await rm(storage, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_WITHIN_MS;
  while (!exited) {
    if (signal.aborted) {
      await stop();
      throw new InterruptedError('interrupted while starting the loopback registry');
    }
    const ok = await fetch(`http://${address}/v2/`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) {
      const limits: RequestLimits = { signal, timeoutMs: options.timeoutMs ?? DEFAULT_ENGINE_TIMEOUT_MS };
      return {
        registry: {
          address,
          accessLog: () => log,
          manifest: (repository, tag) => readManifest(address, repository, tag, limits),
          republish: (repository, from, to, layers, stamp) => republish(address, repository, from, to, layers, stamp, limits),
          stop,
        },
      };
    }
    if (Date.now() > deadline) {
      await stop();
      return { why: `no answer on http://${address}/v2/ within ${READY_WITHIN_MS / 1000} s`, portTaken: false };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await done;
  await stop();
  const tail = stderr.slice(-5).join('\n');
  return { why: tail || 'it exited at once', portTaken: /address already in use/.test(tail) };
}

/**
 * One request to the registry, under `limits`: the clock runs until the answer begins (a blob's body may take
 * longer to read), Ctrl-C ends it at any point. A stuck registry is an error naming the request, not a hang.
 */
async function registryFetch(url: string, init: RequestInit, limits: RequestLimits): Promise<Response> {
  const limit = deadline(limits.timeoutMs, limits.signal);
  try {
    return await fetch(url, { ...init, signal: limit.signal });
  } catch (err) {
    const why = limit.timedOut ? `no answer within ${limits.timeoutMs / 1000} s (--engine-timeout gives it longer)` : errorMessage((err as Error).cause ?? err);
    throw new Error(`the loopback registry did not answer ${init.method ?? 'GET'} ${url}: ${why}`, { cause: err });
  } finally {
    limit.disarm();
  }
}

/** GET with the manifest types, the raw body kept (its digest is what the manifest names). */
async function fetchManifest(address: string, repository: string, tag: string, limits: RequestLimits): Promise<{ text: string; type: string }> {
  const url = `http://${address}/v2/${repository}/manifests/${tag}`;
  const res = await registryFetch(url, { headers: { Accept: MANIFEST_TYPES } }, limits);
  if (!res.ok) throw new Error(`the loopback registry answered GET ${url} with HTTP ${res.status}`);
  return { text: await res.text(), type: res.headers.get('content-type') ?? 'application/vnd.docker.distribution.manifest.v2+json' };
}

export async function republish(address: string, repository: string, from: string, to: string, layers: string[], stamp: number, limits: RequestLimits): Promise<Map<string, string>> {
  const manifest = await fetchManifest(address, repository, from, limits);
  const renamed = new Map<string, string>();
  for (const digest of layers) {
    const fresh = await restamp(address, repository, digest, stamp, limits);
    if (fresh) renamed.set(digest, fresh);
  }
  let text = manifest.text;
  for (const [old, fresh] of renamed) text = text.split(old).join(fresh);
  const url = `http://${address}/v2/${repository}/manifests/${to}`;
  const put = await registryFetch(url, { method: 'PUT', body: text, headers: { 'Content-Type': manifest.type } }, limits);
  if (put.status !== 201) throw new Error(`the loopback registry answered PUT ${url} with HTTP ${put.status}: ${(await put.text()).slice(0, 200)}`);
  return renamed;
}

/**
 * Uploads a copy of a gzip layer blob whose header MTIME (bytes 4-7, RFC 1952) is `stamp`: the same size, the
 * same data and CRC (the header is not covered), a new digest. Engines recognise a layer they hold by its blob
 * digest (Docker's v2 metadata, Podman's blob info cache, the containerd content store), so a pull of the copy
 * downloads and unpacks it as a host without it would. Undefined for a blob that is not gzip.
 */
async function restamp(address: string, repository: string, digest: string, stamp: number, limits: RequestLimits): Promise<string | undefined> {
  const base = `http://${address}/v2/${repository}/blobs`;
  const blob = await registryFetch(`${base}/${digest}`, {}, limits);
  if (!blob.ok || !blob.body) throw new Error(`the loopback registry answered GET ${base}/${digest} with HTTP ${blob.status}`);
  const started = await registryFetch(`${base}/uploads/`, { method: 'POST' }, limits);
  if (started.status !== 202) throw new Error(`the loopback registry refused an upload to ${repository} (HTTP ${started.status})`);
  const hash = createHash('sha256');
  let offset = 0;
  const mtime = Buffer.alloc(4);
  mtime.writeUInt32LE(stamp >>> 0);
  const stamped = blob.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        const bytes = Buffer.from(chunk);
        if (offset === 0 && (bytes[0] !== 0x1f || bytes[1] !== 0x8b || bytes[2] !== 8)) throw new NotGzip();
        for (let i = 4; i < 8; i++) if (i >= offset && i < offset + bytes.length) bytes[i - offset] = mtime[i - 4]!;
        offset += bytes.length;
        hash.update(bytes);
        out.enqueue(bytes);
      },
    }),
  );
  const location = (res: Response) => new URL(res.headers.get('location') ?? '', `http://${address}`).toString();
  let patched: Response;
  try {
    patched = await registryFetch(location(started), { method: 'PATCH', body: stamped, duplex: 'half', headers: { 'Content-Type': 'application/octet-stream' } } as RequestInit, limits);
  } catch (err) {
    await fetch(location(started), { method: 'DELETE', signal: AbortSignal.timeout(limits.timeoutMs) }).catch(() => undefined);
    // The stream's NotGzip, under fetch's TypeError and registryFetch's message.
    for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof NotGzip) return undefined;
    throw err;
  }
  if (patched.status !== 202) throw new Error(`the loopback registry answered the upload of ${digest} with HTTP ${patched.status}`);
  const fresh = `sha256:${hash.digest('hex')}`;
  const end = location(patched);
  const put = await registryFetch(`${end}${end.includes('?') ? '&' : '?'}digest=${encodeURIComponent(fresh)}`, { method: 'PUT' }, limits);
  if (put.status !== 201) throw new Error(`the loopback registry answered the upload of ${digest} with HTTP ${put.status}`);
  return fresh;
}

class NotGzip extends Error {}

async function readManifest(address: string, repository: string, tag: string, limits: RequestLimits): Promise<PushedManifest> {
  const body = JSON.parse((await fetchManifest(address, repository, tag, limits)).text) as Partial<PushedManifest>;
  if (!body.config || !Array.isArray(body.layers)) throw new Error(`the manifest of ${repository}:${tag} has no config or layers (a manifest list?)`);
  return { config: { digest: body.config.digest, size: body.config.size }, layers: body.layers.map((l) => ({ digest: l.digest, size: l.size })) };
}
