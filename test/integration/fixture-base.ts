import Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import tar from 'tar-stream';

/** A tiny local base image (static busybox, about 2 MB), so fixture builds need no registry. */
export const FIXTURE_BASE = 'stagebench-fixture/busybox:latest';
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'ls', 'cat', 'echo', 'dd', 'mkdir', 'rm', 'test', 'true', 'false', 'sleep', 'head', 'wc', 'httpd', 'printf', 'find', 'touch'];

/** Imports FIXTURE_BASE through the Engine API unless it is there. Needs Debian's busybox-static on the host. */
export async function ensureFixtureBase(docker = new Docker()): Promise<void> {
  try {
    await docker.getImage(FIXTURE_BASE).inspect();
    return;
  } catch {
    // not there yet: import it below
  }
  let binary: Buffer;
  try {
    binary = readFileSync(BUSYBOX);
  } catch {
    throw new Error(`the integration tests need a static ${BUSYBOX}: run sudo npm run setup (offline/setup.sh installs busybox-static)`);
  }
  const pack = tar.pack();
  pack.entry({ name: 'bin', type: 'directory', mode: 0o755 });
  pack.entry({ name: 'tmp', type: 'directory', mode: 0o1777 });
  pack.entry({ name: 'bin/busybox', mode: 0o755 }, binary);
  for (const applet of APPLETS) pack.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  pack.finalize();
  const [repo, tag] = FIXTURE_BASE.split(':') as [string, string];
  const stream = (await docker.importImage(pack as never, { repo, tag, changes: ['ENV PATH=/bin', 'CMD ["sh"]'] } as never)) as unknown as NodeJS.ReadableStream;
  await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve(undefined))));
}
