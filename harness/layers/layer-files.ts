import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { GoBuildInfoScanner } from './go-build-info.js';
import { type Ecosystem, MAX_PACKAGE_FILE, packageFileKind, parsePackageFile } from './package-files.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

/** What one layer tar holds: enough to stack layers (waste) and to say what software they ship. */
export interface LayerFiles {
  /** Every entry but whiteouts: path without a leading `/` or `./` or trailing `/`; size from the tar header. */
  entries: { path: string; kind: EntryKind; size: number }[];
  /** Paths a `.wh.<name>` entry deletes from the layers below. */
  whiteouts: string[];
  /** Directories whose lower-layer contents a `.wh..wh..opq` entry hides. */
  opaque: string[];
  /** Package records found in this layer's files, by path. */
  packages: { path: string; ecosystem: Ecosystem; items: string[] }[];
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export function normalizePath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

const kindOf = (type: string | null | undefined): EntryKind =>
  type === 'file' || type === 'contiguous-file' ? 'file' : type === 'directory' ? 'dir' : type === 'symlink' ? 'symlink' : type === 'link' ? 'hardlink' : 'other';

/** Reads one entry: the whole text of a package record, or an ELF file through the Go build-info scanner. */
function readEntry(stream: Readable, path: string, size: number, findings: LayerFiles['packages']): Promise<void> {
  const kind = packageFileKind(path);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let scanner: GoBuildInfoScanner | undefined;
    let head: Buffer | undefined = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      if (kind) {
        if (size <= MAX_PACKAGE_FILE) chunks.push(chunk);
        return;
      }
      if (head) {
        // Decide on the first 4 bytes, which may come in more than one chunk.
        head = Buffer.concat([head, chunk]);
        if (head.length < 4) return;
        if (head.subarray(0, 4).equals(ELF)) scanner = new GoBuildInfoScanner();
        chunk = head;
        head = undefined;
      }
      scanner?.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      if (kind && size <= MAX_PACKAGE_FILE) {
        const items = parsePackageFile(kind, Buffer.concat(chunks).toString('utf8'));
        findings.push({ path, ecosystem: kind, items });
      } else if (scanner?.result) {
        const { goVersion, modules } = scanner.result;
        findings.push({ path, ecosystem: 'go', items: [`stdlib@${goVersion}`, ...modules] });
      }
      resolve();
    });
  });
}

/**
 * Reads a layer (a tar, or a gzipped tar as in an OCI export) entry by entry: its paths and sizes, its
 * whiteouts, and the package records among its files. Memory holds the entry list and at most one package
 * record (≤ 32 MB) or a Go build-info window, never a file's content otherwise.
 */
export function readLayerFiles(layer: Readable): Promise<LayerFiles> {
  const files: LayerFiles = { entries: [], whiteouts: [], opaque: [], packages: [] };
  const extract = tar.extract();
  return new Promise((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const path = normalizePath(header.name);
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      const dir = slash < 0 ? '' : path.slice(0, slash);
      const done = () => next();
      if (base === OPAQUE) {
        files.opaque.push(dir);
        stream.on('end', done).resume();
        return;
      }
      if (base.startsWith(WHITEOUT)) {
        files.whiteouts.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
        stream.on('end', done).resume();
        return;
      }
      const kind = kindOf(header.type);
      const size = kind === 'file' ? (header.size ?? 0) : 0;
      if (path !== '') files.entries.push({ path, kind, size });
      if (kind !== 'file' || path === '') {
        stream.on('end', done).resume();
        return;
      }
      readEntry(stream as unknown as Readable, path, size, files.packages).then(done, reject);
    });
    // A stream that is no tar (an OCI config blob) fails here: stop parsing, but read the source to its end
    // before rejecting, so whoever hands it over can go on to the next entry.
    let failure: unknown;
    let ended = false;
    const fail = (err: unknown) => {
      failure ??= err;
      if (ended) reject(failure);
      else layer.resume();
    };
    extract.on('finish', () => resolve(files));
    extract.on('error', fail);
    layer.on('error', reject);
    // A gzipped layer (OCI exports may hold them) starts with 1f 8b; a tar never does. Written by hand
    // rather than piped: the layer may be a tar-stream entry (streamx), whose pipe and read differ from node's.
    type Sink = { write(c: Buffer): boolean; end(): unknown; once(e: 'drain', f: () => void): unknown };
    let sink: Sink | undefined;
    const open = (first: Buffer): Sink => {
      if (first[0] !== 0x1f || first[1] !== 0x8b) return extract as unknown as Sink;
      const gunzip = createGunzip();
      gunzip.on('error', fail);
      gunzip.pipe(extract as unknown as NodeJS.WritableStream);
      return gunzip;
    };
    layer.on('data', (chunk: Buffer) => {
      if (failure) return;
      sink ??= open(chunk);
      if (!sink.write(chunk)) {
        layer.pause();
        sink.once('drain', () => layer.resume());
      }
    });
    layer.on('end', () => {
      ended = true;
      if (failure) reject(failure);
      else (sink ?? (extract as unknown as Sink)).end();
    });
  });
}
