import { METHODS, type Results, type VariantResult } from '../../harness/results/schema.js';
import { compareToReference } from '../../harness/results/summarize.js';

export function variant(id: string, over: Partial<VariantResult> = {}): VariantResult {
  return { id, dockerfile: id === 'single' ? 'Dockerfile.single' : id === 'multi' ? 'Dockerfile' : `Dockerfile.${id}`, status: 'ok', buildArgs: {}, baseImages: ['node:24-alpine'], ...over };
}

/** A small, fully specified results document for the renderers; a `reference` other than single is written as a run writes it. */
export function results(variants: VariantResult[], reference?: string): Results {
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
    scenarios: [{ name: 'node-app', ...(reference ? { reference } : {}), variants, comparisons: compareToReference(variants, reference) }],
  };
}

/** Like results(), with one scenario per entry, in the order given; `references` by scenario name where not single. */
export function scenarioResults(scenarios: Record<string, VariantResult[]>, references: Record<string, string> = {}): Results {
  return {
    ...results([]),
    scenarios: Object.entries(scenarios).map(([name, variants]) => {
      const reference = references[name];
      return { name, ...(reference ? { reference } : {}), variants, comparisons: compareToReference(variants, reference) };
    }),
  };
}
