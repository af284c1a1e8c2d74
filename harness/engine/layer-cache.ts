/**
 * Facts about content-addressed things (a layer by its digest, an image by its id), kept between runs.
 * A record's key must name everything its value depends on (e.g. compressor, level and library version),
 * so a record is true forever and never needs invalidating. Each analysis uses its own `kind`.
 */
export interface RecordCache {
  get(kind: string, key: string): Promise<unknown>;
  set(kind: string, key: string, value: unknown): Promise<void>;
  /** Keeps the cache within its bound; called once at the end of a run. */
  prune(): Promise<void>;
}

/** Records for one process only (output/record-files.ts keeps them on disk): what `--no-layer-cache` uses (a layer seen twice in a run is still measured once). */
export class MemoryRecordCache implements RecordCache {
  private readonly records = new Map<string, unknown>();
  async get(kind: string, key: string): Promise<unknown> {
    return this.records.get(`${kind}\0${key}`);
  }
  async set(kind: string, key: string, value: unknown): Promise<void> {
    this.records.set(`${kind}\0${key}`, value);
  }
  async prune(): Promise<void> {}
}
