import { downloadFor, layersOf } from './download.js';
import { type Comparison, LESSON_REFERENCE, type ScenarioResult, type VariantResult } from './schema.js';

/** "Pulling multi after single costs X": layers the two images share are not fetched again. */
function afterReference(reference: VariantResult, v: VariantResult): Pick<Comparison, 'afterSingleBytes'> {
  const held = layersOf(reference);
  const download = held ? downloadFor(held, v) : undefined;
  return download ? { afterSingleBytes: download.bytes } : {};
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Each built variant against the scenario's reference (scenarios/reference.ts chooses it), same scenario and
 * run. Empty when the reference did not build.
 */
export function compareToReference(variants: VariantResult[], referenceId: string = LESSON_REFERENCE): Comparison[] {
  const reference = variants.find((v) => v.id === referenceId);
  if (reference?.sizeBytes === undefined || reference.sizeBytes === 0) return [];
  const base = reference.sizeBytes;
  return variants
    .filter((v) => v.id !== referenceId && v.sizeBytes !== undefined)
    .map((v) => {
      const bytesSaved = base - (v.sizeBytes as number);
      return {
        variant: v.id,
        against: referenceId,
        bytesSaved,
        percentSaved: Math.round((bytesSaved / base) * 100 * 100) / 100,
        switchesBase: !sameSet(v.baseImages, reference.baseImages),
        ...afterReference(reference, v),
      };
    });
}

/** A scenario's reference as its results say it: files written before "reference" existed compared with single. */
export function referenceOf(s: Pick<ScenarioResult, 'reference' | 'comparisons'>): string {
  return s.reference ?? s.comparisons[0]?.against ?? LESSON_REFERENCE;
}
