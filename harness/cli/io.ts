import type { Engine } from '../engine/engine.js';
import type { DeployRegistry, RegistryOptions } from '../measure/registry.js';
import type { TextSink } from '../report/progress.js';
import type { Stream } from './output.js';

/** Everything the CLI takes from the process, passed in so that tests drive the whole CLI. */
export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** `on('error')`, when the stream has it, is how a closed pipe (EPIPE) is noticed. */
  stdout: TextSink & Stream & { on?(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown };
  /** A closed stderr (EPIPE) only silences the progress and messages: the command goes on. */
  stderr: TextSink & Stream & { on?(event: 'error', listener: (err: NodeJS.ErrnoException) => void): unknown };
  /** Calls the handler on Ctrl-C or SIGTERM; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Tests may pass their own engine; the default talks to DOCKER_HOST or the local socket. */
  engine?: Engine;
  /** Tests may pass their own loopback registry for --deploy; the default starts Debian's docker-registry. */
  startRegistry?: (signal: AbortSignal, env: Record<string, string | undefined>, options?: RegistryOptions) => Promise<DeployRegistry>;
}
