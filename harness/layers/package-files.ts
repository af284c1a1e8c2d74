/** Where each package ecosystem records what is installed, and how to read it. Pure: bytes in, names out. */

export type Ecosystem = 'deb' | 'npm' | 'go' | 'apk';
export const ECOSYSTEMS: Ecosystem[] = ['deb', 'npm', 'go', 'apk'];

/** Package files are small; a larger one is not read (bounded memory), and that is said in the findings. */
export const MAX_PACKAGE_FILE = 32 * 1024 * 1024;

/** A package's own package.json: the last node_modules segment, then `name/` or `@scope/name/`. */
const NPM_MANIFEST = /(?:^|\/)node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*\/package\.json$/;

/** Which ecosystem's record a layer path is, when it is one (paths without a leading slash). */
export function packageFileKind(path: string): Exclude<Ecosystem, 'go'> | undefined {
  if (path === 'var/lib/dpkg/status' || /^var\/lib\/dpkg\/status\.d\/[^/]+$/.test(path)) return 'deb';
  if (path === 'lib/apk/db/installed') return 'apk';
  if (NPM_MANIFEST.test(path)) return 'npm';
  return undefined;
}

/** Stanzas of `Key: value` lines separated by blank lines (dpkg status; apk's `K:value` uses `sep` ':'). */
function stanzas(text: string): Map<string, string>[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        if (line.startsWith(' ') || line.startsWith('\t')) continue; // a continuation line
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((f) => f.size > 0);
}

/** dpkg's status database: packages whose Status ends in "installed" (not config-files or half-installed). */
export function parseDpkgStatus(text: string): string[] {
  return stanzas(text).flatMap((f) => {
    const name = f.get('Package');
    const version = f.get('Version');
    const status = f.get('Status');
    // status.d files (distroless) have no Status field: presence means installed.
    if (!name || !version || (status !== undefined && !/\sinstalled$/.test(status))) return [];
    return [`${name}@${version}`];
  });
}

/** apk's installed database: `P:` name and `V:` version per stanza. */
export function parseApkInstalled(text: string): string[] {
  return stanzas(text).flatMap((f) => {
    const name = f.get('P');
    const version = f.get('V');
    return name && version ? [`${name}@${version}`] : [];
  });
}

/** A package.json under node_modules: its name@version, or nothing for one without both. */
export function parseNpmManifest(text: string): string[] {
  try {
    const json = JSON.parse(text) as { name?: unknown; version?: unknown };
    return typeof json.name === 'string' && typeof json.version === 'string' && json.name && json.version ? [`${json.name}@${json.version}`] : [];
  } catch {
    return [];
  }
}

export function parsePackageFile(kind: Exclude<Ecosystem, 'go'>, text: string): string[] {
  return kind === 'deb' ? parseDpkgStatus(text) : kind === 'apk' ? parseApkInstalled(text) : parseNpmManifest(text);
}
