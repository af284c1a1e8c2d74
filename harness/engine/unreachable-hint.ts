import type { ChosenBy, EngineAddress } from './docker-host.js';

/**
 * The fix for an engine that does not answer, from what was tried: the socket or host, what chose it (the
 * resolution order in docker-host.ts) and how connecting failed (`code`: ENOENT, ECONNREFUSED, EACCES, ...).
 * DOCKER_HOST is suggested only when nothing chose an engine; otherwise the hint names what did.
 */
export function unreachableHint(engine: Pick<EngineAddress, 'options' | 'address' | 'chosenBy'>, code: string | undefined): string {
  const socket = engine.options.socketPath;
  const where = socket ?? engine.address;
  if (code === 'EACCES') return `this user may not use ${where}: run as root or as a member of the docker group (\`usermod -aG docker <user>\` as root, then log in again)`;
  const chosen = engine.chosenBy;
  if (chosen.by === 'socket') {
    const why = code === 'ENOENT' ? `the local socket ${where} does not exist` : code === 'ECONNREFUSED' ? `nothing listens on the local socket ${where}, left by one that stopped` : `nothing answers on the local socket ${where}`;
    return `no Docker daemon is running here (${why}): start it (e.g. \`dockerd &\` as root, or \`npm run setup\` as root in a stagebench checkout), or point DOCKER_HOST or --context at a running engine`;
  }
  const what =
    code === 'ENOENT'
      ? 'which does not exist'
      : code === 'ECONNREFUSED'
        ? socket
          ? 'where no daemon listens'
          : 'where nothing listens'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'whose host name does not resolve'
          : 'which does not answer';
  // Starting an engine is no fix for a host name that does not resolve.
  const start = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? '' : chosen.by === 'DOCKER_HOST' ? 'start the engine there, ' : 'start its engine, or ';
  return chosen.by === 'DOCKER_HOST'
    ? `DOCKER_HOST names ${where}, ${what}: ${start}correct DOCKER_HOST, or unset it to use the current docker context or the local socket`
    : `docker context "${chosen.name}" (chosen by ${chosen.from === 'docker context use' ? '`docker context use`' : chosen.from}) names ${where}, ${what}: ${start}${otherContext(chosen.from)}; \`docker context ls\` lists the contexts`;
}

function otherContext(from: Extract<ChosenBy, { by: 'context' }>['from']): string {
  if (from === '--context') return 'name another with --context';
  if (from === 'DOCKER_CONTEXT') return 'set DOCKER_CONTEXT to another, or unset it';
  return 'switch with `docker context use <name>` (`docker context use default` is the local socket)';
}
