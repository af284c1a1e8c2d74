import { downloadFor, layersOf } from './download.js';
import type { Comparison, VariantResult } from './schema.js';

/** "Pulling multi after single costs X": layers the two images share are not fetched again. */
function afterSingle(single: VariantResult, v: VariantResult): Pick<Comparison, 'afterSingleBytes'> {
  const held = layersOf(single);
  const download = held ? downloadFor(held, v) : undefined;
  return download ? { afterSingleBytes: download.bytes } : {};
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The id of the variant the others are compared with: fixed by the results schema (`against: "single"`), as
 * the lesson scenarios name their one-stage Dockerfile; `stagebench init` gives it to the reference Dockerfile.
 */
export const REFERENCE_VARIANT = 'single';

/** Each built variant against `single` of the same scenario and run. Empty when single did not build. */
export function compareToSingle(variants: VariantResult[]): Comparison[] {
  const single = variants.find((v) => v.id === REFERENCE_VARIANT);
  if (single?.sizeBytes === undefined || single.sizeBytes === 0) return [];
  const base = single.sizeBytes;
  return variants
    .filter((v) => v.id !== REFERENCE_VARIANT && v.sizeBytes !== undefined)
    .map((v) => {
      const bytesSaved = base - (v.sizeBytes as number);
      return {
        variant: v.id,
        against: 'single' as const,
        bytesSaved,
        percentSaved: Math.round((bytesSaved / base) * 100 * 100) / 100,
        switchesBase: !sameSet(v.baseImages, single.baseImages),
        ...afterSingle(single, v),
      };
    });
}
