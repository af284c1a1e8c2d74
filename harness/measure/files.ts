import type { Engine, ImageFacts } from '../engine/engine.js';
import { exportLayerFiles } from '../layers/export-layers.js';
import type { LayerFiles } from '../layers/layer-files.js';
import { stackLayers } from '../layers/stack.js';
import type { VariantResult } from '../results/schema.js';
import type { LayerFilesCache } from './layer-files-cache.js';

/**
 * Each layer's file listing in RootFS order: from the cache, and from one streamed export for the layers it
 * lacks. No export is read when every layer is known.
 */
export async function layerFiles(engine: Engine, image: ImageFacts, cache: LayerFilesCache): Promise<LayerFiles[]> {
  const cached = await Promise.all(image.diffIds.map((d) => cache.get(d)));
  if (cached.every((c) => c !== undefined)) return cached as LayerFiles[];
  const have = new Set(image.diffIds.filter((_, i) => cached[i] !== undefined));
  const read = async (known: (diffId: string) => boolean) => exportLayerFiles(await engine.exportImage(image.id), image.diffIds, known);
  // A skip guessed wrong (a layout that does not list layers in image order) means one more read, of everything.
  const found = (await read((d) => have.has(d))) ?? (await read(() => false))!;
  for (const [diffId, files] of found) await cache.set(diffId, files);
  return image.diffIds.map((d, i) => (found.get(d) ?? cached[i])!);
}

/** Wasted bytes (per layer too), efficiency and the package inventory, from each layer's file listing. */
export async function measureFiles(
  engine: Engine,
  image: ImageFacts,
  cache: LayerFilesCache,
  rootLayers: VariantResult['rootLayers'],
): Promise<Pick<VariantResult, 'rootLayers' | 'wastedBytes' | 'efficiency' | 'wastedPaths' | 'packages'>> {
  const stacked = stackLayers(await layerFiles(engine, image, cache));
  return {
    rootLayers: image.diffIds.map((diffId, i) => ({ ...rootLayers?.[i], diffId, wastedBytes: stacked.layerWastedBytes[i] ?? 0 })),
    wastedBytes: stacked.wastedBytes,
    efficiency: stacked.efficiency,
    wastedPaths: stacked.wastedPaths,
    packages: Object.fromEntries(Object.entries(stacked.packages).filter(([, items]) => items.length > 0)),
  };
}
