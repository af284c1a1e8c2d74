import type { BuildOutcome, BuildRequest, Engine, EngineFacts } from '../../../harness/engine/engine.js';

export const FAKE_FACTS: EngineFacts = { kind: 'docker', serverVersion: '20.10.24', apiVersion: '1.41', storageDriver: 'overlay2', imageStore: 'graphdriver', os: 'linux', arch: 'amd64', ncpu: 2, kernelVersion: 'k' };

/** Size per Dockerfile name, so every variant gets its own plausible figure. */
const SIZES: Record<string, number> = { 'Dockerfile.single': 300_000_000, Dockerfile: 80_000_000, 'Dockerfile.scratch': 5_000_000 };

/**
 * The Engine seam for CLI tests: every build succeeds in 5 ms with a size per Dockerfile; `present` lists the
 * paths that `contains` finds in every image. Smoke checks are not emulated: pass --no-smoke.
 */
export function fakeEngine(opts: { present?: string[] } = {}): Engine & { builds: BuildRequest[] } {
  const builds: BuildRequest[] = [];
  return {
    builds,
    facts: async () => FAKE_FACTS,
    hasImage: async () => true,
    pull: async () => undefined,
    build: async (req: BuildRequest): Promise<BuildOutcome> => {
      builds.push(req);
      const id = `sha256:${req.dockerfile}`;
      return { imageId: id, auxIds: [id], intermediateIds: [], containerIds: [], steps: [], warnings: [], buildMs: 5 };
    },
    inspect: async (id: string) => ({ id, sizeBytes: SIZES[id.replace('sha256:', '')] ?? 1_000_000, layerCount: 2, historyCount: 3, history: [] }),
    startContainer: async () => {
      throw new Error('the fake engine runs no containers: pass --no-smoke');
    },
    pathsPresent: async (_image: string, paths: string[]) => new Set(paths.filter((p) => opts.present?.includes(p))),
    diskUsage: async () => new Map(),
    compressedSize: async (id: string) => ({ totalBytes: Math.round((SIZES[id.replace('sha256:', '')] ?? 1_000_000) / 3), configBytes: 1000, layers: [] }),
    cleanup: async () => [],
  };
}
