import type { VariantResult } from './schema.js';

export interface Download {
  /** Compressed bytes to fetch: the config plus every layer whose DiffID the host lacks (each once). */
  bytes: number;
  /** How many of the image's layers that is. */
  layers: number;
}

/**
 * What a host that holds the layers `held` (DiffIDs) must download to get `wanted`: exact, from the layer
 * digests and the compressed size of each layer. Undefined when `wanted` has no per-layer pull sizes
 * (--no-compressed, or results of an older stagebench).
 */
export function downloadFor(held: Iterable<string>, wanted: VariantResult): Download | undefined {
  const layers = wanted.rootLayers;
  if (!layers || wanted.configBytes === undefined || layers.some((l) => l.compressedBytes === undefined)) return undefined;
  const have = new Set(held);
  const fetched = new Set<string>();
  let bytes = wanted.configBytes;
  for (const l of layers) {
    if (have.has(l.diffId) || fetched.has(l.diffId)) continue;
    fetched.add(l.diffId);
    bytes += l.compressedBytes!;
  }
  return { bytes, layers: fetched.size };
}

/** The DiffIDs of an image, when the results have them. */
export const layersOf = (v: VariantResult | undefined): string[] | undefined => v?.rootLayers?.map((l) => l.diffId);
