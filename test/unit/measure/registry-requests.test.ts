import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { republish } from '../../../harness/measure/registry.js';

// A registry that accepts a request and never answers must not hang the run: each request has the engine
// timeout until its answer begins, and Ctrl-C ends it at once.

let server: Server;
let address: string;
beforeAll(async () => {
  server = createServer(() => undefined); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a stuck registry: the request fails after the time limit, naming the request and the setting', async () => {
  const t0 = Date.now();
  await expect(republish(address, 'stagebench-deploy/hello', 'single-x', 'single-x-d0', [], 1, { signal: new AbortController().signal, timeoutMs: 200 })).rejects.toThrow(
    `the loopback registry did not answer GET http://${address}/v2/stagebench-deploy/hello/manifests/single-x: no answer within 0.2 s (--engine-timeout gives it longer)`,
  );
  expect(Date.now() - t0).toBeLessThan(5000);
});

test('Ctrl-C ends a request the registry does not answer, long before the time limit', async () => {
  const interrupt = new AbortController();
  const t0 = Date.now();
  setTimeout(() => interrupt.abort(), 50);
  await expect(republish(address, 'stagebench-deploy/hello', 'single-x', 'single-x-d0', [], 1, { signal: interrupt.signal, timeoutMs: 60_000 })).rejects.toThrow(/did not answer GET/);
  expect(Date.now() - t0).toBeLessThan(5000);
});
