/** The engine's answer while it computes another client's disk usage (moby: errDiskUsageInProgress). */
const BUSY = /already running/i;

/**
 * Retries a request the engine refused because the same operation is already running for someone else,
 * waiting `waitMs` (doubling, at most 4 s) between attempts; after `attempts` tries the last refusal stands.
 */
export async function retryWhileBusy<T>(fn: () => Promise<T>, attempts = 8, waitMs = 250): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !BUSY.test((err as Error).message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs * 2 ** (attempt - 1), 4000)));
    }
  }
}
