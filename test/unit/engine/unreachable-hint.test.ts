import { engineAddress } from '../../../harness/engine/docker-host.js';
import { unreachableHint } from '../../../harness/engine/unreachable-hint.js';

const START = 'start it (e.g. `dockerd &` as root, or `npm run setup` as root in a stagebench checkout), or point DOCKER_HOST or --context at a running engine';
const local = { options: { socketPath: '/var/run/docker.sock' }, address: 'unix:///var/run/docker.sock', chosenBy: { by: 'socket' } } as const;
const host = (h: string) => engineAddress({ DOCKER_HOST: h });
const context = (from: '--context' | 'DOCKER_CONTEXT' | 'docker context use') => ({ options: { socketPath: '/run/ci.sock' }, address: 'unix:///run/ci.sock (context ci)', chosenBy: { by: 'context', name: 'ci', from } }) as const;

test('nothing chose an engine and the local socket is missing or dead: the daemon is not running, start it', () => {
  expect(unreachableHint(local, 'ENOENT')).toBe(`no Docker daemon is running here (the local socket /var/run/docker.sock does not exist): ${START}`);
  expect(unreachableHint(local, 'ECONNREFUSED')).toBe(`no Docker daemon is running here (nothing listens on the local socket /var/run/docker.sock, left by one that stopped): ${START}`);
});

test('permission denied: who may use the socket, whatever chose it, and no word of DOCKER_HOST', () => {
  const hint = 'this user may not use /var/run/docker.sock: run as root or as a member of the docker group (`usermod -aG docker <user>` as root, then log in again)';
  expect(unreachableHint(local, 'EACCES')).toBe(hint);
  expect(unreachableHint(host('unix:///var/run/docker.sock'), 'EACCES')).toBe(hint);
});

test('DOCKER_HOST set: the hint names it and what is wrong with its address, never "set DOCKER_HOST"', () => {
  const fix = 'correct DOCKER_HOST, or unset it to use the current docker context or the local socket';
  expect(unreachableHint(host('unix:///nonexistent.sock'), 'ENOENT')).toBe(`DOCKER_HOST names /nonexistent.sock, which does not exist: start the engine there, ${fix}`);
  expect(unreachableHint(host('unix:///run/dead.sock'), 'ECONNREFUSED')).toBe(`DOCKER_HOST names /run/dead.sock, where no daemon listens: start the engine there, ${fix}`);
  expect(unreachableHint(host('tcp://127.0.0.1:1'), 'ECONNREFUSED')).toBe(`DOCKER_HOST names tcp://127.0.0.1:1, where nothing listens: start the engine there, ${fix}`);
  expect(unreachableHint(host('tcp://no-such-host.invalid:2375'), 'ENOTFOUND')).toBe(`DOCKER_HOST names tcp://no-such-host.invalid:2375, whose host name does not resolve: ${fix}`);
  expect(unreachableHint(host('tcp://10.0.0.1:2375'), 'EHOSTUNREACH')).toBe(`DOCKER_HOST names tcp://10.0.0.1:2375, which does not answer: start the engine there, ${fix}`);
});

test('a context chose it: the hint names the context, what chose it, and how to choose another that way', () => {
  expect(unreachableHint(context('--context'), 'ENOENT')).toBe('docker context "ci" (chosen by --context) names /run/ci.sock, which does not exist: start its engine, or name another with --context; `docker context ls` lists the contexts');
  expect(unreachableHint(context('DOCKER_CONTEXT'), 'ECONNREFUSED')).toBe(
    'docker context "ci" (chosen by DOCKER_CONTEXT) names /run/ci.sock, where no daemon listens: start its engine, or set DOCKER_CONTEXT to another, or unset it; `docker context ls` lists the contexts',
  );
  expect(unreachableHint(context('docker context use'), 'ECONNREFUSED')).toBe(
    'docker context "ci" (chosen by `docker context use`) names /run/ci.sock, where no daemon listens: start its engine, or switch with `docker context use <name>` (`docker context use default` is the local socket); `docker context ls` lists the contexts',
  );
});
