import { decodeTrace } from './buildkit-trace.js';

/** One JSON message of the POST /build response stream. */
export interface BuildMessage {
  stream?: string;
  id?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

export interface BuildFailure {
  /** The Dockerfile step that failed, as the builder named it, when known. */
  step?: string;
  message: string;
  /** Exit status of a failing RUN, when the builder reported one. */
  exitCode?: number;
  /** The last lines the failing step printed. */
  logTail: string[];
}

export interface StepRecord {
  name: string;
  cached: boolean;
  /** BuildKit: the vertex's times on the daemon's clock; classic: when its `Step` line and the next arrived. */
  startedMs?: number;
  completedMs?: number;
}

export interface ParsedBuild {
  /** The image the build produced: the last image-id message (classic sends one per stage). */
  imageId?: string;
  /** Every image id announced, in order (classic: one per stage). */
  auxIds: string[];
  /** Classic intermediate images (` ---> <id>` lines), needed to clean up after a failed build. */
  intermediateIds: string[];
  /** Classic step containers (` ---> Running in <id>`); one can outlive a cancelled build for a moment. */
  containerIds: string[];
  steps: StepRecord[];
  warnings: string[];
  failure?: BuildFailure;
}

const LOG_TAIL_LINES = 20;
const MAX_LINE = 400;
/** The most of an unfinished classic output line kept while waiting for its end. */
const MAX_PARTIAL = 4096;
const ANSI = /\u001b\[[0-9;]*m/g;
const CLASSIC_STEP = /^Step \d+\/\d+ : (.*)$/;
const CLASSIC_ID = /^ ---> ([0-9a-f]{12,64})$/;
const CLASSIC_CONTAINER = /^ ---> Running in ([0-9a-f]{12,64})$/;
// Podman builds with buildah: "[1/2] STEP 2/4: WORKDIR /www" (no stage prefix in a one-stage build),
// "--> Using cache <id>", "--> <short id>" for each image a step committed, "[2/2] COMMIT" at the end.
const BUILDAH_STEP = /^(?:(\[\d+\/\d+\]) )?STEP \d+\/\d+: (.*)$/;
const BUILDAH_ID = /^--> ([0-9a-f]{11,64})$/;
const BUILDAH_CACHE = /^--> Using cache [0-9a-f]{11,64}$/;
const BUILDAH_COMMIT = /^(?:\[\d+\/\d+\] )?COMMIT\b/;
const FULL_ID = /^[0-9a-f]{64}$/;
// Classic: "returned a non-zero code: 3"; BuildKit: "exit code: 3"; buildah: "exit status 3".
const EXIT_CODE = /(?:exit code|non-zero code): (\d+)|exit status (\d+)/;

function pushTail(tail: string[], text: string): void {
  for (const line of text.replace(ANSI, '').split('\n')) {
    if (line.trim() === '') continue;
    tail.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
  }
}

/**
 * Folds the messages of one build, classic or buildah (`stream` text) or BuildKit (`moby.buildkit.trace` protobuf),
 * into what happened. A failure inside a 200 response is found here, never taken for success.
 */
export class BuildStreamParser {
  private readonly result: ParsedBuild = { auxIds: [], intermediateIds: [], containerIds: [], steps: [], warnings: [] };
  private partialLine = '';
  private classicLog: string[] = [];
  private readonly vertexes = new Map<string, StepRecord & { error?: string }>();
  private readonly vertexLogs = new Map<string, string[]>();
  /** A vertex's unfinished output line per stream ("<vertex> <stream>"): BuildKit cuts logs where the process wrote, not at newlines. */
  private readonly vertexPartial = new Map<string, string>();
  private lastStarted?: string;

  /** `clock` times classic steps (their stream carries no times): milliseconds, client side. */
  constructor(private readonly clock: () => number = Date.now) {}

  /** The step running now, for progress display. */
  get currentStep(): string | undefined {
    if (this.lastStarted) return this.vertexes.get(this.lastStarted)?.name;
    return this.result.steps.at(-1)?.name;
  }

  /** Feeds one message; returns true when it announced an image id (the clock stops there). */
  push(msg: BuildMessage): boolean {
    if (msg.errorDetail || msg.error) {
      this.fail(msg.errorDetail?.message ?? msg.error ?? 'build failed');
      return false;
    }
    if (msg.id === 'moby.buildkit.trace' && typeof msg.aux === 'string') {
      this.onTrace(msg.aux);
      return false;
    }
    const auxId = (msg.aux as { ID?: unknown } | undefined)?.ID;
    if (typeof auxId === 'string') {
      this.endClassicStep();
      this.result.auxIds.push(auxId);
      this.result.imageId = auxId;
      return true;
    }
    if (typeof msg.stream === 'string') this.onClassicText(msg.stream);
    return false;
  }

  finish(): ParsedBuild {
    if (this.partialLine) this.onClassicLine(this.partialLine);
    this.partialLine = '';
    const steps = [...this.vertexes.values()].map(({ name, cached, startedMs, completedMs }) => ({
      name,
      cached,
      startedMs,
      completedMs,
    }));
    if (steps.length > 0) this.result.steps = steps;
    if (!this.result.failure && !this.result.imageId) {
      this.fail('the build stream ended without an image id');
    }
    return this.result;
  }

  private onClassicText(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    // A line never ends (50 MB of output without a newline): keep only its start, so memory and the cost of
    // each chunk stay bounded. Only its first MAX_LINE characters ever reach a log tail, and the builder's
    // own lines are short.
    this.partialLine = (lines.pop() ?? '').slice(0, MAX_PARTIAL);
    for (const line of lines) this.onClassicLine(line);
  }

  private onClassicLine(raw: string): void {
    // Classic wraps RUN stderr in red: strip colour before recognising the builder's own lines.
    const line = raw.replace(ANSI, '');
    const step = CLASSIC_STEP.exec(line);
    const buildah = step ? undefined : BUILDAH_STEP.exec(line);
    const name = step?.[1] ?? (buildah?.[2] ? (buildah[1] ? `${buildah[1]} ${buildah[2]}` : buildah[2]) : undefined);
    if (name) {
      this.endClassicStep();
      this.result.steps.push({ name, cached: false, startedMs: this.clock() });
      this.classicLog = [];
      return;
    }
    if (BUILDAH_COMMIT.test(line)) {
      this.endClassicStep();
      return;
    }
    const committed = BUILDAH_ID.exec(line);
    if (committed?.[1]) {
      this.result.intermediateIds.push(committed[1]);
      return;
    }
    const container = CLASSIC_CONTAINER.exec(line);
    if (container?.[1]) {
      this.result.containerIds.push(container[1]);
      return;
    }
    const id = CLASSIC_ID.exec(line);
    if (id?.[1]) {
      this.result.intermediateIds.push(id[1]);
      return;
    }
    if (line === ' ---> Using cache' || BUILDAH_CACHE.test(line)) {
      const current = this.result.steps.at(-1);
      if (current) current.cached = true;
      return;
    }
    if (line.startsWith('[Warning]')) {
      this.result.warnings.push(line);
      return;
    }
    if (/^(Removing intermediate container |Successfully (built|tagged) )/.test(line) || FULL_ID.test(line)) return;
    pushTail(this.classicLog, line);
  }

  /** A classic step ends where the next one (or an image id) begins. */
  private endClassicStep(): void {
    const last = this.result.steps.at(-1);
    if (last && last.completedMs === undefined) last.completedMs = this.clock();
  }

  private onTrace(aux: string): void {
    const update = decodeTrace(aux);
    for (const v of update.vertexes) {
      const known = this.vertexes.get(v.digest);
      // Each message carries the vertex's fields so far; `cached` arrives only with completion. A vertex can
      // start twice: its first start is kept, so steps[].ms spans both.
      this.vertexes.set(v.digest, {
        name: v.name || known?.name || v.digest,
        cached: v.cached || (known?.cached ?? false),
        startedMs: known?.startedMs ?? v.startedMs,
        completedMs: v.completedMs ?? known?.completedMs,
        error: v.error ?? known?.error,
      });
      if (v.startedMs !== undefined && v.completedMs === undefined) this.lastStarted = v.digest;
    }
    for (const log of update.logs) {
      const key = `${log.vertex} ${log.stream}`;
      const lines = ((this.vertexPartial.get(key) ?? '') + log.text).split('\n');
      // As with classic output: an endless line keeps only its start.
      this.vertexPartial.set(key, (lines.pop() ?? '').slice(0, MAX_PARTIAL));
      const tail = this.vertexLogs.get(log.vertex) ?? [];
      pushTail(tail, lines.join('\n'));
      this.vertexLogs.set(log.vertex, tail);
    }
  }

  /** A vertex's last lines, with the unfinished line of each stream it wrote last. */
  private vertexTail(vertex: string): string[] {
    const tail = [...(this.vertexLogs.get(vertex) ?? [])];
    for (const [key, partial] of this.vertexPartial) if (key.startsWith(`${vertex} `)) pushTail(tail, partial);
    return tail;
  }

  private fail(message: string): void {
    const failed = [...this.vertexes.entries()].find(([, v]) => v.error);
    const exitText = failed?.[1].error ?? message;
    const match = EXIT_CODE.exec(exitText);
    const exit = match?.[1] ?? match?.[2];
    this.result.failure = {
      step: failed ? failed[1].name : this.result.steps.at(-1)?.name,
      message: message.trim(),
      // Only a process exit status; errorDetail.code is not one for non-RUN failures.
      exitCode: exit !== undefined ? Number(exit) : undefined,
      logTail: failed ? this.vertexTail(failed[0]) : [...this.classicLog],
    };
  }
}
