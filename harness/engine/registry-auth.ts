import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, errorMessage } from '../errors.js';
import { dockerConfigDir } from './docker-host.js';

export interface AuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** Credentials for one pull, and where they came from (for messages: which registry, which source). */
export interface PullAuth {
  registry: string;
  auth?: AuthConfig;
  /** e.g. 'credHelpers "ecr-login"', 'credsStore "pass"', 'auths in <file>', 'none'. */
  source: string;
}

const DOCKER_HUB = 'https://index.docker.io/v1/';

/** The registry an image reference lives on, as the key the docker CLI uses in config.json. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : DOCKER_HUB;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** "https://ghcr.io/v1/" and "ghcr.io" name the same registry (the CLI accepts both as keys). */
const hostOf = (key: string) => key.replace(/^https?:\/\//, '').split('/')[0] ?? key;
const sameRegistry = (key: string, registry: string) => key === registry || hostOf(key) === hostOf(registry);

/**
 * Credentials for pulling `ref`, found as the docker CLI finds them in `$DOCKER_CONFIG/config.json`
 * (or ~/.docker): a `credHelpers` entry for the registry, else `credsStore`, each run as
 * `docker-credential-<name> get` with the registry on stdin; else an inline `auths` entry. No config or no
 * entry: anonymous. A helper that cannot be run, or a config that cannot be read, is an error naming the
 * file, registry and helper.
 */
export async function authFor(ref: string, env: Record<string, string | undefined>): Promise<PullAuth> {
  const registry = registryOf(ref);
  const file = join(dockerConfigDir(env), 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { registry, source: 'none' };
  }
  let config: DockerConfigFile;
  try {
    config = JSON.parse(text) as DockerConfigFile;
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${errorMessage(err)})`, 'fix or remove the file; the docker CLI refuses it too');
  }
  const helperKey = Object.keys(config.credHelpers ?? {}).find((k) => sameRegistry(k, registry));
  const helper = helperKey !== undefined ? config.credHelpers![helperKey]! : config.credsStore;
  if (helper) {
    const source = helperKey !== undefined ? `credHelpers "${helper}" in ${file}` : `credsStore "${helper}" in ${file}`;
    const auth = await fromHelper(helper, registry, source, env);
    return { registry, ...(auth ? { auth } : {}), source };
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => sameRegistry(key, registry))?.[1];
  const source = `auths in ${file}`;
  if (entry?.identitytoken) return { registry, auth: { identitytoken: entry.identitytoken, serveraddress: registry }, source };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return { registry, auth: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry }, source };
  }
  if (entry?.username !== undefined) return { registry, auth: { username: entry.username, password: entry.password ?? '', serveraddress: registry }, source };
  return { registry, source: 'none' };
}

/**
 * `docker-credential-<name> get`: the server on stdin, `{"ServerURL","Username","Secret"}` on stdout. A
 * Username of "<token>" means Secret is an identity token. "credentials not found" is anonymous, as in the CLI.
 */
async function fromHelper(name: string, registry: string, source: string, env: Record<string, string | undefined>): Promise<AuthConfig | undefined> {
  const program = `docker-credential-${name}`;
  // Loaded only when a credential helper is asked: most runs never need one.
  const { execa } = await import('execa');
  const res = await execa(program, ['get'], { input: registry, env, extendEnv: false, reject: false, timeout: 30_000 });
  if ((res as { code?: string }).code === 'ENOENT') {
    throw new ConfigError(`${program} (${source}) is not on PATH, so the credentials for ${registry} cannot be read`, `install ${program}, or remove "${name}" from the Docker config`);
  }
  if (res.exitCode !== 0) {
    const said = `${res.stdout} ${res.stderr}`.trim();
    if (/credentials not found/i.test(said)) return undefined;
    throw new ConfigError(`${program} get (${source}) failed for ${registry}: ${said || `exit ${res.exitCode}`}`, `run \`echo ${registry} | ${program} get\` to see why, or log in again with docker login`);
  }
  let answer: { Username?: string; Secret?: string };
  try {
    answer = JSON.parse(res.stdout) as { Username?: string; Secret?: string };
  } catch {
    throw new ConfigError(`${program} get (${source}) answered for ${registry} with something that is not JSON`, `run \`echo ${registry} | ${program} get\` to see what it prints`);
  }
  if (answer.Username === '<token>') return { identitytoken: answer.Secret ?? '', serveraddress: registry };
  return { username: answer.Username ?? '', password: answer.Secret ?? '', serveraddress: registry };
}
