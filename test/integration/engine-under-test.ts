import { statSync } from 'node:fs';

/**
 * Which engine the integration suite runs on, chosen by one variable, STAGEBENCH_TEST_ENGINE:
 *   host (default)        whatever DOCKER_HOST / the local socket reaches: the host's Docker 20.10 in CI
 *   docker26              Docker 26.1, overlay2 graph-driver store   } brought up by offline/engines.sh,
 *   docker26-containerd   Docker 26.1, containerd image store        } which sets DOCKER_HOST:
 *   podman                Podman 4.3 (buildah)                       } `offline/engines.sh exec <engine> …`
 * Test titles carry the name, so a report says which engine each result is from.
 */
export type TestEngine = 'host' | 'docker26' | 'docker26-containerd' | 'podman';
const KNOWN: TestEngine[] = ['host', 'docker26', 'docker26-containerd', 'podman'];

const asked = process.env.STAGEBENCH_TEST_ENGINE || 'host';
if (!KNOWN.includes(asked as TestEngine)) throw new Error(`STAGEBENCH_TEST_ENGINE=${asked} is not one of ${KNOWN.join(', ')}`);
export const TEST_ENGINE = asked as TestEngine;

// The engines of offline/engines.sh answer on its sockets; an explicit DOCKER_HOST wins.
if (TEST_ENGINE !== 'host' && !process.env.DOCKER_HOST) {
  process.env.DOCKER_HOST = `unix://${process.env.STAGEBENCH_ENGINES_RUN ?? '/run/stagebench-engines'}/${TEST_ENGINE}.sock`;
}

// Podman's containers live in its own network namespace: smoke checks and the loopback registry only
// work from inside it.
if (TEST_ENGINE === 'podman') {
  const inode = (p: string) => {
    try {
      return statSync(p).ino;
    } catch {
      return undefined;
    }
  };
  if (inode('/proc/self/ns/net') !== inode('/run/netns/sbpod')) {
    throw new Error('STAGEBENCH_TEST_ENGINE=podman must run inside Podman\'s network namespace: offline/engines.sh exec podman npm run test:engine');
  }
}

/** What the engine is expected to report, and what it can do. */
export const EXPECT = {
  kind: TEST_ENGINE === 'podman' ? 'podman' : 'docker',
  imageStore: TEST_ENGINE === 'podman' ? 'containers-storage' : TEST_ENGINE === 'docker26-containerd' ? 'containerd' : 'graphdriver',
  /** Builders to run the suite with: BuildKit is refused on the containerd store of 26.1; Podman builds with buildah either way. */
  builders: (TEST_ENGINE === 'docker26-containerd' ? ['classic'] : TEST_ENGINE === 'podman' ? ['buildkit'] : ['buildkit', 'classic']) as ('buildkit' | 'classic')[],
} as const;

export const ENGINE_TITLE = `[engine ${TEST_ENGINE}${process.env.DOCKER_HOST ? ` at ${process.env.DOCKER_HOST}` : ''}]`;
