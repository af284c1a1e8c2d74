/**
 * The pure part of a deploy measurement: which of an image's pushed blobs a host must download, from the
 * registry's manifest (exact compressed sizes) and the engine's layer DiffIDs; what the registry's access log
 * says was really fetched; and the download time at a stated bandwidth.
 */

/** A pushed manifest as the registry serves it: the config blob and the layer blobs, in image order. */
export interface PushedManifest {
  config: { digest: string; size: number };
  layers: { digest: string; size: number }[];
}

export interface DeployLayer {
  /** The blob's digest in the registry (sha256 of the compressed layer). */
  digest: string;
  /** Its compressed size, from the manifest. */
  bytes: number;
  /** The final stage's FROM image holds this layer (same DiffID at the same place): a host with the base has it. */
  inBase: boolean;
}

/**
 * The manifest's layers, each marked when it is the base image's: the image's DiffIDs start with the base's
 * (layer i of the manifest is RootFS.Layers[i]). Only a common prefix counts, as a pull matches layers by chain.
 */
export function deployLayers(manifest: PushedManifest, imageDiffIds: string[], baseDiffIds: string[]): DeployLayer[] {
  if (manifest.layers.length !== imageDiffIds.length) {
    throw new Error(`the pushed manifest lists ${manifest.layers.length} layers where the image has ${imageDiffIds.length}`);
  }
  let common = 0;
  while (common < baseDiffIds.length && baseDiffIds[common] === imageDiffIds[common]) common++;
  // A base whose layers are not all at the image's start is not the image's base (a FROM that moved): none count.
  if (common < baseDiffIds.length) common = 0;
  return manifest.layers.map((l, i) => ({ digest: l.digest, bytes: l.size, inBase: i < common }));
}

/** Compressed bytes a host downloads: the config and the layers it lacks (with the base: the layers not in it). */
export function downloadBytes(manifest: PushedManifest, layers: DeployLayer[], hostHasBase: boolean): number {
  return manifest.config.size + layers.filter((l) => !(hostHasBase && l.inBase)).reduce((n, l) => n + l.bytes, 0);
}

/** Milliseconds to move `bytes` at `bitsPerSecond`, rounded to the nearest millisecond. */
export function downloadMs(bytes: number, bitsPerSecond: number): number {
  return Math.round((bytes * 8 * 1000) / bitsPerSecond);
}

/** One answered request in the registry's access log (Apache combined format, as docker-registry writes it). */
export interface AccessLine {
  method: string;
  path: string;
  status: number;
  bytes: number;
}

const COMBINED = /^\S+ \S+ \S+ \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+|-)/;

/** One access log line, or undefined for anything else (the registry's own messages go to stderr). */
export function parseAccessLine(line: string): AccessLine | undefined {
  const m = COMBINED.exec(line);
  if (!m) return undefined;
  return { method: m[1]!, path: m[2]!, status: Number(m[3]), bytes: m[4] === '-' ? 0 : Number(m[4]) };
}

/**
 * The blobs of `repository` a client downloaded in these requests: every GET of /v2/<repository>/blobs/<digest>
 * answered 200 or 206. HEAD requests (existence checks) and refused requests fetch nothing.
 */
export function fetchedBlobs(lines: AccessLine[], repository: string): Set<string> {
  const prefix = `/v2/${repository}/blobs/`;
  const fetched = new Set<string>();
  for (const l of lines) {
    if (l.method !== 'GET' || (l.status !== 200 && l.status !== 206) || !l.path.startsWith(prefix)) continue;
    fetched.add(l.path.slice(prefix.length).split('?')[0]!);
  }
  return fetched;
}
