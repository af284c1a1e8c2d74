// Is stagebench's build path slower than the docker CLI's? Builds the same Dockerfile both ways, with the
// same builder and no layer cache, in interleaved pairs whose order alternates (AB, BA, ...) so drift on a
// noisy machine hits both alike, and prints the median of the per-pair ratios stagebench / CLI.
//   npm run build && node scripts/bench-overhead.mjs [--pairs 5] [--builder buildkit|classic]
//     [--context <dir>] [--dockerfile <name>] [--build-arg K=V ...] [--cli <docker binary>]
// stagebench side: DockerEngine.build() wall time (packing the context, POST /build, up to the image id).
// CLI side: `docker build --no-cache` wall time, DOCKER_BUILDKIT=1 or 0; it includes starting the CLI process,
// as a user running it would see. The CLI must be able to use the
// builder asked for: BuildKit needs buildx or a CLI older than 23 (e.g. Debian's /usr/bin/docker 20.10).
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DockerEngine } from '../dist/index.js';
import { median } from '../dist/stats/summary.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '5' },
    builder: { type: 'string', default: 'buildkit' },
    context: { type: 'string', default: 'test/fixtures/scenarios/hello' },
    dockerfile: { type: 'string', default: 'Dockerfile' },
    'build-arg': { type: 'string', multiple: true, default: [] },
    cli: { type: 'string', default: existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker' },
  },
});
const pairs = Number(values.pairs);
const buildArgs = Object.fromEntries(values['build-arg'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const engine = new DockerEngine(process.env);
const facts = await engine.facts();
const tag = (who, i) => `stagebench-overhead/${who}:${i}`;

async function viaStagebench(i) {
  const t0 = performance.now();
  const build = await engine.build({
    contextDir: values.context, dockerfile: values.dockerfile, builder: values.builder, tag: tag('stagebench', i),
    labels: {}, buildArgs, noCache: true,
  });
  if (build.failure) throw new Error(`stagebench build failed: ${build.failure.message}`);
  return { ms: performance.now() - t0, reported: build.buildMs };
}

async function viaCli(i) {
  const t0 = performance.now();
  await execa(values.cli, ['build', '--no-cache', '-q', ...values['build-arg'].flatMap((kv) => ['--build-arg', kv]), '-f', `${values.context}/${values.dockerfile}`, '-t', tag('cli', i), values.context], {
    env: { DOCKER_BUILDKIT: values.builder === 'buildkit' ? '1' : '0' },
  });
  return { ms: performance.now() - t0 };
}

console.log(`engine ${facts.serverVersion}, builder ${values.builder}, ${values.context}/${values.dockerfile}, ${pairs} pairs, CLI ${values.cli}`);
const ratios = [];
try {
  await viaStagebench('warm-up');
  await viaCli('warm-up');
  for (let i = 0; i < pairs; i++) {
    const first = i % 2 === 0 ? viaStagebench : viaCli;
    const second = i % 2 === 0 ? viaCli : viaStagebench;
    const a = await first(i);
    const b = await second(i);
    const [sb, cli] = i % 2 === 0 ? [a, b] : [b, a];
    ratios.push(sb.ms / cli.ms);
    console.log(`pair ${i + 1}: stagebench ${sb.ms.toFixed(0)} ms (buildMs ${sb.reported}), CLI ${cli.ms.toFixed(0)} ms, ratio ${(sb.ms / cli.ms).toFixed(3)}`);
  }
  console.log(`median ratio stagebench / CLI: ${median(ratios).toFixed(3)} (target <= 1.05)`);
} finally {
  const images = (await execa(values.cli, ['images', '-q', '--filter', 'reference=stagebench-overhead/*'])).stdout.split('\n').filter(Boolean);
  if (images.length > 0) await execa(values.cli, ['rmi', '-f', ...new Set(images)], { reject: false });
}
