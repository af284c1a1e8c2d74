import { createHash } from 'node:crypto';
import { readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAtomic } from './write.js';

// The layer cache on disk: it has the shape of engine/layer-cache.ts's RecordCache (output/ does not
// import engine/), and writes through write.ts like every file stagebench writes.

/**
 * `$XDG_CACHE_HOME/stagebench` (default `$HOME/.cache/stagebench`), as the XDG base directory spec says;
 * undefined when the environment names neither (then nothing is kept between runs).
 */
export function cacheHome(env: Record<string, string | undefined>): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  // The spec: a relative path is invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return join(xdg, 'stagebench');
  return env.HOME ? join(env.HOME, '.cache', 'stagebench') : undefined;
}

/** One small JSON file per record. 20,000 records take about 80 MB of 4 kB blocks at most. */
export const DEFAULT_MAX_RECORDS = 20_000;

/**
 * Records as files named by the SHA-256 of kind and key, in one folder. Safe under concurrent runs: a
 * record is written to a unique temporary name and renamed into place (atomic on one file system), and two
 * runs writing the same record write the same content. Reads touch the file's mtime, so pruning removes
 * the records used least recently. A damaged or unreadable record is a miss; a cache that cannot be written
 * costs speed, never a result (`onProblem` hears of it once).
 */
export class DiskRecordCache {
  private readonly memory = new Map<string, unknown>();
  private warned = false;

  constructor(
    readonly dir: string,
    private readonly maxRecords = DEFAULT_MAX_RECORDS,
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  private file(kind: string, key: string): string {
    return join(this.dir, `${createHash('sha256').update(`${kind}\0${key}`).digest('hex')}.json`);
  }

  private problem(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.onProblem(message);
  }

  async get(kind: string, key: string): Promise<unknown> {
    const known = this.memory.get(`${kind}\0${key}`);
    if (known !== undefined) return known;
    const file = this.file(kind, key);
    let record: { kind?: unknown; key?: unknown; value?: unknown };
    try {
      record = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      return undefined;
    }
    // The file name is a hash: the record says what it is for, so a collision or a stray file is a miss.
    if (record?.kind !== kind || record.key !== key || record.value === undefined) return undefined;
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    this.memory.set(`${kind}\0${key}`, record.value);
    return record.value;
  }

  async set(kind: string, key: string, value: unknown): Promise<void> {
    this.memory.set(`${kind}\0${key}`, value);
    try {
      await writeAtomic(this.file(kind, key), `${JSON.stringify({ kind, key, value })}\n`);
    } catch (err) {
      this.problem(`the layer cache ${this.dir} cannot be written (${(err as Error).message}); results are unaffected, later runs measure again`);
    }
  }

  /** Removes the least recently used records beyond the bound, and temporary files older than an hour. */
  async prune(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const hourAgo = Date.now() - 3_600_000;
    for (const name of names.filter((n) => n.endsWith('.tmp'))) {
      const file = join(this.dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info && info.mtimeMs < hourAgo) await unlink(file).catch(() => undefined);
    }
    const json = names.filter((n) => n.endsWith('.json'));
    // Within the bound (the usual case) this costs one readdir, no stat per record.
    if (json.length <= this.maxRecords) return;
    const records: { file: string; used: number }[] = [];
    for (const name of json) {
      const file = join(this.dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info) records.push({ file, used: info.mtimeMs });
    }
    if (records.length <= this.maxRecords) return;
    records.sort((a, b) => a.used - b.used);
    for (const { file } of records.slice(0, records.length - this.maxRecords)) await unlink(file).catch(() => undefined);
  }
}
