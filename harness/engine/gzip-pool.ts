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

/**
 * Bytes handed to zlib per call, and its output buffer. zlib's streams compress on libuv's thread pool, one
 * call at a time per stream; with 64 kB writes and its 16 kB default output buffer a layer takes thousands
 * of round trips between that pool and the worker, and with both cores compressing each waits for a core.
 * Batches of 4 MB bring two layers compressed at once close to two synchronous calls (the figures: the
 * commit that made them, and b1 in docs/performance.md). The bytes do not depend on either size.
 */
const BATCH = 4 * 1024 * 1024;
const OUTPUT_CHUNK = 1024 * 1024;

// A worker compresses any number of streams, each fed batch by batch, and acknowledges each batch once zlib
// has taken it, so the main thread can bound the bytes in flight. Inline (eval) so it runs the same from the
// compiled output and from the TypeScript sources under test.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createGzip } = require('node:zlib');
const jobs = new Map();
parentPort.on('message', (msg) => {
  if (msg.type === 'start') {
    const gzip = createGzip({ level: msg.level, chunkSize: msg.chunkSize });
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
  /** Start what the pool compresses with now (its worker threads), e.g. while an export's first byte is awaited. */
  prepare(): void;
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
    prepare: () => {},
    close: async () => {},
  };
}

interface Pending {
  resolve: (bytes: number) => void;
  reject: (err: Error) => void;
}

/**
 * Worker threads (as many as cores, by default), started on the first job and ended by close(). Jobs go to
 * the worker with the fewest running jobs. At most `maxInFlight` bytes are waiting in workers at a time
 * (plus one batch being filled per job): writes beyond that wait, so a fast export does not pile up in memory.
 */
export function workerGzip(workers = availableParallelism(), maxInFlight = 256 * 1024 * 1024, batchBytes = BATCH): GzipPool {
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
    prepare() {
      while (threads.length < Math.max(1, workers)) spawn();
    },
    start() {
      const thread = pick();
      const id = nextId++;
      thread.running++;
      const done = new Promise<number>((resolve, reject) => pending.set(id, { resolve, reject, thread }));
      thread.worker.postMessage({ type: 'start', id, level: GZIP_LEVEL, chunkSize: OUTPUT_CHUNK });
      // Chunks are copied into a batch (made when the first bytes come), which is handed over (transferred,
      // not copied again) when full or at the end. Transferring a chunk itself would detach its whole
      // underlying buffer, which other slices may share.
      let batch: Uint8Array<ArrayBuffer> | undefined;
      let filled = 0;
      const send = () => {
        if (!batch || filled === 0) return;
        inFlight += filled;
        thread.worker.postMessage({ type: 'chunk', id, data: batch.subarray(0, filled) }, [batch.buffer]);
        batch = undefined;
        filled = 0;
      };
      return {
        async write(chunk) {
          if (failure) throw failure;
          for (let at = 0; at < chunk.byteLength; ) {
            batch ??= new Uint8Array(batchBytes);
            const n = Math.min(chunk.byteLength - at, batch.length - filled);
            batch.set(chunk.subarray(at, at + n), filled);
            filled += n;
            at += n;
            if (filled === batch.length) send();
          }
          if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiters.push(resolve));
        },
        end() {
          if (failure) return Promise.reject(failure);
          send();
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
