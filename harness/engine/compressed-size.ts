import { COMPRESSOR, type GzipJob, type GzipPool } from './gzip-pool.js';
import type { EntrySink, ExportConsumer, ExportEntry, ExportIndex, ExportPass, ImageLayers, LayerAnalysis } from './image-export.js';
import type { RecordCache } from './layer-cache.js';

export interface CompressedSize {
  /** Config (stored as is) plus every layer compressed: what a registry stores for the image. */
  totalBytes: number;
  configBytes: number;
  layers: {
    diffId: string;
    gzipBytes: number;
    /** cache: known from an earlier measurement; compressed: gzipped now; stored: the engine's blob is already compressed. */
    source: 'cache' | 'compressed' | 'stored';
  }[];
  /** How many of `layers` came from the layer cache, this image's record included. */
  layersFromCache: number;
}

interface LayerRecord {
  tarBytes: number;
  gzipBytes: number;
}
interface ImageRecord {
  configBytes: number;
  layers: { diffId: string; gzipBytes: number; stored?: boolean }[];
}

/** Cache kinds. Keys start with COMPRESSOR: what, besides the content, decides a gzipped size. */
const LAYER = 'pull-size/layer';
const IMAGE = 'pull-size/image';

const isLayerRecord = (v: unknown): v is LayerRecord => Number.isSafeInteger((v as LayerRecord)?.tarBytes) && Number.isSafeInteger((v as LayerRecord)?.gzipBytes);
const isImageRecord = (v: unknown): v is ImageRecord =>
  Number.isSafeInteger((v as ImageRecord)?.configBytes) &&
  Array.isArray((v as ImageRecord).layers) &&
  (v as ImageRecord).layers.every((l) => typeof l?.diffId === 'string' && Number.isSafeInteger(l.gzipBytes));

/** Entries up to this size are held until hashed, then compressed only when their digest is not cached. */
const HOLD = 1024 * 1024;

/**
 * The pull size of an image: config plus each layer gzipped at level 6 (or the engine's stored blob when it
 * is already compressed). Per-layer results are cached by DiffID, and each image's whole result by image id
 * (a digest of its config, or of its manifest on the containerd store, so it fixes config and layers): a
 * known image costs no export at all, a known layer is never compressed again. New layers are compressed
 * in the pool (worker threads), several at a time, while the export is still being read.
 */
export class PullSizer implements LayerAnalysis<CompressedSize> {
  /** Layers being compressed now, by DiffID: concurrent measurements of images sharing a layer wait for one. */
  private readonly inflight = new Map<string, Promise<number>>();

  constructor(
    private readonly records: RecordCache,
    private readonly pool: GzipPool,
  ) {}

  private async layerRecord(diffId: string): Promise<LayerRecord | undefined> {
    const value = await this.records.get(LAYER, `${COMPRESSOR} ${diffId}`);
    return isLayerRecord(value) ? value : undefined;
  }

  async fromCache(image: ImageLayers): Promise<CompressedSize | undefined> {
    const record = await this.records.get(IMAGE, `${COMPRESSOR} ${image.id}`);
    if (!isImageRecord(record) || record.layers.length !== image.diffIds.length) return undefined;
    const layers = record.layers.map((l) => ({ diffId: l.diffId, gzipBytes: l.gzipBytes, source: 'cache' as const }));
    return { totalBytes: record.configBytes + layers.reduce((n, l) => n + l.gzipBytes, 0), configBytes: record.configBytes, layers, layersFromCache: layers.length };
  }

  private compress(job: GzipJob, onDone: (gzipBytes: number, digest: string) => Promise<void>): EntrySink & { result: Promise<number> } {
    let settle!: (n: Promise<number>) => void;
    const result = new Promise<number>((resolve) => (settle = resolve));
    return {
      result,
      write: (chunk) => job.write(chunk),
      end: (digest) => {
        const done = job.end().then(async (gzipBytes) => {
          await onDone(gzipBytes, digest);
          return gzipBytes;
        });
        settle(done);
      },
    };
  }

