import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { DockerEngine } from '../../../harness/engine/docker-engine.js';
import { EngineUnreachableError, InterruptedError } from '../../../harness/errors.js';

// An "engine" that accepts the connection and never answers (issue 13, defect 1).
let server: Server;
let port = 0;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const engine = (timeoutMs: number) => new DockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, { timeoutMs });

test('a silent engine: the first request fails after the time limit, naming the address and the flag', async () => {
  const t0 = performance.now();
  const err = await engine(300).facts().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineUnreachableError);
  expect((err as Error).message).toBe(`the Docker engine at tcp://127.0.0.1:${port} did not answer (reading the engine version) within 0.3 s`);
  expect((err as EngineUnreachableError).hint).toMatch(/--engine-timeout <seconds> or STAGEBENCH_ENGINE_TIMEOUT/);
  expect(performance.now() - t0).toBeLessThan(5000);
});

test('an interrupt stops the wait at once', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const err = await engine(60_000).facts(controller.signal).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InterruptedError);
});

test('clean-up against a silent engine gives up after the time limit', async () => {
  await expect(engine(300).cleanup({ containers: [], images: [], tags: [] }, new Set(), ['org.stagebench.run', 'x'])).rejects.toBeInstanceOf(EngineUnreachableError);
});
