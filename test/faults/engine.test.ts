import { jest } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { FROM, leftNothing, scenarios, stagebench } from './harness.js';

// Real builds and real processes: minutes, not jest's 5 s.
jest.setTimeout(180_000);

const ONE = scenarios({ app: { 'Dockerfile.single': `${FROM}\n`, Dockerfile: `${FROM}\n` } });

describe('the engine cannot be used', () => {
  test('unreachable: exit 3 at once, the address and the fix, nothing written', async () => {
    const res = await stagebench(['run', '--scenarios', ONE], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/docker.sock');
    expect(res.stderr).toContain('fix: DOCKER_HOST names /nonexistent/docker.sock, which does not exist: start the engine there, correct DOCKER_HOST');
    expect(res.results()).toBeUndefined();
    expect(res.ms).toBeLessThan(10_000);
    await leftNothing(res);
  });

  describe('an engine that accepts the connection and never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let host = '';
    // Resolves when the next client connects: stagebench is then waiting for the answer.
    let connected: Promise<void> = Promise.resolve();
    let onConnect = () => undefined as void;
    const nextConnection = () => (connected = new Promise<void>((resolve) => (onConnect = resolve)));
    beforeAll(async () => {
      server = createServer((s) => {
        sockets.push(s);
        onConnect();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      host = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    });

    test('exit 3 within the time limit (--engine-timeout), naming the limit and how to change it', async () => {
      const res = await stagebench(['run', '--scenarios', ONE, '--engine-timeout', '2'], { env: { DOCKER_HOST: host } });
      expect(res.code).toBe(3);
      expect(res.stderr).toContain(`the Docker engine at ${host} did not answer (reading the engine version) within 2 s`);
      expect(res.stderr).toContain('--engine-timeout <seconds> or STAGEBENCH_ENGINE_TIMEOUT');
      // Node's start-up, then the 2 s.
      expect(res.ms).toBeLessThan(8_000);
      await leftNothing(res);
    });

    test('the limit from STAGEBENCH_ENGINE_TIMEOUT', async () => {
      const res = await stagebench(['run', '--scenarios', ONE], { env: { DOCKER_HOST: host, STAGEBENCH_ENGINE_TIMEOUT: '1' } });
      expect(res.code).toBe(3);
      expect(res.stderr).toContain('within 1 s');
    });

    test.each(['SIGINT', 'SIGTERM'] as const)('%s during the wait exits 130 at once', async (name) => {
      nextConnection();
      // A moment after the connection, so the request is surely waiting.
      const res = await stagebench(['run', '--scenarios', ONE], { env: { DOCKER_HOST: host }, signal: { name, trigger: connected.then(() => new Promise((r) => setTimeout(r, 300))) } });
      expect(res.code).toBe(130);
      expect(res.afterSignalMs).toBeLessThan(1000);
      expect(res.stderr).toContain('interrupted while reading the engine version');
      await leftNothing(res);
    });
  });
});
