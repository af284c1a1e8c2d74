import type { LayerFiles } from '../layers/layer-files.js';
import { stackLayers } from '../layers/stack.js';
import type { VariantResult } from '../results/schema.js';

/** Wasted bytes (per layer too), efficiency and the package inventory, from each layer's file listing. */
export function fileFields(
  diffIds: string[],
  listings: LayerFiles[],
  rootLayers: VariantResult['rootLayers'],
): Pick<VariantResult, 'rootLayers' | 'wastedBytes' | 'efficiency' | 'wastedPaths' | 'packages'> {
  const stacked = stackLayers(listings);
  return {
    rootLayers: diffIds.map((diffId, i) => ({ ...rootLayers?.[i], diffId, wastedBytes: stacked.layerWastedBytes[i] ?? 0 })),
    wastedBytes: stacked.wastedBytes,
    efficiency: stacked.efficiency,
    wastedPaths: stacked.wastedPaths,
    packages: Object.fromEntries(Object.entries(stacked.packages).filter(([, items]) => items.length > 0)),
  };
}
