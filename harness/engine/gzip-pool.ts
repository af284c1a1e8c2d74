import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createGzip } from 'node:zlib';

/** gzip level 6, the same as docker push's default. */
export const GZIP_LEVEL = 6;

/**
 * What decides a gzipped size besides the bytes: part of every cache key. Node's zlib with these settings
 * gives the same bytes however the input is split into chunks, in a worker thread or not.
 */
export const COMPRESSOR = `gzip-${GZIP_LEVEL}/zlib-${process.versions.zlib}`;

// A worker compresses any number of streams, each fed chunk by chunk, and acknowledges each chunk once zlib
// has taken it, so the main thread can bound the bytes in flight. Inline (eval) so it runs the same from the
// compiled output and from the TypeScript sources under test.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createGzip } = require('node:zlib');
const jobs = new Map();
parentPort.on('message', (msg) => {
  if (msg.type === 'start') {
    const gzip = createGzip({ level: msg.level });
    const job = { gzip, bytes: 0, failed: false };
    gzip.on('data', (c) => (job.bytes += c.length));
    gzip.on('end', () => { jobs.delete(msg.id); parentPort.postMessage({ type: 'done', id: msg.id, bytes: job.bytes }); });
    gzip.on('error', (e) => { job.failed = true; jobs.delete(msg.id); parentPort.postMessage({ type: 'error', id: msg.id, message: String(e && e.message) }); });
    jobs.set(msg.id, job);
  } else if (msg.type === 'chunk') {
    const job = jobs.get(msg.id);
    const n = msg.data.byteLength;
    if (!job) return parentPort.postMessage({ type: 'ack', id: msg.id, n });
    job.gzip.write(Buffer.from(msg.data.buffer, msg.data.byteOffset, n), () => parentPort.postMessage({ type: 'ack', id: msg.id, n }));
  } else if (msg.type === 'end') {
    const job = jobs.get(msg.id);
    if (job) job.gzip.end();
  }
});
`;

/** One stream being compressed: feed it, then end it for its gzipped size in bytes. */
export interface GzipJob {
  /** Resolves when the pool has room for more input (bounded memory); never holds on to `chunk`. */
  write(chunk: Uint8Array): Promise<void>;
  end(): Promise<number>;
}

/** Gzips streams: in worker threads across the machine's cores, or on the main thread. */
export interface GzipPool {
  start(): GzipJob;
  close(): Promise<void>;
}

/** On the main thread, one stream at a time: the yardstick the workers must match byte for byte. */
export function inlineGzip(): GzipPool {
  return {
    start() {
      const gzip = createGzip({ level: GZIP_LEVEL });
      let bytes = 0;
      gzip.on('data', (c: Buffer) => (bytes += c.length));
      const finished = new Promise<number>((resolve, reject) => {
        gzip.on('end', () => resolve(bytes));
        gzip.on('error', reject);
      });
      return {
        write: (chunk) => new Promise<void>((resolve) => (gzip.write(chunk) ? resolve() : gzip.once('drain', () => resolve()))),
        end: () => {
          gzip.end();
          return finished;
        },
      };
    },
    close: async () => {},
  };
}

interface Pending {
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
}

/**
 * Worker threads (as many as cores, by default), started on the first job and ended by close(). Jobs go to
 * the worker with the fewest running jobs. At most `maxInFlight` bytes are waiting in workers at a time:
 * writes beyond that wait, so a fast export does not pile up in memory.
 */
export function workerGzip(workers = availableParallelism(), maxInFlight = 256 * 1024 * 1024): GzipPool {
  const threads: { worker: Worker; running: number }[] = [];
  const pending = new Map<number, Pending & { thread: (typeof threads)[number] }>();
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  let nextId = 0;
  let failure: Error | undefined;

  const release = (n: number) => {
    inFlight -= n;
    if (inFlight < maxInFlight) {
      const ready = waiters;
      waiters = [];
      for (const w of ready) w();
    }
  };
  const spawn = () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const thread = { worker, running: 0 };
    worker.on('message', (msg: { type: string; id: number; n?: number; bytes?: number; message?: string }) => {
      if (msg.type === 'ack') return release(msg.n!);
      const job = pending.get(msg.id);
      if (!job) return;
      pending.delete(msg.id);
      thread.running--;
      if (msg.type === 'done') job.resolve(msg.bytes!);
      else job.reject(new Error(`gzip failed: ${msg.message}`));
    });
    worker.on('error', (err) => {
      failure = err;
      for (const [id, job] of pending) {
        if (job.thread !== thread) continue;
        pending.delete(id);
        job.reject(err);
      }
      release(inFlight);
    });
    threads.push(thread);
    return thread;
  };
  const pick = () => {
    if (threads.length < Math.max(1, workers)) return spawn();
    return threads.reduce((a, b) => (b.running < a.running ? b : a));
  };

  return {
    start() {
      const thread = pick();
      const id = nextId++;
      thread.running++;
      const done = new Promise<number>((resolve, reject) => pending.set(id, { resolve, reject, thread }));
      thread.worker.postMessage({ type: 'start', id, level: GZIP_LEVEL });
      return {
        async write(chunk) {
          if (failure) throw failure;
          inFlight += chunk.byteLength;
          // A copy of just these bytes, handed over without a second copy. Cloning or transferring the chunk
          // itself would copy or detach its whole underlying buffer, which other slices may share.
          const data = new Uint8Array(chunk);
          thread.worker.postMessage({ type: 'chunk', id, data }, [data.buffer]);
          if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiters.push(resolve));
        },
        end() {
          thread.worker.postMessage({ type: 'end', id });
          return done;
        },
      };
    },
    async close() {
      await Promise.all(threads.splice(0).map((t) => t.worker.terminate()));
    },
  };
}
