import type { LayerFiles } from './layer-files.js';
import { type Ecosystem, ECOSYSTEMS } from './package-files.js';

/** What stacking an image's layers says about its files. Pure: layer listings in, numbers out. */
export interface StackedImage {
  /** Bytes of file versions no longer visible in the image: overwritten or deleted by a later layer. */
  wastedBytes: number;
  /** Per layer in image order: the bytes it holds that later layers overwrite or delete. */
  layerWastedBytes: number[];
  /** dive's score: per path, the smallest size it ever had over the bytes stored for it in all layers. */
  efficiency: number;
  /** Hidden file versions, largest first (at most `top`). */
  wastedPaths: { path: string; bytes: number; layer: number }[];
  /** Packages the final image ships, per ecosystem: name@version, unique, sorted. */
  packages: Record<Ecosystem, string[]>;
}

interface Node {
  kind: LayerFiles['entries'][number]['kind'];
  size: number;
  layer: number;
  children?: Map<string, Node>;
}

const newDir = (layer: number): Node => ({ kind: 'dir', size: 0, layer, children: new Map() });

/**
 * Stacks the layers as an overlay does (whiteouts and opaque directories first, then the layer's entries)
 * and counts every file version that ends up hidden. Efficiency follows dive (filetree/efficiency.go): per
 * path, every version stored and every deletion (size 0) is an occurrence, and the score is the sum of
 * each path's smallest occurrence over the sum of all occurrences. Unlike dive, a deleted or opaque directory
 * counts as a deletion of each file under it (dive ignores opaque markers and does not score directory
 * deletions), so `rm -rf dir` in a later layer lowers the score as `rm file` does.
 */
export function stackLayers(layers: LayerFiles[], top = 20): StackedImage {
  const root = newDir(-1);
  const layerWastedBytes = layers.map(() => 0);
  const hidden: { path: string; bytes: number; layer: number }[] = [];
  const occurrences = new Map<string, { min: number; sum: number }>();
  const occur = (path: string, size: number) => {
    const o = occurrences.get(path);
    if (o) {
      o.min = Math.min(o.min, size);
      o.sum += size;
    } else occurrences.set(path, { min: size, sum: size });
  };
  /** A node and everything under it leave the image: each file version in it is waste. */
  const hide = (node: Node, path: string, deleted: boolean) => {
    if (node.children) {
      for (const [name, child] of node.children) hide(child, `${path}/${name}`, true);
      return;
    }
    if (deleted) occur(path, 0);
    if (node.layer >= 0 && node.size > 0) {
      layerWastedBytes[node.layer]! += node.size;
      hidden.push({ path: `/${path}`, bytes: node.size, layer: node.layer });
    }
  };
  /** The directory at `path`, made (as a directory of `layer`) where missing or where a non-directory was. */
  const dirAt = (path: string, layer: number): Node => {
    let node = root;
    let at = '';
    for (const name of path ? path.split('/') : []) {
      at = at ? `${at}/${name}` : name;
      let child = node.children!.get(name);
      if (!child?.children) {
        if (child) hide(child, at, true);
        child = newDir(layer);
        node.children!.set(name, child);
      }
      node = child;
    }
    return node;
  };
  const find = (path: string): { parent: Node; name: string; node?: Node } | undefined => {
    const names = path.split('/');
    const name = names.pop()!;
    let parent = root;
    for (const n of names) {
      const next = parent.children!.get(n);
      if (!next?.children) return undefined;
      parent = next;
    }
    return { parent, name, node: parent.children!.get(name) };
  };

  layers.forEach((files, layer) => {
    for (const dir of files.opaque) {
      const found = dir === '' ? { parent: root, name: '', node: root } : find(dir);
      if (!found?.node?.children) continue;
      for (const [name, child] of found.node.children) hide(child, dir ? `${dir}/${name}` : name, true);
      found.node.children.clear();
    }
    for (const path of files.whiteouts) {
      const found = find(path);
      if (!found?.node) continue;
      hide(found.node, path, true);
      found.parent.children!.delete(found.name);
    }
    for (const entry of files.entries) {
      const slash = entry.path.lastIndexOf('/');
      const parent = dirAt(slash < 0 ? '' : entry.path.slice(0, slash), layer);
      const name = entry.path.slice(slash + 1);
      const old = parent.children!.get(name);
      if (entry.kind === 'dir') {
        if (old?.children) continue; // a directory over a directory keeps what is under it
        if (old) hide(old, entry.path, true);
        parent.children!.set(name, newDir(layer));
        continue;
      }
      // A file over a directory deletes what was under it; a file over a file replaces that version.
      if (old) hide(old, entry.path, old.children !== undefined);
      parent.children!.set(name, { kind: entry.kind, size: entry.size, layer });
      occur(entry.path, entry.size);
    }
  });

  let min = 0;
  let sum = 0;
  for (const o of occurrences.values()) {
    min += o.min;
    sum += o.sum;
  }
  const packages = Object.fromEntries(ECOSYSTEMS.map((e) => [e, new Set<string>()])) as Record<Ecosystem, Set<string>>;
  layers.forEach((files, layer) => {
    for (const found of files.packages) {
      // Only records still visible in the final image, and only the version this layer wrote.
      const at = find(found.path);
      if (at?.node && !at.node.children && at.node.layer === layer) for (const item of found.items) packages[found.ecosystem].add(item);
    }
  });
  return {
    wastedBytes: layerWastedBytes.reduce((a, b) => a + b, 0),
    layerWastedBytes,
    efficiency: sum === 0 ? 1 : min / sum,
    wastedPaths: hidden.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)).slice(0, top),
    packages: Object.fromEntries(ECOSYSTEMS.map((e) => [e, [...packages[e]].sort()])) as Record<Ecosystem, string[]>,
  };
}
