import { jest } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackRegistry } from '../../harness/measure/registry.js';
import type { Results, VariantResult } from '../../harness/results/schema.js';
import { engineAnswers, FIXTURES, stagebench } from './cli-harness.js';
import { ENGINE_TITLE, EXPECT } from './engine-under-test.js';
import { ensureFixtureBase } from './fixture-base.js';

// `run --deploy` on a real engine with Debian's real docker-registry: push, remove, pull and start, what the
// registry's access log says was fetched, and nothing left behind.
jest.setTimeout(300_000);

const REGISTRY = '/usr/bin/docker-registry';
const ready = (await engineAnswers()) && existsSync(REGISTRY);
if (!ready && process.env.CI) throw new Error(`CI=true but ${REGISTRY} or the engine is missing: .ci/run runs offline/setup.sh, which installs docker-registry`);
if (!ready) console.warn(`${REGISTRY} or the engine is missing: the --deploy tests are SKIPPED (sudo npm run setup installs docker-registry).`);

/** The registry's temporary folders in the temp dir: each run must remove its own. */
const registryDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('stagebench-registry-'));
/** Image references under a loopback registry address: a run must leave none. */
async function pushedRefs(): Promise<string[]> {
  const { stdout } = await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}']);
  return stdout.split('\n').filter((r) => /^127\.0\.0\.1:\d+\/stagebench-deploy\//.test(r));
}

/**
 * The hello fixture with single and a multi whose build stage shares no step with single (WORKDIR /src), and a
 * context of its own (a random file): no other image on the engine, of this run or another, holds single's layers.
 */
function unshared(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-deploy-'));
  const hello = join(dir, 'hello');
  cpSync(join(FIXTURES, 'scenarios', 'hello'), hello, { recursive: true });
  rmSync(join(hello, 'Dockerfile.scratch'));
  writeFileSync(join(hello, 'nonce.txt'), randomBytes(16).toString('hex'));
  writeFileSync(
    join(hello, 'Dockerfile'),
    ['ARG BASE=stagebench-fixture/busybox:latest', 'FROM ${BASE} AS build', 'WORKDIR /src', 'COPY . .', 'FROM ${BASE}', 'COPY --from=build /src /www', 'CMD ["sh", "-c", "exec httpd -f -p ${PORT:-8080} -h /www"]', ''].join('\n'),
  );
  return dir;
}

const expectConsistentBytes = (v: VariantResult) => {
  const d = v.deploy!;
  expect(d.layers).toHaveLength(v.layerCount!);
  // The config blob is pushed as the engine stores it: the same bytes the pull size counted.
  expect(d.configBytes).toBe(v.configBytes);
  expect(d.withBaseBytes).toBe(d.configBytes + d.layers.filter((l) => !l.inBase).reduce((n, l) => n + l.bytes, 0));
  expect(d.withoutBaseBytes).toBe(d.configBytes + d.layers.reduce((n, l) => n + l.bytes, 0));
  // A host with the base never downloads it again.
  expect(d.layers.filter((l) => l.inBase && l.fetched)).toEqual([]);
  expect(d.fetchedBytes).toBe(d.configBytes + d.layers.filter((l) => l.fetched).reduce((n, l) => n + l.bytes, 0));
};

