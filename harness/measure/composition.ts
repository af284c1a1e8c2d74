import type { Engine, ImageFacts } from '../engine/engine.js';
import type { VariantResult } from '../results/schema.js';

/**
 * What the image adds on top of the image its final stage starts FROM, its layers largest first (those from
 * the base marked), and its unique and shared bytes as the engine's disk usage reports them.
 */
export async function measureComposition(
  engine: Engine,
  image: ImageFacts,
  finalFrom: string,
): Promise<Pick<VariantResult, 'baseBytes' | 'addedBytes' | 'layers' | 'uniqueBytes' | 'sharedBytes'>> {
  const scratch = finalFrom.toLowerCase() === 'scratch';
  const base = scratch ? { sizeBytes: 0, history: [] } : await engine.inspect(finalFrom);
  const inherited = base.history.length > 0 && base.history.every((h, i) => image.history[i]?.createdBy === h.createdBy) ? base.history.length : 0;
  const layers = image.history
    .map((h, i) => ({ sizeBytes: h.sizeBytes, createdBy: h.createdBy, fromBase: i < inherited }))
    .filter((l) => l.sizeBytes > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes);
  const usage = (await engine.diskUsage([{ id: image.id, sizeBytes: image.sizeBytes }])).get(image.id);
  return { baseBytes: base.sizeBytes, addedBytes: image.sizeBytes - base.sizeBytes, layers, ...usage };
}
