import { jest } from '@jest/globals';
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../harness/results/schema.js';
import { engineAnswers, engineState, FIXTURES, stagebench } from './cli-harness.js';
import { ENGINE_TITLE, EXPECT, TEST_ENGINE } from './engine-under-test.js';
import { ensureFixtureBase } from './fixture-base.js';

jest.setTimeout(300_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');
const describeEngine = engine ? describe : describe.skip;

describeEngine(`${ENGINE_TITLE} what stagebench knows of the engine`, () => {
  beforeAll(() => ensureFixtureBase());

  test('the engine, its image store, address and the builder really used are recorded and printed', async () => {
    const builder = EXPECT.builders[0]!;
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--builder', builder, '--no-smoke', '--no-compressed', '--format', 'json']);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    const address = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    expect(results.engine).toMatchObject({ kind: EXPECT.kind, imageStore: EXPECT.imageStore, address });
    expect(results.builderUsed).toBe(EXPECT.kind === 'podman' ? 'buildah' : builder);
    expect(res.stderr).toContain(`engine: ${EXPECT.kind === 'podman' ? 'Podman' : 'Docker'} ${results.engine.serverVersion} at ${address}`);
    if (EXPECT.imageStore === 'containerd') {
      for (const v of results.scenarios[0]!.variants) {
        // Stored content (gzipped layers) is far below the unpacked size; unique never exceeds the size.
        expect(v.storedContentBytes!).toBeLessThan(v.sizeBytes!);
        expect(v.uniqueBytes!).toBeLessThanOrEqual(v.sizeBytes!);
      }
    }
  });

  test('`docker context use` is honoured without DOCKER_HOST', async () => {
    const endpoint = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    const config = mkdtempSync(join(tmpdir(), 'sb-context-'));
    // The docker CLI itself writes the context and makes it current, as a user would.
    const cli = { env: { DOCKER_CONFIG: config, DOCKER_HOST: '', DOCKER_CONTEXT: '' } };
    await execa('docker', ['context', 'create', 'sb-test', '--docker', `host=${endpoint}`], cli);
    await execa('docker', ['context', 'use', 'sb-test'], cli);
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--scenario', 'hello', '--builder', EXPECT.builders[0]!, '--no-smoke', '--no-compressed', '--format', 'json'], cli);
    expect(res.code).toBe(0);
    const results = JSON.parse(res.stdout) as Results;
    expect(results.engine).toMatchObject({ kind: EXPECT.kind, imageStore: EXPECT.imageStore, address: `${endpoint} (context sb-test)` });
    expect(res.stderr).toContain(`at ${endpoint} (context sb-test)`);
  });

  (TEST_ENGINE === 'docker26-containerd' ? test : test.skip)('BuildKit on the containerd store of 26.1 is refused before anything is built (exit 2)', async () => {
    const before = await engineState();
    const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'scenarios'), '--builder', 'buildkit']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('BuildKit cannot build on Docker 26.1');
    expect(res.stderr).toContain('moby/moby#47717');
    expect(res.stderr).toContain('fix: pass --builder classic, or use Docker 27.5 or newer');
    expect(await engineState()).toEqual(before);
  });
});
