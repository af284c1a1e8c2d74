import { jest } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { removeOrphanStorage } from '../../harness/measure/registry.js';
import { FROM, ensureFixtureBase, leftNothing, scenarios, stagebench } from './harness.js';

// --deploy as its own process, stopped in the middle: the loopback registry must go with it, its storage
// too, and what the run pushed or pulled must not stay on the engine.
jest.setTimeout(180_000);

const REGISTRY = '/usr/bin/docker-registry';
const ready = existsSync(REGISTRY);
if (!ready && process.env.CI) throw new Error(`CI=true but ${REGISTRY} is missing: .ci/run runs offline/setup.sh, which installs docker-registry`);

beforeAll(() => ensureFixtureBase());

/** docker-registry processes serving a config under this TMPDIR. */
async function registriesUnder(tmp: string): Promise<string[]> {
  const ps = await execa('pgrep', ['-a', '-f', `docker-registry serve ${tmp}`], { reject: false });
  return ps.stdout.split('\n').filter(Boolean);
}
/** Image references under a loopback registry that name this process's runs. */
async function deployRefs(pid: number): Promise<string[]> {
  const { stdout } = await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  return stdout.split('\n').filter((r) => /^127\.0\.0\.1:\d+\/stagebench-deploy\//.test(r) && new RegExp(`-${pid}(-d\\d+)?$`).test(r));
}

/** A scenario whose smoke check passes at once, on the tiny fixture base. */
const dir = () =>
  scenarios({ d: { 'Dockerfile.single': `${FROM}\nRUN echo one > /one\n`, Dockerfile: `${FROM}\nRUN echo two > /two\n`, 'scenario.json': JSON.stringify({ smoke: { command: ['true'], timeoutMs: 10000 } }) } });

(ready ? describe : describe.skip)('--deploy stopped in the middle', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s during the deploy rounds: exit 130, the registry stopped and its storage gone, nothing left', async (name) => {
    const res = await stagebench(['run', '--scenarios', dir(), '--no-compressed', '--no-files', '--deploy', '--runs', '3'], { signal: { name, when: /deploy: d › multi, remove, pull and start \(run 2\/3\)/ } });
    expect(res.code).toBe(130);
    expect(res.afterSignalMs).toBeLessThan(15_000);
    expect(res.results()!.run.status).toBe('interrupted');
    expect(await registriesUnder(res.tmp)).toEqual([]);
    expect(await deployRefs(res.pid)).toEqual([]);
    await leftNothing(res);
  });

  test('SIGKILL during the deploy rounds: the registry stops with it (parent-death signal); `stagebench clean <run>` removes the deploy references it left', async () => {
    const res = await stagebench(['run', '--scenarios', dir(), '--no-compressed', '--no-files', '--deploy', '--runs', '3'], { signal: { name: 'SIGKILL', when: /deploy: d › single, remove, pull and start \(run 2\/3\)/ } });
    expect(res.code).toBe(-1);
    // The registry got SIGTERM when its parent died: wait for it to exit, as long as a stop may take.
    for (let i = 0; i < 50 && (await registriesUnder(res.tmp)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await registriesUnder(res.tmp)).toEqual([]);
    const left = await deployRefs(res.pid);
    expect(left.length).toBeGreaterThan(0);
    const run = /-([0-9a-f]{12}-\d+)(-d\d+)?$/.exec(left[0]!)![1]!;
    const clean = await stagebench(['clean', run]);
    expect(clean.code).toBe(0);
    expect(await deployRefs(res.pid)).toEqual([]);
    expect((await execa('docker', ['images', '-q', '--filter', `reference=stagebench/d:*-${run}`])).stdout).toBe('');
    // Its storage stays in the killed process's TMPDIR, named for its pid: nothing of stagebench ran to remove it.
    // The next registry to start removes it (as it removes every folder whose process is gone).
    expect(readdirSync(res.tmp).filter((f) => f.startsWith(`stagebench-registry-${res.pid}-`))).toHaveLength(1);
    expect(await removeOrphanStorage(res.tmp)).toHaveLength(1);
    expect(readdirSync(res.tmp).filter((f) => f.startsWith('stagebench-registry-'))).toEqual([]);
  });
});
