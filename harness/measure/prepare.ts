import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ownOutputIn } from '../engine/build-context.js';
import { parseDockerfile, stageImages } from '../engine/dockerfile.js';
import type { BuildRequest, Engine } from '../engine/engine.js';
import type { VariantResult } from '../results/schema.js';
import { variantOptions } from '../scenarios/discover.js';
import type { Scenario, Variant } from '../scenarios/scenario.js';
import { imageLabels, imageTag } from './labels.js';
import type { BenchOptions } from './options.js';
import { pullMissingBases } from './pull-bases.js';

/** Profile ARG values reach only Dockerfiles that declare the ARG; scenario.json values always apply. */
export function effectiveBuildArgs(declared: Set<string>, profileArgs: Record<string, string>, scenarioArgs: Record<string, string>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(profileArgs)) if (declared.has(k)) args[k] = v;
  return { ...args, ...scenarioArgs };
}

export interface Prepared {
  /** The build to run, when it can run. */
  request?: BuildRequest;
  /** The image the final stage starts FROM ("scratch" included). */
  finalFrom: string;
}

/**
 * Build args, target, base images (pulled now, never inside the timed build), and the build request. What it
 * learns goes into `result` as it goes, so a variant that fails half-way still records what was known; a
 * variant that cannot be built gets its `error`.
 */
export async function prepareVariant(
  engine: Engine,
  scenario: Scenario,
  variant: Variant,
  result: VariantResult,
  runId: string,
  opts: Pick<BenchOptions, 'profile' | 'builder' | 'noCache' | 'signal' | 'progress' | 'ownOutput'>,
): Promise<Prepared> {
  const options = variantOptions(scenario, result.id, opts.profile?.name);
  const parsed = parseDockerfile(await readFile(resolve(scenario.dir, variant.path), 'utf8'));
  const buildArgs = effectiveBuildArgs(parsed.declaredArgs, opts.profile?.buildArgs ?? {}, options.buildArgs ?? {});
  Object.assign(result, { buildArgs, ...(options.target ? { target: options.target } : {}), ...(options.network ? { network: options.network } : {}) });
  if (options.target && !parsed.stages.some((s) => s.name === options.target!.toLowerCase())) {
    const stages = parsed.stages.flatMap((s) => (s.name ? [s.name] : [])).join(', ') || 'none named';
    result.error = { message: `target "${options.target}" is not a stage of ${result.dockerfile} (stages: ${stages}); fix "target" in scenario.json or the config file`, logTail: [] };
    return { finalFrom: '' };
  }
  const images = stageImages(parsed, buildArgs, options.target);
  result.baseImages = images.finalBases;
  const bases = await pullMissingBases(engine, images.allBases, opts.signal, (line) => opts.progress.line(`${scenario.name} › ${result.id}: ${line}`));
  if (bases.pullMs !== undefined) result.pullMs = bases.pullMs;
  // Ctrl-C in a pull: no request and no error, so the variant was never attempted and is left out (README's
  // fault table: a variant not yet built is left out, never "build failed").
  if (bases.interrupted) return { finalFrom: images.finalFrom };
  if (bases.error) {
    result.error = { step: 'FROM (base image)', message: bases.error, logTail: [] };
    return { finalFrom: images.finalFrom };
  }
  const request: BuildRequest = {
    contextDir: scenario.dir,
    dockerfile: variant.path,
    ...(opts.ownOutput ? { leaveOut: ownOutputIn(scenario.dir, opts.ownOutput) } : {}),
    builder: opts.builder,
    tag: imageTag(scenario.name, result.id, runId),
    labels: imageLabels(scenario.name, result.id),
    buildArgs,
    target: options.target,
    network: options.network,
    noCache: opts.noCache,
    signal: opts.signal,
    onStep: (s) => opts.progress.step(s),
  };
  return { request, finalFrom: images.finalFrom };
}
