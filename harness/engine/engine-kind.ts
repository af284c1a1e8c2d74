import { ConfigError } from '../errors.js';
import { type Builder, type BuilderUsed, type EngineFacts, kindOf } from '../results/schema.js';

/** The parts of GET /version and GET /info that say which engine and image store answer. */
export interface VersionAnswer {
  Version: string;
  ApiVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Components?: { Name: string; Version: string }[];
}
export interface InfoAnswer {
  Driver: string;
  DriverStatus?: [string, string][] | null;
  NCPU: number;
}

/**
 * Which engine and image store these answers come from. Podman names itself in /version's Components
 * ("Podman Engine"); Docker's containerd image store says `driver-type io.containerd.snapshotter.v1` in
 * /info's DriverStatus (its Driver is then the snapshotter, e.g. overlayfs); anything else is Docker with
 * a graph driver (overlay2, btrfs, ...).
 */
export function describeEngine(version: VersionAnswer, info: InfoAnswer, address: string): EngineFacts {
  const podman = (version.Components ?? []).some((c) => /^podman engine$/i.test(c.Name));
  const containerd = (info.DriverStatus ?? []).some(([k, v]) => k === 'driver-type' && v.startsWith('io.containerd.snapshotter'));
  return {
    kind: podman ? 'podman' : 'docker',
    serverVersion: version.Version,
    apiVersion: version.ApiVersion,
    storageDriver: info.Driver,
    imageStore: podman ? 'containers-storage' : containerd ? 'containerd' : 'graphdriver',
    os: version.Os,
    arch: version.Arch,
    ncpu: info.NCPU,
    kernelVersion: version.KernelVersion ?? '',
    address,
  };
}


export function builderUsed(engine: { kind?: EngineFacts['kind'] }, asked: Builder): BuilderUsed {
  return kindOf(engine) === 'podman' ? 'buildah' : asked;
}

/** "Docker 26.1.5", "Podman 4.3.1". */
export function engineName(e: { kind?: EngineFacts['kind']; serverVersion: string }): string {
  return `${kindOf(e) === 'podman' ? 'Podman' : 'Docker'} ${e.serverVersion}`;
}

/** How the image store is named in footers and messages: the driver, and which store holds it. */
export function storeName(e: Pick<EngineFacts, 'storageDriver' | 'imageStore'>): string {
  if (e.imageStore === 'containerd') return `containerd image store (${e.storageDriver})`;
  if (e.imageStore === 'containers-storage') return `containers/storage ${e.storageDriver}`;
  return e.storageDriver;
}

/** [major, minor, patch] of "26.1.5+dfsg1", "27.5.0-rc.1"; missing parts are 0. */
export function versionParts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = (version.match(/^\d+(\.\d+){0,2}/)?.[0] ?? '0').split('.').map(Number);
  return [major, minor, patch];
}

/** Whether a version ("27.5.0", an API version "1.42") is `a.b` or later. */
export const atLeast = (version: string, [a, b]: [number, number]) => {
  const [major, minor] = versionParts(version);
  return major > a || (major === a && minor >= b);
};

/**
 * BuildKit on Docker's containerd image store before 27.5 cannot read a build context sent in the request
 * body: every build fails at "load remote build context" (moby/moby#47717, fixed in 27.5 and 28.0). Refused
 * before anything is built, naming both ways out.
 */
export function checkBuilderWorks(e: EngineFacts, asked: Builder): void {
  if (kindOf(e) !== 'docker' || e.imageStore !== 'containerd' || asked !== 'buildkit' || atLeast(e.serverVersion, [27, 5])) return;
  throw new ConfigError(
    `BuildKit cannot build on Docker ${e.serverVersion} with the containerd image store: the engine fails every build at "load remote build context" (moby/moby#47717, fixed in Docker 27.5 and 28.0)`,
    'pass --builder classic, or use Docker 27.5 or newer (or an engine with the overlay2 graph-driver store)',
  );
}

/** "buildkit", or "buildah (asked for buildkit)" when the engine used another builder than asked. */
export function builderLabel(r: { builder: Builder; builderUsed?: BuilderUsed }): string {
  const used = r.builderUsed ?? r.builder;
  return used === r.builder ? used : `${used} (asked for ${r.builder})`;
}

