/** How long stagebench waits for the engine to answer one request, unless told otherwise (README: timeouts). */
export const DEFAULT_ENGINE_TIMEOUT_MS = 60_000;

export interface Deadline {
  /** Aborts when the time is up or the run is interrupted; pass it to the request. */
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /** Starts the clock (a build's starts once its context is sent); a no-op when already started. */
  start(): void;
  /** The engine answered: stop the clock. */
  disarm(): void;
}

/**
 * The time limit on one engine request. The clock runs from `start()` (at once unless `lazy`) until
 * `disarm()`, so a streaming answer (a build, a pull, an export) is limited only until it begins.
 */
export function deadline(ms: number, interrupt?: AbortSignal, lazy = false): Deadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  let disarmed = false;
  const d: Deadline = {
    signal: interrupt ? AbortSignal.any([controller.signal, interrupt]) : controller.signal,
    get timedOut() {
      return timedOut;
    },
    start() {
      if (timer || disarmed) return;
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new Error(`no answer within ${ms} ms`));
      }, ms);
    },
    disarm() {
      disarmed = true;
      clearTimeout(timer);
    },
  };
  if (!lazy) d.start();
  return d;
}
