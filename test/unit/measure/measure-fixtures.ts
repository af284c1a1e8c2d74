import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioFile } from '../../../harness/config/schemas.js';
import type { BenchOptions } from '../../../harness/measure/options.js';
import type { VariantResult } from '../../../harness/results/schema.js';
import type { Scenario } from '../../../harness/scenarios/scenario.js';

/** A scenario folder holding these files, with one variant per Dockerfile named. */
export function scenario(files: Record<string, string>, file: ScenarioFile = {}, name = 'app'): Scenario {
  const dir = mkdtempSync(join(tmpdir(), 'sb-measure-'));
  for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
  const variants = Object.keys(files)
    .filter((f) => f.startsWith('Dockerfile'))
    .map((f) => ({ id: f === 'Dockerfile' ? 'multi' : f.replace('Dockerfile.', ''), dockerfile: f, path: f }));
  return { name, dir, variants, reference: file.reference ?? 'single', file };
}

/** What progress said, in order: "variant …", "step …", "line …". */
export function recordingProgress(): BenchOptions['progress'] & { said: string[] } {
  const said: string[] = [];
  return { said, variant: (s, v) => said.push(`variant ${s}/${v}`), measuring: (s, v) => said.push(`measuring ${s}/${v}`), step: (t) => said.push(`step ${t}`), line: (t) => said.push(`line ${t}`) };
}

export function benchOptions(over: Partial<BenchOptions> = {}): BenchOptions {
  return {
    scenarios: [],
    builder: 'buildkit',
    keepImages: false,
    smoke: false,
    noCache: false,
    runs: 1,
    warmup: 0,
    modes: [],
    compressed: false,
    files: false,
    layerCache: false,
    deploy: false,
    jobs: 1,
    git: null,
    toolVersion: 't',
    signal: new AbortController().signal,
    progress: recordingProgress(),
    save: async () => undefined,
    ...over,
  };
}

export const emptyResult = (id: string, dockerfile: string): VariantResult => ({ id, dockerfile, status: 'failed', buildArgs: {}, baseImages: [] });
