import type { Readable } from 'node:stream';
import type { ParsedBuild } from './parse-build-stream.js';
import type { Builder, EngineFacts, Network } from '../results/schema.js';

// Defined once, by the results schema; the seam's users get them here too.
export type { Builder, EngineFacts };

export interface BuildRequest {
  contextDir: string;
  /** Relative to the context, or absolute; one outside the context is sent as the docker CLI sends `-f`. */
  dockerfile: string;
  /** Context-relative paths never sent: stagebench's own output when it lies in the context (build-context.ts ownOutputIn). */
  leaveOut?: string[];
  builder: Builder;
  tag: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  target?: string;
  network?: Network;
  /** Build without the layer cache (nocache=1); local base images are still used, never pulled. */
  noCache?: boolean;
  signal?: AbortSignal;
  onStep?: (step: string) => void;
}

export interface BuildOutcome extends ParsedBuild {
  /** Wall time from before the context is packed to the final image-id message. */
  buildMs?: number;
}

export interface ImageFacts {
  id: string;
  /** Unpacked bytes of all layers, base included: Size on a graph-driver store and Podman, history's sum on containerd. */
  sizeBytes: number;
  /** Containerd store only: its Size, the bytes of the image's content as stored (manifest, config, layer blobs). */
  storedContentBytes?: number;
  layerCount: number;
  /** RootFS.Layers: each layer's DiffID (sha256 of its uncompressed tar), oldest first. */
  diffIds: string[];
  historyCount: number;
  /** GET /images/{id}/history, oldest first. */
  history: { createdBy: string; sizeBytes: number }[];
  /** RepoTags: the references that hold the image now (none for a dangling image). */
  tags?: string[];
}

export interface SmokeRequest {
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  /** Replaces the image's CMD. */
  cmd?: string[];
  /** host: the container shares the host's loopback, so the probe never leaves 127.0.0.1. */
  network: 'host' | 'none';
}

export interface SmokeContainer {
  /** Resolves with the exit status when the container stops. */
  exited: Promise<number>;
  logTail(): Promise<string[]>;
  remove(): Promise<void>;
}

/** A container or image carrying a label, with all its labels (and an image's tags). */
export interface Labelled {
  kind: 'container' | 'image';
  id: string;
  labels: Record<string, string>;
  /** An image's references (`repository:tag`); none for a dangling image. */
  tags?: string[];
}

/** What a run made, for clean-up: containers and images by id, and the per-run tags it gave its images. */
export interface RunMade {
  containers: string[];
  images: string[];
  tags: string[];
}

/** The Docker boundary: everything stagebench asks of the engine, and nothing else. */
export interface Engine {
  /**
   * Describes the engine; throws EngineUnreachableError when it cannot be reached or does not answer in
   * time, InterruptedError when the signal aborts the wait. Every request has a time limit (--engine-timeout).
   */
  facts(signal?: AbortSignal): Promise<EngineFacts>;
  hasImage(ref: string): Promise<boolean>;
  /** Pulls an image; rejects with the registry's message. */
  pull(ref: string, signal?: AbortSignal): Promise<void>;
  /** Gives an image one more reference, repository:tag. */
  tag(image: string, repository: string, tag: string): Promise<void>;
  /**
   * Pushes repository:tag to a plain-HTTP loopback registry (no credentials; Podman is told tlsVerify=false);
   * rejects with the engine's or the registry's reason.
   */
  pushToLoopback(repository: string, tag: string, signal?: AbortSignal): Promise<void>;
  /** Pulls repository:tag from a plain-HTTP loopback registry, with no credential lookup (it is timed). */
  pullFromLoopback(repository: string, tag: string, signal?: AbortSignal): Promise<void>;
  /**
   * Removes one reference (never forced): the tag goes, and the image with it when no other tag holds it. A
   * reference that is not there is no error.
   */
  removeReference(ref: string): Promise<void>;
  build(req: BuildRequest): Promise<BuildOutcome>;
  inspect(imageId: string): Promise<ImageFacts>;
  startContainer(req: SmokeRequest): Promise<SmokeContainer>;
  /** The image as `docker save` writes it (GET /images/{id}/get), as a stream; read by engine/image-export.ts. */
  exportImage(imageId: string): Promise<Readable>;
  /** Unique and shared bytes per image id, from GET /system/df now, as defined for the image store (disk-usage.ts). */
  diskUsage(images: { id: string; sizeBytes: number }[]): Promise<Map<string, { uniqueBytes: number; sharedBytes: number }>>;
  /** Which of the paths exist in the image, read from a created container that is never started. */
  pathsPresent(image: string, paths: string[], labels: Record<string, string>): Promise<Set<string>>;
  /**
   * Removes what a run made, without touching what others hold: the containers (by id, and every one
   * carrying `label`), then each tag in `made.tags` except those in `keep` (an image goes with its tag only
   * when no other tag holds it), then each image in `made.images` that no tag holds, was not on the engine
   * before (`before`: its image ids when the run started), and no container or child image uses. Returns
   * what could not be removed; throws EngineUnreachableError when the engine is gone.
   */
  cleanup(made: RunMade, before: ReadonlySet<string>, label?: [string, string], keep?: string[]): Promise<string[]>;
  /** The id of every image on the engine now, intermediate ones too (`sha256:` stripped). */
  imageIds(): Promise<string[]>;
  /** Containers and images carrying a label (`key` or `key=value`). */
  listLabelled(label: string): Promise<Labelled[]>;
}

