import type { Engine, Labelled } from '../engine/engine.js';
import { LABEL, RUN_LABEL } from '../measure/labels.js';
import type { CleanArgs } from './args.js';
import type { CliIo } from './io.js';

/** True while the process is there (EPERM: there, but someone else's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The runs whose containers and images `clean` removes: the named ones, every one with --all, else every
 * run whose stagebench process is gone. A run id ends in the pid of the process that made it; while a
 * process with that pid lives on this host, the run counts as in flight and stays.
 */
export function runsToClean(items: Labelled[], args: Pick<CleanArgs, 'runIds' | 'all'>, alive: (pid: number) => boolean) {
  if (args.runIds.length > 0) return { remove: args.runIds, kept: [] as string[] };
  const ids = [...new Set(items.flatMap((i) => i.labels[RUN_LABEL] ?? []))].sort();
  if (args.all) return { remove: ids, kept: [] as string[] };
  const inFlight = (id: string) => {
    const pid = /-(\d+)$/.exec(id)?.[1];
    return pid !== undefined && alive(Number(pid));
  };
  return { remove: ids.filter((id) => !inFlight(id)), kept: ids.filter(inFlight) };
}

/** Removes what the chosen runs left; returns what could not be removed. */
export async function cleanCommand(args: CleanArgs, io: Pick<CliIo, 'stderr'>, engine: Engine): Promise<string[]> {
  const items = await engine.listLabelled(LABEL);
  const { remove, kept } = runsToClean(items, args, processAlive);
  const problems: string[] = [];
  for (const id of remove) problems.push(...(await engine.cleanup({ containers: [], images: [] }, 0, [RUN_LABEL, id])));
  // --all: also what no run label names (made by an older stagebench).
  if (args.all) problems.push(...(await engine.cleanup({ containers: [], images: [] }, 0, [LABEL, 'true'])));
  for (const p of problems) io.stderr.write(`cleanup: ${p}\n`);
  io.stderr.write(`clean: removed what ${remove.length} run(s) left${remove.length > 0 ? ` (${remove.join(', ')})` : ''}\n`);
  if (kept.length > 0) {
    io.stderr.write(`clean: left ${kept.length} run(s) still in flight alone (${kept.join(', ')}); \`stagebench clean <run-id>\` or \`stagebench clean --all\` removes them anyway\n`);
  }
  return problems;
}
