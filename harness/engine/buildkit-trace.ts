import protobuf from 'protobufjs';

/**
 * The part of moby.buildkit.v1.StatusResponse (buildkit api/services/control/control.proto) that stagebench
 * reads, wire-compatible with it. google.protobuf.Timestamp has the same two fields as Timestamp here.
 */
const STATUS_PROTO = `
syntax = "proto3";
package moby.buildkit.v1;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Vertex { string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
  Timestamp started = 5; Timestamp completed = 6; string error = 7; }
message VertexStatus { string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5;
  Timestamp timestamp = 6; Timestamp started = 7; Timestamp completed = 8; }
message VertexLog { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
message StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3; }
`;

const StatusResponse = protobuf.parse(STATUS_PROTO).root.lookupType('moby.buildkit.v1.StatusResponse');

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  /** Milliseconds since the epoch, daemon clock. */
  startedMs?: number;
  completedMs?: number;
  error?: string;
}

export interface TraceLog {
  vertex: string;
  /** 1 stdout, 2 stderr. */
  stream: number;
  text: string;
}

export interface TraceUpdate {
  vertexes: TraceVertex[];
  logs: TraceLog[];
}

interface RawTimestamp {
  seconds?: number;
  nanos?: number;
}

const toMs = (t: RawTimestamp | undefined): number | undefined =>
  t ? (t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : undefined;

/** Decodes one `moby.buildkit.trace` aux value (base64 of one StatusResponse). */
export function decodeTrace(auxBase64: string): TraceUpdate {
  const message = StatusResponse.decode(Buffer.from(auxBase64, 'base64'));
  const raw = StatusResponse.toObject(message, { longs: Number, defaults: false }) as {
    vertexes?: { digest?: string; name?: string; cached?: boolean; started?: RawTimestamp; completed?: RawTimestamp; error?: string }[];
    logs?: { vertex?: string; stream?: number; msg?: Uint8Array }[];
  };
  return {
    vertexes: (raw.vertexes ?? []).map((v) => ({
      digest: v.digest ?? '',
      name: v.name ?? '',
      cached: v.cached ?? false,
      startedMs: toMs(v.started),
      completedMs: toMs(v.completed),
      error: v.error || undefined,
    })),
    logs: (raw.logs ?? []).map((l) => ({
      vertex: l.vertex ?? '',
      stream: l.stream ?? 1,
      text: Buffer.from(l.msg ?? new Uint8Array()).toString('utf8'),
    })),
  };
}
