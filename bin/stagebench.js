#!/usr/bin/env node
import { run } from '../dist/cli/main.js';

let interrupts = 0;
const code = await run({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(handler) {
    const onSignal = () => {
      // A second Ctrl-C means "stop now", even if cleanup is still running.
      if (++interrupts > 1) process.exit(130);
      handler();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  },
});
process.exitCode = code;