(ready ? describe : describe.skip)(`${ENGINE_TITLE} run --deploy against a real docker-registry`, () => {
  beforeAll(() => ensureFixtureBase());

  // A variant whose layers above the base no other image holds: the pull fetches exactly what a host with the base downloads.
  (EXPECT.builders.includes('classic') ? test : test.skip)('classic, a variant sharing no layer above the base with any other image: the pull fetches exactly the config and the layers above the base; the base layer is not fetched', async () => {
    const dirsBefore = registryDirs();
    const res = await stagebench(['run', '--scenarios', unshared(), '--builder', 'classic', '--deploy', '--bandwidth', '100Mbit', '--runs', '2', '--no-files', '--format', 'json']);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    expect(results.deploy).toMatchObject({ registry: expect.stringMatching(/^docker-registry \d/), bandwidth: '100Mbit', bitsPerSecond: 100_000_000 });
    const single = results.scenarios[0]!.variants.find((v) => v.id === 'single')!;
    const d = single.deploy!;
    expectConsistentBytes(single);
    console.log(`single: pushed ${d.withoutBaseBytes} B, with the base ${d.withBaseBytes} B, fetched ${d.fetchedBytes} B; pull ${d.pullMs} ms, start ${d.startMs} ms`);
    // The fixture base is one layer; everything above it is fetched, and nothing else. The containerd store
    // skips a layer whose unpacked snapshot it still holds, whatever its digest: there, fewer and a warning.
    expect(d.layers[0]!.inBase).toBe(true);
    expect(d.layers.filter((l) => l.inBase)).toHaveLength(1);
    if (EXPECT.imageStore === 'containerd' && d.fetchedBytes < d.withBaseBytes) {
      expect(single.warnings).toEqual(expect.arrayContaining([expect.stringContaining('the engine did not fetch')]));
    } else {
      expect(d.fetchedBytes).toBe(d.withBaseBytes);
      expect(d.layers.filter((l) => !l.inBase).every((l) => l.fetched)).toBe(true);
    }
    expect(d.pullSamples).toHaveLength(2);
    expect(d.deploySamples).toEqual(d.pullSamples!.map((p, i) => p + d.startSamples![i]!));
    expect(d.downloadMs).toEqual({ withBase: Math.round((d.withBaseBytes * 8 * 1000) / 100_000_000), withoutBase: Math.round((d.withoutBaseBytes * 8 * 1000) / 100_000_000) });
    expect(results.methods['deploy.bytes']).toContain('access log');
    if (EXPECT.imageStore !== 'containerd') expect(single.warnings ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^deploy(?! time: spread)/)]));
    // Nothing left: no pushed reference, the registry's folder gone, clean-up removed the (re-tagged) image.
    expect(await pushedRefs()).toEqual([]);
    expect(registryDirs()).toEqual(dirsBefore);
    expect((await execa('docker', ['images', '-q', single.imageTag!])).stdout).toBe('');
  });

  test(`${EXPECT.builders[0]}, the hello fixture: every variant's layers above its base are fetched under new digests, whatever the engine's caches hold`, async () => {
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--builder', EXPECT.builders[0]!, '--deploy', '--no-files', '--keep-images', '--format', 'json']);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    try {
      for (const v of results.scenarios[0]!.variants) {
        expectConsistentBytes(v);
        const d = v.deploy!;
        console.log(`${v.id}: with the base ${d.withBaseBytes} B, fetched ${d.fetchedBytes} B, pull ${d.pullMs} ms + start ${d.startMs} ms`);
        // BuildKit's cache and the other variants' images hold most of these layers: only the new digests make the
        // pull fetch them. The containerd store skips a layer whose unpacked snapshot it holds, whatever its digest
        // (single shares WORKDIR and COPY with the other variants' build stages): fewer, and a warning says so.
        if (EXPECT.imageStore === 'containerd' && d.fetchedBytes < d.withBaseBytes) {
          expect(v.warnings).toEqual(expect.arrayContaining([expect.stringContaining('the engine did not fetch')]));
        } else {
          expect(d.fetchedBytes).toBe(d.withBaseBytes);
          expect(d.layers.map((l) => l.fetched)).toEqual(d.layers.map((l) => !l.inBase));
        }
        // --keep-images: the run's tag is back on the image it measured.
        const kept = await execa('docker', ['image', 'inspect', '--format', '{{.Id}}', v.imageTag!]);
        expect(kept.stdout.trim()).toBe(v.imageId);
      }
      expect(await pushedRefs()).toEqual([]);
    } finally {
      await stagebench(['clean', results.run.id]);
    }
  });

  // Docker 26.1's overlay2 daemon retries the refused push with back-off for about 100 s before it gives up (20.10,
  // its containerd store and Podman give up at once): the same stagebench path is tested on the others.
  (process.env.STAGEBENCH_TEST_ENGINE === 'docker26' ? test.skip : test)('a registry that refuses pushes: a warning per variant, no deploy figures, exit 0, nothing left', async () => {
    const dirsBefore = registryDirs();
    const res = await stagebench(['run', '--scenarios', unshared(), '--builder', EXPECT.builders[0]!, '--deploy', '--no-files', '--no-compressed', '--format', 'json'], {
      startRegistry: (signal, env) => startLoopbackRegistry(signal, env, { readOnly: true }),
    });
    expect(res.code).toBe(0);
    const single = (JSON.parse(res.stdout) as Results).scenarios[0]!.variants.find((v) => v.id === 'single')!;
    expect(single.deploy).toBeUndefined();
    expect(single.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^deploy not measured: the push of 127\.0\.0\.1:\d+\/stagebench-deploy\/hello:single-\S+ failed/)]));
    expect(await pushedRefs()).toEqual([]);
    expect(registryDirs()).toEqual(dirsBefore);
  });

  test('no docker-registry on PATH: exit 2 naming the install, nothing built', async () => {
    const res = await stagebench(['run', '--scenarios', unshared(), '--builder', EXPECT.builders[0]!, '--deploy'], { env: { PATH: '/nonexistent' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('docker-registry is not installed');
    expect(res.stderr).toContain('sudo npm run setup');
    expect(res.stderr).not.toContain('hello › single');
  });
});
