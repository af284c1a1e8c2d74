import { imageRefPart } from '../scenarios/names.js';

/**
 * What stagebench marks as its own. Images carry LABEL=true and the scenario and variant, never the run: a
 * fully cached rebuild then keeps its image id from run to run, so everything measured of that id before (the
 * pull size, the file listings) is known without reading the image again. A run finds its images by its
 * per-run tags and the ids it built; containers, made and removed within one run, also carry RUN_LABEL=<run id>.
 */
export const LABEL = 'org.stagebench';
export const RUN_LABEL = 'org.stagebench.run';

/** The image repository every variant's image is tagged in: `stagebench/<scenario>`. */
const IMAGE_REPOSITORY_PREFIX = 'stagebench/';

/** The tag a variant's image gets: stagebench/<scenario>:<variant>-<run id>, per run, so two runs at once never move each other's tags. */
export const imageTag = (scenario: string, variant: string, runId: string) => `${IMAGE_REPOSITORY_PREFIX}${imageRefPart(scenario)}:${imageRefPart(variant).slice(0, 100)}-${runId}`;

/**
 * --deploy's references: the run's tag under a loopback registry, in stagebench-deploy/<scenario> (not
 * stagebench/<scenario>, which Podman would resolve the run's own tag to), a round's copy ending in -d<round>.
 */
export const deployRepository = (runRepository: string) => runRepository.replace(/^stagebench\//, 'stagebench-deploy/');
const DEPLOY_REF = /^127\.0\.0\.1:\d+\/stagebench-deploy\/[^:]+(:.*?)(?:-d\d+)?$/;

/** A run id: 12 hex digits, then `-<pid>` of the process that made it. */
const RUN_ID = /-([0-9a-f]{12}(?:-\d+)?)$/;

/** True for a reference in stagebench's repositories. Engines may list it in full: Podman names `stagebench/x:y` `docker.io/stagebench/x:y` (or `localhost/…`). */
export const isStagebenchRef = (ref: string) => ref.replace(/^(?:docker\.io|localhost)\//, '').startsWith(IMAGE_REPOSITORY_PREFIX);

/** The run a stagebench tag (or a deploy reference a killed run left) was made by, or undefined for any other reference. */
export function runOfTag(ref: string): string | undefined {
  const deploy = DEPLOY_REF.exec(ref);
  if (deploy) return RUN_ID.exec(deploy[1]!)?.[1];
  if (!isStagebenchRef(ref) || !ref.includes(':')) return undefined;
  return RUN_ID.exec(ref.slice(ref.lastIndexOf(':')))?.[1];
}

/** The labels of a variant's image: the same in every run. */
export const imageLabels = (scenario: string, variant: string): Record<string, string> => ({
  [LABEL]: 'true',
  [`${LABEL}.scenario`]: scenario,
  [`${LABEL}.variant`]: variant,
});

/** The labels of the containers a run makes from a variant's image: the image's and the run's. */
export const containerLabels = (runId: string, scenario: string, variant: string): Record<string, string> => ({
  ...imageLabels(scenario, variant),
  [RUN_LABEL]: runId,
});
