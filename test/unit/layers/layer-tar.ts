import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** One entry of a constructed layer: a file with content or a size of zero bytes, a directory, a link. */
export type Entry = { name: string; content?: string | Buffer; size?: number; type?: 'directory' | 'symlink' | 'link'; linkname?: string };

/** A layer tar built in memory, as an image export holds it. */
export async function layerTar(entries: Entry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => pack.on('end', () => resolve()));
  for (const e of entries) {
    if (e.type) pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else pack.entry({ name: e.name }, typeof e.content === 'string' || Buffer.isBuffer(e.content) ? e.content : Buffer.alloc(e.size ?? 0));
  }
  pack.finalize();
  await done;
  const buf = Buffer.concat(chunks);
  return gzip ? gzipSync(buf) : buf;
}

/** The buffer as a stream of small chunks, so parsers see entries split across reads. */
export const chunked = (buf: Buffer, size = 1000) => Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));
