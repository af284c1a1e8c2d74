// Is stagebench's compressed-size measurement slower than `docker save IMAGE | gzip -6 | wc -c`? Runs both on
// the same image in interleaved pairs of alternating order, stagebench with an empty layer cache each time
// (no reuse), and prints the median per-pair time ratio stagebench / pipeline, and both sizes.
//   npm run build && node scripts/bench-compressed.mjs [--image stagebench-local/node:18-runtime] [--pairs 3]
import { execa } from 'execa';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DockerEngine } from '../dist/index.js';
import { PullSizer } from '../dist/engine/compressed-size.js';
import { workerGzip } from '../dist/engine/gzip-pool.js';
import { analyzeImage } from '../dist/engine/image-export.js';
import { MemoryRecordCache } from '../dist/engine/layer-cache.js';
import { median } from '../dist/stats/summary.js';

const { values } = parseArgs({ options: { image: { type: 'string', default: 'stagebench-local/node:18-runtime' }, pairs: { type: 'string', default: '3' } } });
const engine = new DockerEngine(process.env);
const inspect = JSON.parse((await execa('docker', ['image', 'inspect', values.image])).stdout)[0];
console.log(`${values.image}: Size ${inspect.Size} B, ${inspect.RootFS.Layers.length} layers, ${Number(values.pairs)} pairs`);

async function viaStagebench() {
  const t0 = performance.now();
  const pool = workerGzip();
  const image = await engine.inspect(values.image);
  const [size] = await analyzeImage(image, () => engine.exportImage(image.id), [new PullSizer(new MemoryRecordCache(), pool)]);
  await pool.close();
  return { ms: performance.now() - t0, bytes: size.totalBytes };
}
async function viaPipeline() {
  const t0 = performance.now();
  const out = await execa('sh', ['-c', `docker save "$1" | gzip -6 | wc -c`, 'sh', values.image]);
  return { ms: performance.now() - t0, bytes: Number(out.stdout.trim()) };
}

const ratios = [];
for (let i = 0; i < Number(values.pairs); i++) {
  const [a, b] = i % 2 === 0 ? [viaStagebench, viaPipeline] : [viaPipeline, viaStagebench];
  const first = await a();
  const second = await b();
  const [sb, pipe] = i % 2 === 0 ? [first, second] : [second, first];
  ratios.push(sb.ms / pipe.ms);
  console.log(`pair ${i + 1}: stagebench ${sb.ms.toFixed(0)} ms (${sb.bytes} B), docker save | gzip -6 ${pipe.ms.toFixed(0)} ms (${pipe.bytes} B), ratio ${(sb.ms / pipe.ms).toFixed(3)}`);
}
console.log(`median time ratio stagebench / pipeline: ${median(ratios).toFixed(3)} (target <= 1.0)`);
