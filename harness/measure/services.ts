import type { Service } from '../config/schemas.js';
import { ConfigError, InterruptedError } from '../errors.js';
import { variantOptions } from '../scenarios/discover.js';
import type { Scenario } from '../scenarios/scenario.js';

/**
 * The profile's services that the selected scenarios need (scenario.json "services", also per profile or
 * variant), in the profile's order: no service runs idle. A name the profile does not define is an error.
 */
export function neededServices(profile: { name: string; services?: Service[] }, scenarios: Scenario[]): Service[] {
  const defined = profile.services ?? [];
  const wanted = new Map<string, string>();
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      for (const name of variantOptions(scenario, variant.id, profile.name).services ?? []) wanted.set(name, scenario.name);
    }
  }
  for (const [name, scenario] of wanted) {
    if (!defined.some((s) => s.name === name)) {
      throw new ConfigError(
        `scenario ${scenario} needs the service "${name}", and profile ${profile.name} defines ${defined.map((s) => `"${s.name}"`).join(', ') || 'no services'}`,
        `add it to the profile's "services" in the config file, or fix the name in ${scenario}'s scenario.json`,
      );
    }
  }
  return defined.filter((s) => wanted.has(s.name));
}

/** Starts a profile's services (e.g. a loopback npm proxy); returns a function that stops them all. */
export async function startServices(services: Service[], cwd: string, log: (line: string) => void, signal: AbortSignal): Promise<() => Promise<void>> {
  // Loaded only when a scenario needs a service.
  const { execa } = await import('execa');
  const started: Service[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) {
      if (!service.stop) continue;
      const [cmd, ...args] = service.stop;
      const res = await execa(cmd as string, args, { cwd, reject: false, all: true });
      if (res.exitCode !== 0) log(`could not stop ${service.name}: ${res.all}`);
    }
  };
  for (const service of services) {
    log(`starting ${service.name}`);
    const [cmd, ...args] = service.start;
    const res = await execa(cmd as string, args, { cwd, reject: false, all: true });
    if (signal.aborted) {
      started.push(service); // it may have started before the interrupt reached it
      await stopAll();
      throw new InterruptedError(`interrupted while starting ${service.name}`);
    }
    if (res.exitCode !== 0) {
      await stopAll();
      throw new ConfigError(
        `${service.name} did not start (${service.start.join(' ')} exited ${res.exitCode}):\n${(res.all ?? '').split('\n').slice(-10).join('\n')}`,
        'run the offline set-up first (see the README), or pick another --profile',
      );
    }
    started.push(service);
  }
  return stopAll;
}