  /**
   * attempt 0 may skip hashing-to-decide for a large classic-layout layer whose size matches a cached
   * layer of this image (then its hash is checked after the fact); attempt 1 compresses every new layer.
   */
  async pass(image: ImageLayers, attempt: number): Promise<ExportPass<CompressedSize>> {
    // The workers boot while the engine prepares the export (Docker 20.10 writes it all out before its first
    // byte), not when its first layer arrives.
    this.pool.prepare();
    const known = new Map<string, LayerRecord>();
    await Promise.all(
      [...new Set(image.diffIds)].map(async (d) => {
        const r = await this.layerRecord(d);
        if (r) known.set(d, r);
      }),
    );
    // Results per export path: gzipped bytes, or the digest a skipped layer was predicted to have.
    const measured = new Map<string, Promise<number>>();
    const predicted = new Map<string, string>();
    const save = async (digest: string, tarBytes: number, gzipBytes: number) => {
      known.set(digest, { tarBytes, gzipBytes });
      await this.records.set(LAYER, `${COMPRESSOR} ${digest}`, { tarBytes, gzipBytes });
    };
    const newJob = (entry: ExportEntry, digest?: string) => {
      const sink = this.compress(this.pool.start(), (gzipBytes, d) => save(d, entry.bytes, gzipBytes));
      measured.set(entry.path, sink.result);
      if (digest) {
        this.inflight.set(digest, sink.result);
        void sink.result.finally(() => this.inflight.delete(digest)).catch(() => undefined);
      }
      return sink;
    };

    const consumer: ExportConsumer = {
      open: (entry: ExportEntry): EntrySink | undefined => {
        if (entry.encoding !== 'tar') return undefined; // stored compressed: its size is the pull size
        if (entry.digest) {
          // OCI blob or Podman <diffid>.tar: the name is the digest.
          if (known.has(entry.digest)) return undefined;
          const running = this.inflight.get(entry.digest);
          if (running) {
            measured.set(entry.path, running);
            return undefined;
          }
          return newJob(entry, entry.digest);
        }
        // Classic <id>/layer.tar: the DiffID is known once hashed.
        const sameSize = [...known].filter(([, r]) => r.tarBytes === entry.bytes);
        if (attempt === 0 && entry.bytes > HOLD && sameSize.length === 1) {
          predicted.set(entry.path, sameSize[0]![0]);
          return { write: () => {}, end: () => {} };
        }
        if (entry.bytes > HOLD) return newJob(entry);
        // Small: hold it, and compress only if its digest is new.
        const chunks: Buffer[] = [];
        return {
          write: (chunk) => void chunks.push(Buffer.from(chunk)),
          end: async (digest) => {
            if (known.has(digest)) return;
            const job = this.pool.start();
            for (const c of chunks) await job.write(c);
            const gzipBytes = job.end().then(async (n) => {
              await save(digest, entry.bytes, n);
              return n;
            });
            measured.set(entry.path, gzipBytes);
          },
        };
      },
    };

    return {
      consumer,
      finish: async (index: ExportIndex) => {
        const layers: CompressedSize['layers'] = [];
        let stale = false;
        for (const [i, path] of index.layers.entries()) {
          const entry = index.entries.get(path)!;
          if (entry.encoding !== 'tar') {
            layers.push({ diffId: image.diffIds[i] ?? entry.digest ?? path, gzipBytes: entry.bytes, source: 'stored' });
            continue;
          }
          const digest = entry.digest!;
          const guess = predicted.get(path);
          if (guess !== undefined && guess !== digest) stale = true;
          const now = measured.get(path);
          if (now) {
            layers.push({ diffId: digest, gzipBytes: await now, source: 'compressed' });
            continue;
          }
          const record = known.get(digest) ?? (await this.layerRecord(digest));
          if (record) layers.push({ diffId: digest, gzipBytes: record.gzipBytes, source: 'cache' });
          else stale = true;
        }
        if (stale) return undefined;
        const configBytes = index.entries.get(index.config)!.bytes;
        const record: ImageRecord = { configBytes, layers: layers.map((l) => ({ diffId: l.diffId, gzipBytes: l.gzipBytes, ...(l.source === 'stored' ? { stored: true } : {}) })) };
        await this.records.set(IMAGE, `${COMPRESSOR} ${image.id}`, record);
        return {
          totalBytes: configBytes + layers.reduce((n, l) => n + l.gzipBytes, 0),
          configBytes,
          layers,
          layersFromCache: layers.filter((l) => l.source === 'cache').length,
        };
      },
    };
  }
}
