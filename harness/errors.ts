/** Exit codes, chosen in one place (the CLI) from these. Documented in the README. */
export const ExitCode = {
  ok: 0,
  regression: 1,
  usage: 2,
  engine: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Every error stagebench raises on purpose: a message naming the thing, and a hint naming the fix. */
export class StagebenchError extends Error {
  readonly exitCode: ExitCode = ExitCode.engine;
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
export class UsageError extends StagebenchError {
  override readonly exitCode = ExitCode.usage;
}

/** A config file or scenario folder that cannot be used as it is. */
export class ConfigError extends StagebenchError {
  override readonly exitCode = ExitCode.usage;
}

/** The Docker engine cannot be reached or refused a request outside a build. */
export class EngineError extends StagebenchError {
  override readonly exitCode = ExitCode.engine;
}

/** No engine answers at the address: nothing more can be measured in this run. */
export class EngineUnreachableError extends EngineError {}

/** The run was interrupted (Ctrl-C / SIGTERM). */
export class InterruptedError extends StagebenchError {
  override readonly exitCode = ExitCode.interrupted;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
