import type { Engine, ImageFacts } from '../engine/engine.js';
import { EngineUnreachableError } from '../errors.js';
import type { VariantResult } from '../results/schema.js';

/** Unique and shared bytes per image id, as Engine.diskUsage answers. */
export type DiskUsage = Awaited<ReturnType<Engine['diskUsage']>>;

/**
 * One disk-usage answer for several images (GET /system/df: before API 1.42 it also walks containers, volumes
 * and the build cache, 0.1 s and more a call),
 * or undefined when it fails, so that each image asks again and a failure stays its own.
 */
export async function diskUsageOf(engine: Engine, images: ImageFacts[]): Promise<DiskUsage | undefined> {
  if (images.length < 2) return undefined;
  try {
    return await engine.diskUsage(images.map((i) => ({ id: i.id, sizeBytes: i.sizeBytes })));
  } catch (err) {
    if (err instanceof EngineUnreachableError) throw err;
    return undefined;
  }
}

/**
 * What the image adds on top of the image its final stage starts FROM, its layers largest first (those from
 * the base marked), and its unique and shared bytes as the engine's disk usage reports them (`usage`: an
 * answer read for several images at once, or still being read).
 */
export async function measureComposition(
  engine: Engine,
  image: ImageFacts,
  finalFrom: string,
  usage?: DiskUsage | Promise<DiskUsage | undefined>,
): Promise<Pick<VariantResult, 'baseBytes' | 'addedBytes' | 'layers' | 'uniqueBytes' | 'sharedBytes'>> {
  const scratch = finalFrom.toLowerCase() === 'scratch';
  const base = scratch ? { sizeBytes: 0, history: [] } : await engine.inspect(finalFrom);
  const inherited = base.history.length > 0 && base.history.every((h, i) => image.history[i]?.createdBy === h.createdBy) ? base.history.length : 0;
  const layers = image.history
    .map((h, i) => ({ sizeBytes: h.sizeBytes, createdBy: h.createdBy, fromBase: i < inherited }))
    .filter((l) => l.sizeBytes > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes);
  const mine = ((await usage) ?? (await engine.diskUsage([{ id: image.id, sizeBytes: image.sizeBytes }]))).get(image.id);
  return { baseBytes: base.sizeBytes, addedBytes: image.sizeBytes - base.sizeBytes, layers, ...mine };
}
