import { METHODS, type Results, type VariantResult } from '../../harness/results/schema.js';
import { compareToSingle } from '../../harness/results/summarize.js';

export function variant(id: string, over: Partial<VariantResult> = {}): VariantResult {
  return { id, dockerfile: id === 'single' ? 'Dockerfile.single' : id === 'multi' ? 'Dockerfile' : `Dockerfile.${id}`, status: 'ok', buildArgs: {}, baseImages: ['node:24-alpine'], ...over };
}

/** A small, fully specified results document for the renderers. */
export function results(variants: VariantResult[]): Results {
  return {
    schemaVersion: 2,
    createdAt: '2026-11-27T12:00:00.000Z',
    tool: { name: 'stagebench', version: '0.1.0' },
    run: { id: 'abc', status: 'complete', finishedAt: '2026-11-27T12:01:00.000Z' },
    git: { commit: 'deadbeef', dirty: false },
    engine: { serverVersion: '20.10.24', apiVersion: '1.41', storageDriver: 'overlay2', imageStore: 'graphdriver', os: 'linux', arch: 'amd64', ncpu: 2, kernelVersion: '6.1' },
    builder: 'buildkit',
    buildCache: 'used',
    methods: METHODS,
    scenarios: [{ name: 'node-app', variants, comparisons: compareToSingle(variants) }],
  };
}

/** Like results(), with one scenario per entry, in the order given. */
export function scenarioResults(scenarios: Record<string, VariantResult[]>): Results {
  return {
    ...results([]),
    scenarios: Object.entries(scenarios).map(([name, variants]) => ({ name, variants, comparisons: compareToSingle(variants) })),
  };
}
