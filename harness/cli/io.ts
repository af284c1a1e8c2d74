import type { Engine } from '../engine/engine.js';
import type { TextSink } from '../report/progress.js';

/** Everything the CLI takes from the process, passed in so that tests drive the whole CLI. */
export interface CliIo {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink & { isTTY?: boolean };
  stderr: TextSink & { isTTY?: boolean };
  /** Calls the handler on Ctrl-C or SIGTERM; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Tests may pass their own engine; the default talks to DOCKER_HOST or the local socket. */
  engine?: Engine;
}
