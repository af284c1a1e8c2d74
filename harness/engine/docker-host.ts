import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type DockerModem from 'docker-modem';
import { ConfigError } from '../errors.js';

export interface EngineAddress {
  options: DockerModem.ConstructorOptions;
  /** How the address is named in messages and results, e.g. unix:///var/run/docker.sock (context "ci"). */
  address: string;
  /** What chose it, so that a hint for an engine that does not answer names the right thing to change. */
  chosenBy: ChosenBy;
}

/** The local socket (nothing chose another), DOCKER_HOST, or a context named by --context, DOCKER_CONTEXT or `docker context use`. */
export type ChosenBy = { by: 'socket' } | { by: 'DOCKER_HOST' } | { by: 'context'; name: string; from: '--context' | 'DOCKER_CONTEXT' | 'docker context use' };

type Env = Record<string, string | undefined>;

/** The Docker config directory, as the docker CLI finds it. */
export const dockerConfigDir = (env: Env) => env.DOCKER_CONFIG || join(homedir(), '.docker');

/**
 * Where the engine is, resolved as the docker CLI does (cli/command/cli.go resolveContextName):
 * `--context <name>`, else DOCKER_HOST, else DOCKER_CONTEXT, else config.json's `currentContext`, else the
 * local socket. A context's endpoint and TLS files come from the Docker config directory
 * (`contexts/meta/<sha256 of name>/meta.json`, `contexts/tls/<sha256 of name>/docker/`). Reads the env given,
 * never process.env.
 */
export function engineAddress(env: Env, contextFlag?: string): EngineAddress {
  const configDir = dockerConfigDir(env);
  const [name, from] =
    contextFlag !== undefined
      ? ([contextFlag, '--context'] as const)
      : env.DOCKER_HOST
        ? ([undefined, 'DOCKER_HOST'] as const)
        : env.DOCKER_CONTEXT
          ? ([env.DOCKER_CONTEXT, 'DOCKER_CONTEXT'] as const)
          : ([currentContext(configDir), 'docker context use'] as const);
  if (name !== undefined && name !== 'default') {
    const source = from === 'docker context use' ? `currentContext in ${join(configDir, 'config.json')}` : from;
    return { ...fromContext(configDir, name, source, env), chosenBy: { by: 'context', name, from } };
  }
  if (env.DOCKER_HOST) return { ...fromHost(env.DOCKER_HOST, 'DOCKER_HOST', tlsFromEnv(env), env), chosenBy: { by: 'DOCKER_HOST' } };
  const user = join(homedir(), '.docker', 'run', 'docker.sock');
  const socketPath = existsSync(user) ? user : '/var/run/docker.sock';
  return { options: { socketPath }, address: `unix://${socketPath}`, chosenBy: { by: 'socket' } };
}

function currentContext(configDir: string): string | undefined {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    const current = (JSON.parse(readFileSync(file, 'utf8')) as { currentContext?: unknown }).currentContext;
    return typeof current === 'string' && current !== '' ? current : undefined;
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message})`, 'fix or remove the file; the docker CLI refuses it too');
  }
}

interface Tls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Verify the server's certificate (false only for a context created with skip-tls-verify). */
  verify: boolean;
  /** TLS asked for even without files (DOCKER_TLS_VERIFY, https://, port 2376). */
  on: boolean;
}

function tlsFromEnv(env: Env): Tls {
  const dir = env.DOCKER_CERT_PATH || dockerConfigDir(env);
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
  const on = (env.DOCKER_TLS_VERIFY ?? '') !== '';
  return { ...(on ? { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') } : {}), verify: true, on };
}

type Endpoint = Omit<EngineAddress, 'chosenBy'>;

function fromContext(configDir: string, name: string, source: string, env: Env): Endpoint {
  const hash = createHash('sha256').update(name).digest('hex');
  const meta = join(configDir, 'contexts', 'meta', hash, 'meta.json');
  if (!existsSync(meta)) {
    throw new ConfigError(
      `docker context "${name}" (from ${source}) does not exist: no ${meta}`,
      'list the contexts with `docker context ls`; choose one with `docker context use <name>`, DOCKER_CONTEXT or --context, or set DOCKER_HOST',
    );
  }
  let endpoint: { Host?: string; SkipTLSVerify?: boolean } | undefined;
  try {
    endpoint = (JSON.parse(readFileSync(meta, 'utf8')) as { Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } } }).Endpoints?.docker;
  } catch (err) {
    throw new ConfigError(`docker context "${name}": ${meta} is not valid JSON (${(err as Error).message})`, 'recreate the context with `docker context create`');
  }
  if (!endpoint?.Host) throw new ConfigError(`docker context "${name}" has no Docker endpoint (Endpoints.docker.Host in ${meta})`, 'recreate it with `docker context create <name> --docker host=...`');
  const tlsDir = join(configDir, 'contexts', 'tls', hash, 'docker');
  const read = (f: string) => (existsSync(join(tlsDir, f)) ? readFileSync(join(tlsDir, f)) : undefined);
  const files = { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
  const tls: Tls = { ...files, verify: !endpoint.SkipTLSVerify, on: Object.values(files).some(Boolean) || !!endpoint.SkipTLSVerify };
  const resolved = fromHost(endpoint.Host, `docker context "${name}"`, tls, env);
  return { ...resolved, address: `${resolved.address} (context ${name})` };
}

/** docker-modem options for one endpoint URL: unix, npipe, tcp (TLS when asked or on 2376), https, ssh. */
function fromHost(host: string, source: string, tls: Tls, env: Env): Endpoint {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new ConfigError(`${source} ${host} is not an address`, 'use unix:///path/to/docker.sock, tcp://host:2375, or ssh://user@host');
  }
  switch (url.protocol) {
    case 'unix:':
      return { options: { socketPath: url.pathname }, address: host };
    case 'npipe:':
      return { options: { socketPath: `//${url.host}${url.pathname}` }, address: host };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const secure = url.protocol === 'https:' || tls.on || url.port === '2376';
      const options: DockerModem.ConstructorOptions = {
        host: url.hostname,
        port: Number(url.port || (secure ? 2376 : 2375)),
        protocol: secure ? 'https' : 'http',
        ...(secure ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
        // docker-modem has no switch for this: an agent that does not verify, as skip-tls-verify asks.
        ...(secure && !tls.verify ? { agent: new Agent({ rejectUnauthorized: false, ca: tls.ca, cert: tls.cert, key: tls.key }) } : {}),
      };
      return { options, address: host };
    }
    case 'ssh:':
      return {
        options: { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined, sshOptions: { agent: env.SSH_AUTH_SOCK } } as DockerModem.ConstructorOptions,
        address: host,
      };
    default:
      throw new ConfigError(`${source} ${host} uses an unsupported scheme ${url.protocol}`, 'use unix://, tcp://, ssh:// or npipe://');
  }
}
