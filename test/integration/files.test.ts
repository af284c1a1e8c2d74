import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Results } from '../../harness/results/schema.js';
import { engineAnswers, FIXTURES, stagebench } from './cli-harness.js';
import { ensureFixtureBase } from './fixture-base.js';

jest.setTimeout(300_000);

const engine = await engineAnswers();
if (!engine && process.env.CI) throw new Error('CI=true but no Docker engine answers: the integration tests must run in CI (see .ci/run)');
if (!engine) console.warn('No Docker engine answers: the integration tests are SKIPPED. Start dockerd (see the README) to run them.');

const size = (path: string) => statSync(join(FIXTURES, 'files/waste', path)).size;

(engine ? describe.each(['buildkit', 'classic']) : describe.skip.each(['buildkit']))('wasted bytes and packages of real images (%s)', (builder) => {
  let cache: string;
  beforeAll(async () => {
    await ensureFixtureBase();
    cache = mkdtempSync(join(tmpdir(), 'sb-cache-'));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  test('equal what the Dockerfile put there by construction, read from the export once and then from the cache', async () => {
    const runOnce = async () => {
      const res = await stagebench(['run', '--scenarios', join(FIXTURES, 'files'), '--builder', builder, '--format', 'json'], { env: { XDG_CACHE_HOME: cache } });
      expect(res.code).toBe(0);
      return JSON.parse(res.stdout) as Results;
    };
    const first = await runOnce();
    const [multi, single] = ['multi', 'single'].map((id) => first.scenarios[0]!.variants.find((v) => v.id === id)!) as [Results['scenarios'][0]['variants'][0], Results['scenarios'][0]['variants'][0]];
    const busybox = statSync('/bin/busybox').size;
    const devOnly = size('pkg/node_modules/dev-only/package.json');
    const leftPad = size('pkg/node_modules/left-pad/package.json');
    const status = size('pkg/var/lib/dpkg/status');
    // 5 MB written then deleted; 3000 + 2000 overwritten; 100 + 200 under a deleted directory; a deleted package.
    expect(single.wastedBytes).toBe(5_000_000 + 5000 + 300 + devOnly);
    expect(single.wastedPaths!.slice(0, 4)).toEqual([
      { path: '/big', bytes: 5_000_000, layer: 1 },
      { path: '/conf/app.conf', bytes: 3000, layer: 3 },
      { path: '/conf/app.conf', bytes: 2000, layer: 4 },
      { path: '/srv/sub/b', bytes: 200, layer: 6 },
    ]);
    expect(single.rootLayers!.map((l) => l.wastedBytes)).toEqual([0, 5_000_000, 0, 3000, 2000, 0, 300, 0, devOnly, 0, 0]);
    expect(single.rootLayers!.map((l) => l.diffId)).toHaveLength(single.layerCount!);
    const kept = busybox + 1000 + 50 + status + 2 * leftPad;
    expect(single.efficiency).toBe(kept / (kept + 5_000_000 + 5000 + 300 + devOnly));
    expect(single.packages).toEqual({ deb: ['busybox-static@1:1.35.0-4+b3'], npm: ['left-pad@1.3.0'] });
    expect([multi.wastedBytes, multi.efficiency, multi.packages]).toEqual([0, 1, {}]);
    // Every layer is cached now: the second run reads no layer again and finds the same.
    const second = await runOnce();
    const pick = (r: Results) => r.scenarios[0]!.variants.map((v) => [v.wastedBytes, v.efficiency, v.wastedPaths, v.packages]);
    expect(pick(second)).toEqual(pick(first));
  });
});
