import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Results } from '../../harness/results/schema.js';
import { ensureFixtureBase, FIXTURE_BASE } from '../integration/fixture-base.js';

export { ensureFixtureBase, FIXTURE_BASE };

const BIN = new URL('../../bin/stagebench.js', import.meta.url).pathname;

export interface Faulted {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the stagebench process. */
  ms: number;
  /** Image ids on the engine just before the process started: what it left is what appeared since. */
  imagesBefore: Set<string>;
  /** Its pid: every run id it made ends in `-<pid>`. */
  pid: number;
  out: string;
  /** The process's own TMPDIR: must be empty afterwards. */
  tmp: string;
  /** Time from the signal (opts.signal) to the exit. */
  afterSignalMs?: number;
  /** Peak resident memory of the stagebench process (VmHWM from /proc/<pid>/status), in KiB. */
  peakRssKb: number;
  results(): Results | undefined;
}

/** A scenario folder (or several) written from a map of file name to content. */
export function scenarios(tree: Record<string, Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'sb-fault-scn-'));
  for (const [name, files] of Object.entries(tree)) {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, name, file)), { recursive: true });
      writeFileSync(join(root, name, file), content);
    }
  }
  return root;
}

/** Dockerfiles on the tiny fixture base. */
export const FROM = `FROM ${FIXTURE_BASE}`;

/**
 * Runs the real binary as its own process (signals, memory and exit codes are the process's), with its
 * own TMPDIR and, for `run`, its own --out unless given.
 */
export async function stagebench(
  args: string[],
  opts: {
    env?: Record<string, string>;
    out?: string;
    onStderr?: (text: string, child: ResultPromise) => void;
    /** Send this signal once stderr matches `when`, or `trigger` resolves, or `afterMs` after the start. */
    signal?: { name: NodeJS.Signals; when?: RegExp; afterMs?: number; trigger?: Promise<unknown> };
    timeoutMs?: number;
  } = {},
): Promise<Faulted> {
  const out = opts.out ?? mkdtempSync(join(tmpdir(), 'sb-fault-out-'));
  const tmp = mkdtempSync(join(tmpdir(), 'sb-fault-tmp-'));
  const argv = args[0] === 'run' && !args.includes('--out') ? [...args, '--out', out] : args;
  const imagesBefore = new Set(await lines(['images', '-a', '-q', '--no-trunc']));
  const t0 = performance.now();
  const child = execa('node', [BIN, ...argv], { env: { TMPDIR: tmp, NO_COLOR: '1', ...opts.env }, reject: false, timeout: opts.timeoutMs ?? 120_000, killSignal: 'SIGKILL' });
  let peak = 0;
  const status = `/proc/${child.pid}/status`;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1];
      if (hwm) peak = Math.max(peak, Number(hwm));
    } catch {
      // gone
    }
  };
  const sampler = setInterval(sample, 50);
  let stderr = '';
  let signalledAt: number | undefined;
  const send = () => {
    if (signalledAt !== undefined || !opts.signal) return;
    signalledAt = performance.now();
    child.kill(opts.signal.name);
  };
  const timer = opts.signal?.afterMs !== undefined ? setTimeout(send, opts.signal.afterMs) : undefined;
  void opts.signal?.trigger?.then(send);
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (opts.signal?.when?.test(stderr)) send();
    opts.onStderr?.(stderr, child);
  });
  const res = await child;
  clearInterval(sampler);
  clearTimeout(timer);
  const end = performance.now();
  const ms = end - t0;
  return {
    code: res.exitCode ?? -1,
    stdout: String(res.stdout),
    stderr,
    ms,
    imagesBefore,
    pid: child.pid!,
    out,
    tmp,
    peakRssKb: peak,
    ...(signalledAt !== undefined ? { afterSignalMs: end - signalledAt } : {}),
    results: () => (existsSync(join(out, 'latest.json')) ? (JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Results) : undefined),
  };
}

async function lines(args: string[]): Promise<string[]> {
  return (await execa('docker', args)).stdout.split('\n').filter(Boolean);
}

/**
 * What a run left on the engine, found by what is its own only (other clients share the engine): containers
 * by its run label, images by its per-run tags, and stagebench's untagged images that were not there when it
 * started (an earlier round's image, with no tag, names no run; a creation time cannot tell, since BuildKit
 * gives an image rebuilt from the cache its first build's).
 */
export async function leftBehind(run: string | { pid: number }, before: Set<string>): Promise<{ containers: string[]; images: string[] }> {
  // A run id, or (when no results name it) every run of one process: its ids end in `-<pid>`.
  const end = typeof run === 'string' ? run : String(run.pid);
  const ofRun = (id: string) => (typeof run === 'string' ? id === run : id.endsWith(`-${run.pid}`));
  const tagged = await lines(['images', '-q', '--filter', `reference=stagebench/*:*-${end}`]);
  const untagged = await lines(['images', '-a', '-q', '--no-trunc', '--filter', 'label=org.stagebench', '--filter', 'dangling=true']);
  const fresh = untagged.filter((id) => !before.has(id)).map((id) => id.replace('sha256:', '').slice(0, 12));
  const containers = (await lines(['ps', '-a', '--filter', 'label=org.stagebench.run', '--format', '{{.ID}} {{.Label "org.stagebench.run"}}'])).flatMap((l) => {
    const [id, runId] = l.split(' ');
    return ofRun(runId ?? '') ? [id!] : [];
  });
  return { containers, images: [...tagged, ...fresh] };
}

/** Files under a folder whose name marks them temporary. */
export function tempFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).filter((f) => /\.tmp$|stagebench-incremental-/.test(f));
}

/** The checks every case makes on a run: no temp files in --out or TMPDIR, nothing of the run left on the engine. */
export async function leftNothing(res: Faulted): Promise<void> {
  expect(tempFiles(res.out)).toEqual([]);
  expect(readdirSync(res.tmp)).toEqual([]);
  expect(await leftBehind(res.results()?.run.id ?? { pid: res.pid }, res.imagesBefore)).toEqual({ containers: [], images: [] });
}
