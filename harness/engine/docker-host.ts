import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { ConfigError } from '../errors.js';

export interface EngineAddress {
  options: Docker.DockerOptions;
  /** How the address is named in messages, e.g. unix:///var/run/docker.sock. */
  address: string;
}

/**
 * dockerode options from DOCKER_HOST (and DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), read from the env given
 * rather than process.env. Without DOCKER_HOST: ~/.docker/run/docker.sock if it exists, else /var/run/docker.sock.
 */
export function engineAddress(env: Record<string, string | undefined>): EngineAddress {
  const host = env.DOCKER_HOST;
  if (!host) {
    const user = join(homedir(), '.docker', 'run', 'docker.sock');
    const socketPath = existsSync(user) ? user : '/var/run/docker.sock';
    return { options: { socketPath }, address: `unix://${socketPath}` };
  }
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new ConfigError(`DOCKER_HOST=${host} is not an address`, 'use unix:///path/to/docker.sock, tcp://host:2375, or ssh://user@host');
  }
  switch (url.protocol) {
    case 'unix:':
      return { options: { socketPath: url.pathname }, address: host };
    case 'npipe:':
      return { options: { socketPath: `//${url.host}${url.pathname}` }, address: host };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = url.protocol === 'https:' || (env.DOCKER_TLS_VERIFY ?? '') !== '' || url.port === '2376';
      const certs = env.DOCKER_CERT_PATH ?? join(homedir(), '.docker');
      const read = (name: string) => (tls && existsSync(join(certs, name)) ? readFileSync(join(certs, name)) : undefined);
      return {
        options: { host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') },
        address: host,
      };
    }
    case 'ssh:':
      return {
        options: { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined, sshOptions: { agent: env.SSH_AUTH_SOCK } } as Docker.DockerOptions,
        address: host,
      };
    default:
      throw new ConfigError(`DOCKER_HOST=${host} uses an unsupported scheme ${url.protocol}`, 'use unix://, tcp://, ssh:// or npipe://');
  }
}
