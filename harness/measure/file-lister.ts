import { PassThrough } from 'node:stream';
import type { EntrySink, ExportConsumer, ExportEntry, ExportIndex, ExportPass, ImageLayers, LayerAnalysis } from '../engine/image-export.js';
import type { RecordCache } from '../engine/layer-cache.js';
import { type LayerFiles, readLayerFiles } from '../layers/layer-files.js';

/** Cache kind; the key starts with the listing format, so a listing of an older format is read again. */
const KIND = 'layer-files';
const FORMAT = 'v1';

const isListing = (v: unknown): v is LayerFiles =>
  Array.isArray((v as LayerFiles)?.entries) && Array.isArray((v as LayerFiles).whiteouts) && Array.isArray((v as LayerFiles).opaque) && Array.isArray((v as LayerFiles).packages);

/**
 * Each layer's file listing (paths, sizes, whiteouts, package records), as an analysis on the shared export
 * pass: listings are kept by DiffID in the layer cache, so a layer is read once, ever, and an image whose
 * layers are all known needs no export. Layers are read as they stream by; nothing but the listing is kept.
 */
export class FileLister implements LayerAnalysis<LayerFiles[]> {
  constructor(private readonly records: RecordCache) {}

  private async cached(diffId: string): Promise<LayerFiles | undefined> {
    const value = await this.records.get(KIND, `${FORMAT} ${diffId}`);
    return isListing(value) ? value : undefined;
  }

  async fromCache(image: ImageLayers): Promise<LayerFiles[] | undefined> {
    const listings = await Promise.all(image.diffIds.map((d) => this.cached(d)));
    return listings.every((l) => l !== undefined) ? (listings as LayerFiles[]) : undefined;
  }

  /**
   * A classic export names layers by folder, not DiffID: attempt 0 takes its k-th layer for the image's k-th
   * (the order engines write them) and skips it when known, which manifest.json confirms at the end;
   * attempt 1 reads every layer.
   */
  async pass(image: ImageLayers, attempt: number): Promise<ExportPass<LayerFiles[]>> {
    const known = new Map<string, LayerFiles>();
    for (const d of new Set(image.diffIds)) {
      const l = await this.cached(d);
      if (l) known.set(d, l);
    }
    const listed = new Map<string, Promise<LayerFiles>>();
    const skipped = new Map<string, string>();
    let classic = 0;
    const consumer: ExportConsumer = {
      open: (entry: ExportEntry): EntrySink | undefined => {
        const guess = entry.digest ?? (attempt === 0 ? image.diffIds[classic++] : undefined);
        if (guess !== undefined && known.has(guess)) {
          skipped.set(entry.path, guess);
          return undefined;
        }
        if (entry.encoding === 'zstd') return undefined; // not read: finish() says so
        const stream = new PassThrough();
        listed.set(entry.path, readLayerFiles(stream));
        return {
          write: (chunk) => (stream.write(chunk) ? undefined : new Promise<void>((resolve) => stream.once('drain', () => resolve()))),
          end: () => void stream.end(),
        };
      },
    };
    return {
      consumer,
      finish: async (index: ExportIndex) => {
        const listings: LayerFiles[] = [];
        for (const [i, path] of index.layers.entries()) {
          const diffId = image.diffIds[i]!;
          if (skipped.has(path)) {
            if (skipped.get(path) !== diffId) return undefined; // guessed wrong: read again, everything
            listings.push(known.get(diffId)!);
            continue;
          }
          const reading = listed.get(path);
          if (!reading) {
            if (index.entries.get(path)?.encoding === 'zstd') throw new Error(`layer ${diffId} is stored zstd-compressed, which stagebench does not read`);
            return undefined;
          }
          const files = await reading;
          await this.records.set(KIND, `${FORMAT} ${diffId}`, files);
          listings.push(files);
        }
        return listings;
      },
    };
  }
}
