import { jest } from '@jest/globals';
import Docker from 'dockerode';
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../harness/measure/smoke.js';
import type { Results } from '../../harness/results/schema.js';
import { engineAnswers, stagebench } from './cli-harness.js';
import { ENGINE_TITLE, EXPECT } from './engine-under-test.js';
import { ensureFixtureBase, FIXTURE_BASE } from './fixture-base.js';

jest.setTimeout(300_000);

// A private base image on Debian's docker-registry with htpasswd auth, on loopback: each way the Docker
// config can hold the credentials must get the base pulled, and a wrong password must say which registry
// refused and why.
const REGISTRY = '/usr/bin/docker-registry';
const ready = (await engineAnswers()) && existsSync(REGISTRY);
if (!ready && process.env.CI) throw new Error(`CI=true but ${REGISTRY} or the engine is missing: offline/setup.sh installs docker-registry`);
// Podman refuses a plain-http registry unless registries.conf names it, and the port here is random.
const supported = EXPECT.kind === 'docker';
if (!supported) console.warn(`${ENGINE_TITLE} the private-registry pull tests are for Docker engines; SKIPPED on ${EXPECT.kind}`);

const USER = 'sb';
const PASSWORD = 'sb-secret';
// bcrypt of PASSWORD (docker-registry's htpasswd takes bcrypt only), made with Python's crypt module.
const HTPASSWD = `${USER}:$2b$05$K.AAz0OIDBYRKrTNMxpR..ktt7k7HlDNbJ/83G6SMDgJGM/Lt94lO\n`;

(ready && supported ? describe : describe.skip)(`${ENGINE_TITLE} base images from a registry that needs credentials`, () => {
  let dir: string;
  let registry: ReturnType<typeof execa> | undefined;
  let address: string;
  let base: string;
  let scenarios: string;
  let helperLog: string;
  const docker = new Docker();

  beforeAll(async () => {
    await ensureFixtureBase();
    dir = mkdtempSync(join(tmpdir(), 'sb-auth-'));
    address = `127.0.0.1:${await freePort()}`;
    base = `${address}/private/busybox:1`;
    writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
    writeFileSync(
      join(dir, 'config.yml'),
      `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${address}\nauth:\n  htpasswd:\n    realm: stagebench\n    path: ${dir}/htpasswd\n`,
    );
    registry = execa(REGISTRY, ['serve', join(dir, 'config.yml')], { reject: false });
    for (let i = 0; i < 50 && (await fetch(`http://${address}/v2/`).then((r) => r.status, () => 0)) !== 401; i++) await new Promise((r) => setTimeout(r, 200));
    // Push the fixture base with the right credentials, then drop it locally so every run must pull it.
    await docker.getImage(FIXTURE_BASE).tag({ repo: `${address}/private/busybox`, tag: '1' });
    const stream = (await docker.getImage(base).push({ authconfig: { username: USER, password: PASSWORD, serveraddress: address } } as never)) as unknown as NodeJS.ReadableStream;
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => (err || out.some((m) => m.error) ? reject(err ?? new Error(out.find((m) => m.error)!.error)) : resolve(undefined))),
    );
    scenarios = join(dir, 'scenarios');
    mkdirSync(join(scenarios, 'private'), { recursive: true });
    for (const f of ['Dockerfile', 'Dockerfile.single']) writeFileSync(join(scenarios, 'private', f), `FROM ${base}\nRUN echo ${f} > /built\n`);
    // A credential helper as the docker CLI runs one: the server on stdin, JSON out; it notes each call.
    helperLog = join(dir, 'helper.log');
    mkdirSync(join(dir, 'bin'));
    writeFileSync(
      join(dir, 'bin', 'docker-credential-sbtest'),
      `#!/bin/sh\nread server\necho "$1 $server" >> ${helperLog}\nprintf '{"ServerURL":"%s","Username":"${USER}","Secret":"${PASSWORD}"}' "$server"\n`,
    );
    chmodSync(join(dir, 'bin', 'docker-credential-sbtest'), 0o755);
  });

  afterAll(async () => {
    await docker.getImage(base).remove().catch(() => undefined);
    registry?.kill();
    await registry;
    rmSync(dir, { recursive: true, force: true });
  });

  /** A run with this Docker config, the base removed first so that it is pulled. */
  async function runWith(config: object) {
    await docker.getImage(base).remove().catch(() => undefined);
    const configDir = mkdtempSync(join(dir, 'docker-config-'));
    writeFileSync(join(configDir, 'config.json'), JSON.stringify(config));
    const res = await stagebench(['run', '--scenarios', scenarios, '--builder', EXPECT.builders[0]!, '--no-smoke', '--no-compressed', '--format', 'json'], {
      env: { DOCKER_CONFIG: configDir, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
    });
    return { res, results: JSON.parse(res.stdout) as Results };
  }

  const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

  test.each([
    ['inline auths', () => ({ auths: { [address]: { auth: basic } } })],
    ['credsStore (docker-credential-sbtest get)', () => ({ credsStore: 'sbtest' })],
    ['credHelpers for the registry (docker-credential-sbtest get)', () => ({ credHelpers: { [address]: 'sbtest' }, credsStore: 'missing-on-path' })],
  ])('%s: the private base is pulled and both variants build', async (what, config) => {
    rmSync(helperLog, { force: true });
    const { res, results } = await runWith(config());
    expect(res.code).toBe(0);
    expect(results.scenarios[0]!.variants.map((v) => [v.id, v.status])).toEqual([['single', 'ok'], ['multi', 'ok']]);
    expect(results.scenarios[0]!.variants[0]!.pullMs).toBeGreaterThan(0);
    const calls = existsSync(helperLog) ? readFileSync(helperLog, 'utf8').trim().split('\n') : [];
    expect(calls).toEqual(what.startsWith('inline') ? [] : [`get ${address}`]);
  });

  test('a wrong password: the variants fail naming the registry, where the credentials came from, and the refusal', async () => {
    const { res, results } = await runWith({ auths: { [address]: { auth: Buffer.from(`${USER}:wrong`).toString('base64') } } });
    expect(res.code).toBe(3);
    const error = results.scenarios[0]!.variants[0]!.error!;
    expect(error.message).toContain(`base image "${base}" is not on the engine and could not be pulled (the pull from ${address} failed (credentials from auths in `);
    expect(error.message).toMatch(/unauthorized|authentication required/i);
  });
});
