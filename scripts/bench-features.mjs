// What do the measurements of issue 15 (wasted bytes, efficiency and packages from each layer's files;
// start-up time; update download) cost a default run? Runs `stagebench run` with them on and with them off
// (--no-files: the file listings are the only part that reads anything more; start-up time comes from the smoke
// check a default run makes anyway, and the update download is arithmetic on digests), in interleaved pairs
// whose order alternates (AB, BA, ...), and prints each pair's ratio on/off and their median (target ≤ 1.15).
//   npm run bench:features -- [--pairs 3] [--profile offline] [--scenario go-app ...] [--no-layer-cache]
// Both sides share one fresh layer cache (a temporary XDG_CACHE_HOME), warmed by an untimed run of each, so
// they are timed as a user's second and later runs are; --no-layer-cache times both without any cache.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { median } from '../dist/stats/summary.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    profile: { type: 'string', default: 'offline' },
    scenario: { type: 'string', multiple: true, default: [] },
    'no-layer-cache': { type: 'boolean', default: false },
  },
});
const pairs = Number(values.pairs);
const scratch = mkdtempSync(join(tmpdir(), 'stagebench-features-'));
const common = ['run', '--profile', values.profile, ...values.scenario.flatMap((s) => ['--scenario', s]), '--format', 'json', ...(values['no-layer-cache'] ? ['--no-layer-cache'] : [])];
const env = { ...process.env, XDG_CACHE_HOME: join(scratch, 'cache') };

async function timed(label, extra, i) {
  const t0 = performance.now();
  const res = await execa('node', ['bin/stagebench.js', ...common, ...extra, '--out', join(scratch, `${label}-${i}`)], { env, reject: false });
  const ms = performance.now() - t0;
  if (res.exitCode !== 0) throw new Error(`${label} run exited ${res.exitCode}: ${res.stderr.split('\n').slice(-5).join('\n')}`);
  return ms;
}
const on = (i) => timed('on', [], i);
const off = (i) => timed('off', ['--no-files'], i);

console.log(`stagebench run ${common.join(' ')}: ${pairs} pairs, on vs --no-files${values['no-layer-cache'] ? ', no layer cache' : ', layer cache warmed'}`);
const ratios = [];
try {
  await on('warm-up');
  await off('warm-up');
  for (let i = 0; i < pairs; i++) {
    const [a, b] = i % 2 === 0 ? [await on(i), await off(i)] : [await off(i), await on(i)].reverse();
    ratios.push(a / b);
    console.log(`pair ${i + 1}: on ${(a / 1000).toFixed(1)} s, off ${(b / 1000).toFixed(1)} s, ratio ${(a / b).toFixed(3)}`);
  }
  console.log(`median ratio on/off: ${median(ratios).toFixed(3)} (target ≤ 1.15)`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
