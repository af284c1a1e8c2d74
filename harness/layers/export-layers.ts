import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { type LayerFiles, readLayerFiles } from './layer-files.js';

/**
 * Lists the files of each layer of an image export (`GET /images/{id}/get`), reading it as a stream.
 * `diffIds` are the image's RootFS layers in order; `known(diffId)` says a listing is cached already, and such
 * a layer is skipped unread. Classic layout: `<id>/layer.tar` entries come in image order, checked against
 * manifest.json at the end. OCI layout: an uncompressed layer's blob is named by its DiffID. When a guess was
 * wrong (a compressed or reordered layer), `undefined` asks the caller to read again with `known` never true.
 */
export async function exportLayerFiles(exported: Readable, diffIds: string[], known: (diffId: string) => boolean): Promise<Map<string, LayerFiles> | undefined> {
  const extract = tar.extract();
  const listed = new Map<string, LayerFiles>(); // by entry name
  const skipped = new Map<string, string>(); // entry name -> the DiffID it was taken for
  let manifestJson: Buffer | undefined;
  let classicIndex = 0;
  await new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = header.name;
      const drain = () => {
        stream.on('end', () => next());
        stream.resume();
      };
      if (name === 'manifest.json') {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          manifestJson = Buffer.concat(chunks);
          next();
        });
        return;
      }
      const oci = name.startsWith('blobs/sha256/') ? `sha256:${name.slice('blobs/sha256/'.length)}` : undefined;
      const guess = name.endsWith('/layer.tar') ? diffIds[classicIndex++] : oci && diffIds.includes(oci) ? oci : undefined;
      if (guess !== undefined && known(guess)) {
        skipped.set(name, guess);
        return drain();
      }
      if (!name.endsWith('/layer.tar') && !name.startsWith('blobs/')) return drain();
      // An OCI blob may be a config or manifest rather than a layer: one that is no tar is not listed.
      readLayerFiles(stream as unknown as Readable)
        .then((files) => listed.set(name, files), () => undefined)
        .finally(() => next());
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
    exported.on('error', reject);
    exported.pipe(extract);
  });
  if (!manifestJson) throw new Error('the image export has no manifest.json');
  const [manifest] = JSON.parse(manifestJson.toString('utf8')) as { Layers: string[] }[];
  if (!manifest || manifest.Layers.length !== diffIds.length) throw new Error('the image export names other layers than the image has');
  const byDiffId = new Map<string, LayerFiles>();
  for (const [i, file] of manifest.Layers.entries()) {
    const diffId = diffIds[i]!;
    if (skipped.has(file)) {
      // Skipped as the layer it was guessed to be: only right if it is that layer.
      if (skipped.get(file) !== diffId) return undefined;
      continue;
    }
    const files = listed.get(file);
    if (!files) throw new Error(`the image export lacks ${file}, or it is no tar`);
    byDiffId.set(diffId, files);
  }
  return byDiffId;
}
