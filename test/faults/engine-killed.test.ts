import { jest } from '@jest/globals';
import Docker from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFixtureBase, FROM, scenarios, stagebench } from './harness.js';

jest.setTimeout(180_000);

// A second Docker daemon that this test starts and kills, never the host's: its own socket, data root,
// exec root, pid file, containerd namespace and bridge (sbfault, 172.29.0.1/16). Never `--bridge none`:
// that deletes the host's docker0. Root only, which CI is.
const root = process.getuid?.() === 0;
const BRIDGE = 'sbfault';
const dir = mkdtempSync(join(tmpdir(), 'sb-fault-dockerd-'));
const socket = join(dir, 'docker.sock');
let daemon: ResultPromise | undefined;

async function startDaemon(): Promise<void> {
  if ((await execa('ip', ['link', 'show', BRIDGE], { reject: false })).exitCode !== 0) {
    await execa('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
    await execa('ip', ['addr', 'add', '172.29.0.1/16', 'dev', BRIDGE]);
    await execa('ip', ['link', 'set', BRIDGE, 'up']);
  }
  daemon = execa('dockerd', [
    '--host', `unix://${socket}`,
    '--data-root', join(dir, 'data'),
    '--exec-root', join(dir, 'exec'),
    '--pidfile', join(dir, 'docker.pid'),
    '--containerd-namespace', 'stagebench-fault',
    '--containerd-plugins-namespace', 'stagebench-fault-plugins',
    '--bridge', BRIDGE,
    '--iptables=false',
    '--ip-masq=false',
  ], { reject: false, stdio: 'ignore' });
  const docker = new Docker({ socketPath: socket });
  for (let i = 0; i < 100; i++) {
    if (existsSync(socket) && (await docker.ping().then(() => true, () => false))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await ensureFixtureBase(docker);
}

afterAll(async () => {
  daemon?.kill('SIGKILL');
  await daemon;
  // A killed daemon leaves its mounts behind.
  await execa('sh', ['-c', `grep -o ' ${dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l`], { reject: false });
  rmSync(dir, { recursive: true, force: true });
});

(root || process.env.CI ? test : test.skip)('the engine killed mid-build: exit 3, the variant in flight not measured, earlier results kept, `stagebench clean` named', async () => {
  await startDaemon();
  const dirs = scenarios({
    a: { 'Dockerfile.single': `${FROM}\nRUN echo a1 > /a\n`, Dockerfile: `${FROM}\nRUN echo a2 > /a\n` },
    b: { 'Dockerfile.single': `${FROM}\nRUN echo started; sleep 60\n`, Dockerfile: `${FROM}\n` },
  });
  const res = await stagebench(['run', '--scenarios', dirs, '--no-compressed', '--no-smoke', '--keep-images', '--builder', 'classic'], {
    env: { DOCKER_HOST: `unix://${socket}` },
    onStderr: (text) => {
      if (/\[3\/4\][\s\S]*sleep 60/.test(text) && daemon && !daemon.killed) daemon.kill('SIGKILL');
    },
  });
  expect(res.code).toBe(3);
  expect(res.stderr).toMatch(/went away during the build of Dockerfile\.single|cannot reach the Docker engine/);
  const results = res.results()!;
  expect(results.run.status).toBe('error');
  expect(results.scenarios.map((s) => [s.name, s.variants.map((v) => [v.id, v.status, v.notMeasured])])).toEqual([
    ['a', [['single', 'ok', undefined], ['multi', 'ok', undefined]]],
    ['b', [['single', 'failed', 'engine-gone']]],
  ]);
  // The images the first scenario kept are still on the dead engine: the message says how to remove them.
  expect(res.stderr).toContain(`stagebench clean ${results.run.id}`);
  expect(readFileSync(join(res.out, 'latest.json'), 'utf8')).not.toMatch(/"status": "running"/);
});
