import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Smoke } from '../config/schemas.js';
import type { Engine } from '../engine/engine.js';
import { errorMessage } from '../errors.js';
import type { SmokeResult } from '../results/schema.js';

/** How often the HTTP check probes: small, so it adds at most this much to a measured start-up time. */
export const PROBE_INTERVAL_MS = 10;

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves after ms, or at once when the signal aborts; never keeps the process alive past either. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    // An abort before the sleep began fires no event: resolve at once, or Ctrl-C waits out the whole timeout.
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Creates and starts the image (ms counts from the create) and checks that it works: an HTTP path answering 2xx on 127.0.0.1 (host networking, so
 * nothing leaves loopback), or a command exiting with the expected status. The container is always removed.
 */
export async function smokeCheck(engine: Engine, image: string, smoke: Smoke, labels: Record<string, string>, signal: AbortSignal): Promise<SmokeResult> {
  const timeoutMs = smoke.timeoutMs ?? 30_000;
  const env = { ...smoke.env };
  let check: string;
  let port = 0;
  if (smoke.http) {
    port = smoke.http.port ?? (await freePort());
    if (smoke.http.portEnv) env[smoke.http.portEnv] = String(port);
    check = `GET http://127.0.0.1:${port}${smoke.http.path}`;
  } else {
    check = `run ${JSON.stringify(smoke.command)} expecting exit ${smoke.exitCode ?? 0}`;
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let container;
  try {
    container = await engine.startContainer({ image, labels, env, cmd: smoke.command, network: smoke.http ? 'host' : 'none' });
  } catch (err) {
    return { status: 'failed', check, ms: elapsed(), reason: `the container did not start: ${errorMessage(err)}` };
  }
  let exitStatus: number | undefined;
  void container.exited.then((code) => (exitStatus = code), () => undefined);
  const failed = async (reason: string): Promise<SmokeResult> => ({ status: 'failed', check, ms: elapsed(), reason, logTail: await container.logTail().catch(() => []) });
  const interrupted = () => failed('interrupted: the check was cancelled');
  try {
    if (!smoke.http) {
      // The timeout's sleep is cancelled when the container exits first, or its timer keeps the process alive.
      const done = new AbortController();
      const code = await Promise.race([container.exited, sleep(timeoutMs, AbortSignal.any([signal, done.signal])).then(() => undefined)]).finally(() => done.abort());
      if (signal.aborted) return await interrupted();
      if (code === undefined) return await failed(`still running after ${timeoutMs} ms`);
      if (code !== (smoke.exitCode ?? 0)) return await failed(`exited with ${code}`);
      return { status: 'ok', check, ms: elapsed() };
    }
    let lastError = 'no answer yet';
    while (elapsed() < timeoutMs) {
      if (signal.aborted) return await interrupted();
      if (exitStatus !== undefined) return await failed(`the container exited with ${exitStatus} before answering`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}${smoke.http.path}`, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
        // Release the connection now rather than when the unread body is collected.
        await res.body?.cancel();
        if (res.ok) return { status: 'ok', check, ms: elapsed() };
        lastError = `HTTP ${res.status}`;
      } catch (err) {
        lastError = errorMessage((err as Error).cause ?? err);
      }
      await sleep(PROBE_INTERVAL_MS, signal);
    }
    return await failed(`no 2xx answer within ${timeoutMs} ms (last: ${lastError})`);
  } finally {
    await container.remove();
  }
}
