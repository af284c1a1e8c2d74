import { imageRefPart } from '../scenarios/names.js';

/** Every image and container stagebench makes carries LABEL=true, and RUN_LABEL=<run id> for clean-up. */
export const LABEL = 'org.stagebench';
export const RUN_LABEL = 'org.stagebench.run';

/** The tag a variant's image gets: stagebench/<scenario>:<variant>-<run id>, per run, so two runs at once never move each other's tags. */
export const imageTag = (scenario: string, variant: string, runId: string) => `stagebench/${imageRefPart(scenario)}:${imageRefPart(variant).slice(0, 100)}-${runId}`;

/** The labels of a variant's image and of the containers made from it. */
export const variantLabels = (runId: string, scenario: string, variant: string): Record<string, string> => ({
  [LABEL]: 'true',
  [RUN_LABEL]: runId,
  [`${LABEL}.scenario`]: scenario,
  [`${LABEL}.variant`]: variant,
});
