/** The exit codes; cli/exit-code.ts chooses among them. Documented in the README. */
export const ExitCode = {
  ok: 0,
  regression: 1,
  usage: 2,
  engine: 3,
  interrupted: 130,
  /** stdout was closed before everything was written (EPIPE): what a shell reports for a tool stopped by SIGPIPE. */
  closedPipe: 141,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every error stagebench raises on purpose: a message naming the thing, and a hint naming the fix. */
export class StagebenchError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments. */
export class UsageError extends StagebenchError {}

/** A config file or scenario folder that cannot be used as it is. */
export class ConfigError extends StagebenchError {}

/** The Docker engine cannot be reached or refused a request outside a build. */
export class EngineError extends StagebenchError {}

/** No engine answers at the address: nothing more can be measured in this run. */
export class EngineUnreachableError extends EngineError {}

/** A file could not be written (a full disk, a read-only or unwritable folder): names the path and the fix. */
export class OutputError extends StagebenchError {}

/** The run was interrupted (Ctrl-C / SIGTERM). */
export class InterruptedError extends StagebenchError {}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
