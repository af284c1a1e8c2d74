import type { Engine, Labelled } from '../engine/engine.js';
import { isStagebenchRef, LABEL, RUN_LABEL, runOfTag } from '../measure/labels.js';
import type { CleanArgs } from './args.js';
import type { CliIo } from './io.js';
import { processAlive } from '../process-alive.js';
import { registryTempDir, removeOrphanStorage } from '../measure/registry.js';

/** The runs a container or image belongs to: a container's run label, an image's per-run tags (or, made by an older stagebench, its run label). */
function runsOf(item: Labelled): string[] {
  const label = item.labels[RUN_LABEL];
  const tags = item.kind === 'image' ? (item.tags ?? []).flatMap((t) => runOfTag(t) ?? []) : [];
  return label ? [...tags, label] : tags;
}

/** Every run something on the engine belongs to, sorted. */
const runIdsOf = (items: Labelled[]) => [...new Set(items.flatMap(runsOf))].sort();

/**
 * The runs whose containers and images `clean` removes: the named ones, every one with --all, else every
 * run whose stagebench process is gone. A run id ends in the pid of the process that made it; while a
 * process with that pid lives on this host, the run counts as in flight and stays.
 */
export function runsToClean(items: Labelled[], args: Pick<CleanArgs, 'runIds' | 'all'>, alive: (pid: number) => boolean) {
  if (args.runIds.length > 0) return { remove: args.runIds, kept: [] as string[] };
  const ids = runIdsOf(items);
  if (args.all) return { remove: ids, kept: [] as string[] };
  const inFlight = (id: string) => {
    const pid = /-(\d+)$/.exec(id)?.[1];
    return pid !== undefined && alive(Number(pid));
  };
  return { remove: ids.filter((id) => !inFlight(id)), kept: ids.filter(inFlight) };
}

/**
 * What removing runs means on the engine, image by image: each run's tags (an image goes with its last
 * tag), and stagebench's images that no tag holds (a crashed run's earlier rounds), which name no run:
 * removed with --all, or by a plain `clean` when no run is in flight (one in flight may still be using its
 * own). Images carrying the old per-image run label are removed by that label.
 */
export function cleanPlan(items: Labelled[], remove: string[], args: Pick<CleanArgs, 'runIds' | 'all'>, kept: string[]) {
  const images = items.filter((i) => i.kind === 'image');
  const tagsOf = (run: string) => [...new Set(images.flatMap((i) => (i.tags ?? []).filter((t) => runOfTag(t) === run)))].sort();
  const untagged = images.filter((i) => (i.tags ?? []).length === 0 && !i.labels[RUN_LABEL]).map((i) => i.id);
  const dangling = args.all || (args.runIds.length === 0 && kept.length === 0) ? untagged : [];
  // --all: also stagebench's tags no run id can be read from (made by an older stagebench).
  const otherTags = args.all ? [...new Set(images.flatMap((i) => (i.tags ?? []).filter((t) => isStagebenchRef(t) && !runOfTag(t))))].sort() : [];
  return { runs: remove.map((run) => ({ run, tags: tagsOf(run) })), dangling, otherTags };
}

/** What `clean` treats as on the engine before: nothing (every untagged image it names is a run's leftover). */
const NOTHING: ReadonlySet<string> = new Set();

/** Removes what the chosen runs left; returns what could not be removed. */
export async function cleanCommand(args: CleanArgs, io: Pick<CliIo, 'stderr' | 'env'>, engine: Engine): Promise<string[]> {
  // A --deploy run killed outright leaves its registry's storage in the temp dir: gone with its process.
  const folders = await removeOrphanStorage(registryTempDir(io.env));
  if (folders.length > 0) io.stderr.write(`clean: removed ${folders.length} loopback registry folder(s) of --deploy runs that were killed (${folders.join(', ')})\n`);
  const items = await engine.listLabelled(LABEL);
  // A named run with nothing on the engine (a typo, or already cleaned up): say so rather than "removed".
  const present = runIdsOf(items);
  const absent = args.runIds.filter((id) => !present.includes(id));
  for (const id of absent) {
    io.stderr.write(`clean: nothing on the engine belongs to run ${id} (already removed, or not a run id: it is run.id in the results JSON and ends every tag \`stagebench/<scenario>:<variant>-<run id>\`); ${present.length > 0 ? `runs with images or containers here: ${present.join(', ')}` : 'no run has images or containers here'}\n`);
  }
  if (args.runIds.length > 0 && absent.length === args.runIds.length) return [];
  const { remove, kept } = runsToClean(items, { ...args, runIds: args.runIds.filter((id) => !absent.includes(id)) }, processAlive);
  const plan = cleanPlan(items, remove, args, kept);
  const problems: string[] = [];
  for (const { run, tags } of plan.runs) {
    problems.push(...(await engine.cleanup({ containers: [], images: [], tags }, NOTHING, [RUN_LABEL, run])));
    // Made by an older stagebench: the run label is on the image itself.
    const labelled = items.filter((i) => i.kind === 'image' && i.labels[RUN_LABEL] === run).map((i) => i.id);
    if (labelled.length > 0) problems.push(...(await engine.cleanup({ containers: [], images: labelled, tags: [] }, NOTHING)));
  }
  if (plan.dangling.length > 0 || plan.otherTags.length > 0 || args.all) {
    problems.push(...(await engine.cleanup({ containers: [], images: plan.dangling, tags: plan.otherTags }, NOTHING, args.all ? [LABEL, 'true'] : undefined)));
  }
  for (const p of problems) io.stderr.write(`cleanup: ${p}\n`);
  const images = plan.dangling.length > 0 ? ` and ${plan.dangling.length} untagged stagebench image(s)` : '';
  io.stderr.write(`clean: removed what ${remove.length} run(s) left${remove.length > 0 ? ` (${remove.join(', ')})` : ''}${images}\n`);
  if (kept.length > 0) {
    io.stderr.write(`clean: left ${kept.length} run(s) still in flight alone (${kept.join(', ')}); \`stagebench clean <run-id>\` or \`stagebench clean --all\` removes them anyway\n`);
  }
  return problems;
}
