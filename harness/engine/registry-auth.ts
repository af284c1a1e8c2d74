import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

/** The registry an image reference lives on, as the key the docker CLI uses in config.json. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0] ?? '';
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? first : 'https://index.docker.io/v1/';
}

/**
 * Credentials for a pull from the user's Docker config (`$DOCKER_CONFIG/config.json` or ~/.docker), when it
 * holds them inline. Credential helpers (credsStore) are not run: such users pull the base once themselves.
 */
export function authFor(ref: string, env: Record<string, string | undefined>): AuthConfig | undefined {
  const file = join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  let config: { auths?: Record<string, { auth?: string; identitytoken?: string }> };
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const registry = registryOf(ref);
  const entry = Object.entries(config.auths ?? {}).find(([key]) => key === registry || key.replace(/^https?:\/\//, '').split('/')[0] === registry)?.[1];
  if (!entry) return undefined;
  if (entry.identitytoken) return { identitytoken: entry.identitytoken, serveraddress: registry };
  if (!entry.auth) return undefined;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: registry };
}
