import type { ScenarioFile } from '../config/schemas.js';

/** What discovery hands on: a scenario folder or a config declaration, its variants and options. */
export interface Variant {
  /** `single` (Dockerfile.single), `multi` (Dockerfile), `<v>` for Dockerfile.<v>; a config key or matrix id when declared. */
  id: string;
  /** The Dockerfile as the user names it: its file name in a scenario folder, its path from the config file when declared. */
  dockerfile: string;
  /** The Dockerfile as the build request names it: relative to the context, or absolute when outside it. */
  path: string;
}

export interface Scenario {
  name: string;
  /** The build context. */
  dir: string;
  variants: Variant[];
  /** The id of the variant the others are compared with (scenarios/reference.ts decides it). */
  reference: string;
  /** The scenario's options (scenario.json, or the config's declaration with per-variant options under `variants`). */
  file: ScenarioFile;
}
