import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayerFiles } from '../layers/layer-files.js';
import { writeAtomic } from '../output/write.js';

/** Bumped when what a layer listing holds changes, so older listings are read again rather than trusted. */
const FORMAT = 1;

/**
 * A layer's listing (paths, whiteouts, package records) by DiffID. A DiffID is the sha256 of the layer's
 * tar, so a listing never goes stale: a run reads only layers no earlier run (or variant) has read.
 * Without a directory it lives for the run only.
 */
export class LayerFilesCache {
  private readonly memory = new Map<string, LayerFiles>();

  constructor(private readonly dir?: string) {}

  private file(diffId: string): string {
    return join(this.dir!, 'layer-files', `${diffId.replace(/^sha256:/, '')}.json`);
  }

  async get(diffId: string): Promise<LayerFiles | undefined> {
    const known = this.memory.get(diffId);
    if (known || !this.dir) return known;
    try {
      const stored = JSON.parse(await readFile(this.file(diffId), 'utf8')) as { format: number; files: LayerFiles };
      if (stored.format !== FORMAT) return undefined;
      this.memory.set(diffId, stored.files);
      return stored.files;
    } catch {
      return undefined; // absent or unreadable: read the layer again
    }
  }

  async set(diffId: string, files: LayerFiles): Promise<void> {
    this.memory.set(diffId, files);
    if (!this.dir) return;
    const file = this.file(diffId);
    try {
      await writeAtomic(file, JSON.stringify({ format: FORMAT, files }));
    } catch {
      // A cache that cannot be written costs a re-read next run, never a result.
    }
  }
}
