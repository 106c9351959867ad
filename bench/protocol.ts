// The request/answer protocol between the benchmark driver (bench/run.ts) and its two
// peers: ours (bench/ours-peer.ts, the Node host) and go-plugin's (bench/go-host). One
// JSON request per stdin line, one JSON answer per stdout line, so both sides are
// long-lived host processes that the driver can interleave request by request.

/** One measurement. Which fields matter depends on `op`. */
export type PeerRequest =
  | { op: 'cold'; plugin: string; autoMTLS: boolean }
  | { op: 'floor'; plugin: string; clientCertPem?: string }
  | { op: 'warm'; plugin: string; autoMTLS: boolean; calls: number; warmup: number }
  | { op: 'throughput'; plugin: string; autoMTLS: boolean; inFlight: number; durationMs: number }
  | { op: 'stop'; plugin: string; autoMTLS: boolean; env?: Record<string, string> }
  | { op: 'scale'; plugin: string; autoMTLS: boolean; count: number }
  | { op: 'explorerList'; plugin: string }
  | { op: 'explorerGreet'; plugin: string; calls: number; warmup: number }
  | { op: 'explorerTerraform'; plugin: string }
  | { op: 'memory' }
  | { op: 'quit' };

/** Milliseconds from the start request to each phase of a launch, then the stop time. */
export interface ColdAnswer {
  handshakeMs: number;
  connectedMs: number;
  firstGreetMs: number;
  stopMs: number;
  /** Ours only: event-loop time blocked inside child_process.spawn. */
  spawnBlockedMs?: number;
  /** Ours only: start request until just before spawn (checks, socket directory). */
  preSpawnMs?: number;
}

export interface FloorAnswer {
  handshakeMs: number;
}

export interface WarmAnswer {
  latenciesUs: number[];
  /** Host process CPU time (user + system, all threads) per call. */
  cpuPerCallUs: number;
}

export interface ThroughputAnswer {
  calls: number;
  elapsedMs: number;
  perSecond: number;
  cpuPerCallUs: number;
}

export interface StopAnswer {
  stopMs: number;
}

export interface ScaleAnswer {
  allAnsweredMs: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  perPluginBytes: number;
  stopAllMs: number;
}

/** A started, health-checked plugin → its services listed through reflection (explorer's loadCatalog). */
export interface ExplorerListAnswer {
  listMs: number;
  /** The services listed (go-plugin's internal ones hidden), to check the answer. */
  services: string[];
}

/** Dynamic (explorer) and static (greet()) Greets on one connection, alternating, microseconds each. */
export interface ExplorerGreetAnswer {
  dynamicUs: number[];
  staticUs: number[];
}

/** A terraform provider from nothing to its GetSchema answer, by phase (ms). */
export interface ExplorerTerraformAnswer {
  launchMs: number;
  catalogMs: number;
  getSchemaMs: number;
  totalMs: number;
  /** Size of the GetSchema answer as JSON text. */
  responseJsonBytes: number;
}

export interface MemoryAnswer {
  rssBytes: number;
}

/** Every answer carries ok, and error when ok is false. */
export type PeerAnswer<T> = ({ ok: true } & T) | { ok: false; error: string };

/** The call deadline both sides set on every Greet (our greeter client's default). */
export const CALL_TIMEOUT_MS = 10_000;
