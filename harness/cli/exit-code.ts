import type { Level } from '../compare/compare.js';
import { brokenVariants } from '../results/broken.js';
import { ConfigError, ExitCode, InterruptedError, UsageError } from '../errors.js';
import type { Results } from '../results/schema.js';

/** How a command ended; `exitCode` turns it into the process's exit code. */
export type Outcome =
  | { kind: 'done' }
  /** A run or merge: its results, and with --baseline the comparison's verdict. */
  | { kind: 'results'; results: Results; verdict?: Level }
  | { kind: 'verdict'; verdict: Level }
  | { kind: 'interrupted' }
  /** What `stagebench clean` could not remove. */
  | { kind: 'cleanup'; problems: string[] }
  | { kind: 'error'; error: unknown }
  /** stdout was closed (EPIPE) before everything was written. */
  | { kind: 'stdoutClosed' };

const ofVerdict = (verdict: Level): ExitCode => (verdict === 'error' ? ExitCode.engine : verdict === 'fail' ? ExitCode.regression : ExitCode.ok);

/**
 * Exit codes are chosen here and nowhere else (documented in the README): 0 pass, 1 regression, 2 usage or
 * config error, 3 engine or build error, 130 interrupted, 141 stdout closed (what a shell reports for a tool
 * stopped by SIGPIPE).
 */
export function exitCode(outcome: Outcome): ExitCode {
  switch (outcome.kind) {
    case 'done':
      return ExitCode.ok;
    case 'interrupted':
      return ExitCode.interrupted;
    case 'stdoutClosed':
      return ExitCode.closedPipe;
    case 'verdict':
      return ofVerdict(outcome.verdict);
    case 'cleanup':
      return outcome.problems.length > 0 ? ExitCode.engine : ExitCode.ok;
    case 'results': {
      if (outcome.results.run.status === 'interrupted') return ExitCode.interrupted;
      const built = brokenVariants(outcome.results).length > 0 ? ExitCode.engine : ExitCode.ok;
      // Both count: a failed build (3) outranks a regression (1).
      return Math.max(built, outcome.verdict ? ofVerdict(outcome.verdict) : ExitCode.ok) as ExitCode;
    }
    case 'error': {
      const { error } = outcome;
      if (error instanceof UsageError || error instanceof ConfigError) return ExitCode.usage;
      if (error instanceof InterruptedError) return ExitCode.interrupted;
      return ExitCode.engine;
    }
  }
}
