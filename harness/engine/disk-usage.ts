import type { EngineFacts } from './engine.js';

/** One image of GET /system/df. Podman's ids lack the `sha256:` prefix. */
export interface DfImage {
  Id: string;
  Size: number;
  SharedSize: number;
}

export interface Usage {
  uniqueBytes: number;
  sharedBytes: number;
}

const normalId = (id: string) => (id.includes(':') ? id : `sha256:${id}`);

/**
 * Unique and shared bytes of each image (keyed by id, with its size as stagebench reports it), defined per
 * image store:
 * - graphdriver: df Size - SharedSize, and SharedSize (bytes in layers another image uses too);
 * - containerd: df Size there is disk usage (content plus snapshots), so unique is the unpacked size minus
 *   SharedSize (the snapshot usage of layers another image uses too);
 * - containers-storage (Podman): none. Podman counts a layer as shared when any other image holds it,
 *   buildah's per-step cache images of the same build included, so nearly every byte shows as shared.
 * A figure that cannot be right (negative, or larger than the image) is left out rather than reported.
 */
export function usageOf(df: DfImage[], images: Map<string, number>, store: EngineFacts['imageStore']): Map<string, Usage> {
  const usage = new Map<string, Usage>();
  if (store === 'containers-storage') return usage;
  for (const img of df) {
    const id = normalId(img.Id);
    const size = images.get(id);
    // SharedSize is -1 when the engine did not compute it.
    if (size === undefined || img.SharedSize < 0) continue;
    const sharedBytes = img.SharedSize;
    const uniqueBytes = store === 'containerd' ? size - sharedBytes : img.Size - sharedBytes;
    if (uniqueBytes < 0 || uniqueBytes > size || sharedBytes > size) continue;
    usage.set(id, { uniqueBytes, sharedBytes });
  }
  return usage;
}
