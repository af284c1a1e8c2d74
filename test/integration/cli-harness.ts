import Docker from 'dockerode';
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../harness/cli/io.js';
import { run } from '../../harness/cli/main.js';
import { EXPECT } from './engine-under-test.js'; // sets DOCKER_HOST for STAGEBENCH_TEST_ENGINE
import { FIXTURE_BASE } from './fixture-base.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** Each test file gets its own layer cache, empty at its start, never the user's. */
const LAYER_CACHE_HOME = mkdtempSync(join(tmpdir(), 'sb-xdg-cache-'));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
}

/** Drives the whole CLI in-process, as bin/stagebench.js does, capturing its output. */
export async function stagebench(args: string[], opts: { env?: Record<string, string>; onStderr?: (text: string, interrupt: () => void) => void; startRegistry?: CliIo['startRegistry']; out?: string; cwd?: string } = {}): Promise<CliRun> {
  // A fresh temporary --out folder for `run`, unless the test names one.
  const out = opts.out ?? mkdtempSync(join(tmpdir(), 'sb-out-'));
  let stdout = '';
  let stderr = '';
  let interrupt: () => void = () => undefined;
  const io: CliIo = {
    argv: [...args, ...(args[0] === 'run' ? ['--out', out] : [])],
    env: { ...process.env, XDG_CACHE_HOME: LAYER_CACHE_HOME, ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: {
      write: (t: string) => {
        stderr += t;
        opts.onStderr?.(t, interrupt);
      },
    },
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => (interrupt = () => undefined);
    },
    ...(opts.startRegistry ? { startRegistry: opts.startRegistry } : {}),
  };
  const code = await run(io);
  return { code, stdout, stderr, out };
}

/**
 * What the docker CLI itself reports: the independent check of stagebench's numbers. `size` is the
 * unpacked size as stagebench defines it for the engine: inspect's Size, except on the containerd store,
 * where that is the stored content (`stored`) and the unpacked size is the sum of the history's sizes.
 */
export async function dockerInspect(imageId: string): Promise<{ size: number; layers: number; history: number; stored?: number }> {
  const inspect = await execa('docker', ['image', 'inspect', '--format', '{{.Size}} {{len .RootFS.Layers}}', imageId]);
  const history = await execa('docker', ['history', '-q', imageId]);
  const [size, layers] = inspect.stdout.trim().split(' ').map(Number) as [number, number];
  const count = history.stdout.trim().split('\n').length;
  if (EXPECT.imageStore !== 'containerd') return { size, layers, history: count };
  // The CLI rounds history sizes ("1.05MB"): read them exactly from the API.
  const entries = (await new Docker().getImage(imageId).history()) as { Size: number }[];
  return { size: entries.reduce((n, e) => n + e.Size, 0), layers, history: count, stored: size };
}

export async function dockerLines(args: string[]): Promise<string[]> {
  const res = await execa('docker', args);
  return res.stdout.split('\n').filter(Boolean);
}

/** True when an engine answers; in CI (CI=true) the suites fail instead of skipping without one. */
export async function engineAnswers(): Promise<boolean> {
  const res = await execa('docker', ['version', '--format', '{{.Server.Version}}'], { reject: false, timeout: 10_000 });
  return res.exitCode === 0;
}

/** Container and image ids on the engine now. */
export async function engineState(): Promise<{ containers: string[]; images: string[] }> {
  return {
    containers: await dockerLines(['ps', '-a', '-q', '--no-trunc']),
    images: await dockerLines(['images', '-a', '-q', '--no-trunc']),
  };
}

/**
 * Containers and images that appeared since `before` and come from the fixtures: built on the fixture base
 * (its layer first) or labelled by stagebench. Other clients of a shared daemon are not counted.
 */
export async function leftovers(before: { containers: string[]; images: string[] }): Promise<{ containers: string[]; images: string[] }> {
  const now = await engineState();
  const baseLayer = (await dockerLines(['image', 'inspect', '--format', '{{index .RootFS.Layers 0}}', FIXTURE_BASE]))[0];
  const ours = async (image: string) => {
    const [line] = await dockerLines(['image', 'inspect', '--format', '{{index .RootFS.Layers 0}} {{index .Config.Labels "org.stagebench"}}', image]).catch(() => ['']);
    const [layer, label] = (line ?? '').split(' ');
    return layer === baseLayer || label === 'true';
  };
  const images: string[] = [];
  for (const id of now.images.filter((i) => !before.images.includes(i))) if (await ours(id)) images.push(id);
  const containers: string[] = [];
  for (const id of now.containers.filter((c) => !before.containers.includes(c))) {
    const [image] = await dockerLines(['container', 'inspect', '--format', '{{.Image}}', id]).catch(() => ['']);
    if (image && (await ours(image))) containers.push(id);
  }
  return { containers, images };
}
