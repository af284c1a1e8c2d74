// Two `stagebench run`s at once on one engine, N times (default 20): do they all exit 0 with the sizes of
// a solo run? Prints one line per pair and a summary. Usage: node scripts/concurrent-runs.mjs [pairs]
// (after `npm run build`; uses the busybox fixture base the integration tests import).
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pairs = Number(process.argv[2] ?? 20);
const bin = new URL('../bin/stagebench.js', import.meta.url).pathname;
const base = 'stagebench-fixture/busybox:latest';
const dir = mkdtempSync(join(tmpdir(), 'sb-concurrent-'));
const files = {
  'one/Dockerfile.single': `FROM ${base}\nRUN head -c 300000 /dev/zero > /a\n`,
  'one/Dockerfile': `FROM ${base}\nRUN echo one > /a\n`,
  'two/Dockerfile.single': `FROM ${base}\nRUN head -c 200000 /dev/zero > /b\n`,
  'two/Dockerfile': `FROM ${base}\nRUN echo two > /b\n`,
};
for (const [file, content] of Object.entries(files)) {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), content);
}

async function run() {
  const out = mkdtempSync(join(tmpdir(), 'sb-concurrent-out-'));
  const res = await execa('node', [bin, 'run', '--scenarios', dir, '--no-compressed', '--no-smoke', '--out', out], { reject: false });
  const results = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
  const sizes = results.scenarios.flatMap((s) => s.variants.map((v) => `${s.name}/${v.id}=${v.status}:${v.sizeBytes}`)).join(' ');
  return { code: res.exitCode, sizes, stderr: res.stderr };
}

const solo = await run();
console.log(`solo: exit ${solo.code} ${solo.sizes}`);
let good = 0;
for (let i = 1; i <= pairs; i++) {
  const both = await Promise.all([run(), run()]);
  const ok = both.every((r) => r.code === 0 && r.sizes === solo.sizes);
  if (ok) good++;
  console.log(`pair ${i}: exit ${both.map((r) => r.code).join(',')} ${ok ? 'sizes as solo' : `DIFFERENT: ${both.map((r) => r.sizes).join(' | ')}`}`);
  for (const r of both) if (r.code !== 0) console.log(r.stderr.split('\n').slice(-5).join('\n'));
}
console.log(`${good}/${pairs} pairs: both runs exit 0 with the sizes of the solo run`);
process.exitCode = good === pairs ? 0 : 1;
