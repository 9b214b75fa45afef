/** Shared shapes of the OCI LB / NLB simulator: stored resources, faults, records and its control API. */

/** Which API an OCID belongs to: classic LB (`/20170115`) or NLB (`/20200501`). */
export type LbKind = "lb" | "nlb";

/** A JSON object as it travels on the wire. */
export type WireObject = Record<string, unknown>;

/** Operation names, spelt as the SDK's `operationName`. */
export type SimOperation =
  | "getLoadBalancer"
  | "getNetworkLoadBalancer"
  | "getBackendSet"
  | "updateBackendSet"
  | "getWorkRequest"
  | "listWorkRequests"
  | "listWorkRequestErrors";

/** A backend set as stored: the API's own JSON shape (name included) and its current etag. */
export interface StoredBackendSet {
  body: WireObject;
  etag: string;
}

/** One load balancer of either kind. */
export interface SimLoadBalancer {
  id: string;
  kind: LbKind;
  compartmentId: string;
  displayName: string;
  /** Overrides the simulator-wide work-request delay for this LB. */
  workRequestDelayMs: number | undefined;
  timeCreated: string;
  etag: string;
  backendSets: Map<string, StoredBackendSet>;
}

/** What `addLoadBalancer` takes; the kind comes from the OCID. */
export interface LoadBalancerSpec {
  id: string;
  compartmentId?: string;
  displayName?: string;
  workRequestDelayMs?: number;
}

/** Terminal or running state of a work request (both APIs use these words). */
export type WorkRequestState = "ACCEPTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

/** How a work request will end, chosen when it is accepted. */
export type WorkRequestOutcome = "SUCCEEDED" | "FAILED" | "HANG";

/** Narrows a fault to one operation and/or one load balancer (absent = any). */
export interface FaultTarget {
  op?: SimOperation;
  lbId?: string;
}

/** Answer the next `count` matching requests with an error status, or with a raw body. */
export interface InjectOptions extends FaultTarget {
  status: number;
  /** @default 1 */
  count?: number;
  /** OCI service code; defaults to OCI's code for the status. */
  code?: string;
  message?: string;
  /**
   * Raw text sent as the body (as `application/json`) instead of `{ code, message }`: malformed JSON,
   * missing fields or unknown values in an answer of any status, 200 included.
   */
  body?: string;
}

/** Close the connection of the next `count` matching requests without answering. */
export interface DropOptions extends FaultTarget {
  /** @default 1 */
  count?: number;
}

/** Delay matching requests before they are handled. */
export interface LatencyOptions extends FaultTarget {
  ms: number;
  /** @default every matching request until reset */
  count?: number;
}

/** Make the next `count` work requests (of one LB, or any) fail or never finish. */
export interface WorkRequestFaultOptions {
  lbId?: string;
  /** @default 1 */
  count?: number;
}

/** One request as the simulator saw it. */
export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  /** SDK operation name, or "unknown" for a path neither API has (control calls are not recorded). */
  operation: SimOperation | "unknown";
  lbId?: string;
  backendSetName?: string;
  /** HTTP status answered; 0 when the connection was dropped. */
  status: number;
  /** OCI service code of an error answer. */
  code?: string;
  /** Epoch milliseconds (fractional). */
  startedAt: number;
  finishedAt: number;
  opcRequestId: string;
  workRequestId?: string;
  /** Set when an injected fault decided the answer. */
  fault?: "status" | "drop";
}

/** Counters of one load balancer, or of all. */
export interface LbCounters {
  requests: number;
  /** PUTs accepted with 202 (each started a work request). */
  mutations: number;
  /** 409s answered because a work request on the LB was unfinished. */
  conflicts: number;
  /** PUTs that arrived while another PUT on the LB was being handled or its work request ran. */
  overlaps: number;
}

/** Totals and per-LB counters. */
export interface SimCounters {
  total: LbCounters;
  byLb: Record<string, LbCounters>;
}

/** The control surface of a running simulator (also served over HTTP under `/_sim`). */
export interface OciSimControl {
  registerKey(keyId: string, publicPem: string): void;
  addLoadBalancer(spec: LoadBalancerSpec): void;
  addBackendSet(lbId: string, name: string, attrs: WireObject): void;
  /** The stored backend set (a copy, in the API's shape), or undefined. */
  getBackendSet(lbId: string, name: string): StoredBackendSet | undefined;
  /** Replaces the backends by hand (drift): bumps the etag, starts no work request. */
  setBackends(lbId: string, name: string, backends: WireObject[]): void;
  inject(options: InjectOptions): void;
  dropNextConnections(options?: DropOptions): void;
  addLatency(options: LatencyOptions): void;
  failNextWorkRequests(options?: WorkRequestFaultOptions): void;
  hangNextWorkRequests(options?: WorkRequestFaultOptions): void;
  /** Ends an unfinished (e.g. hung) work request now. */
  completeWorkRequest(workRequestId: string, outcome?: "SUCCEEDED" | "FAILED"): void;
  requests(): RecordedRequest[];
  counters(): SimCounters;
  /** Forgets recorded requests, counters and pending faults; keeps keys, LBs and backend sets. */
  reset(): void;
}

/** A running simulator. */
export interface OciSim extends OciSimControl {
  /** Base URL, e.g. `http://127.0.0.1:40123`; the SDK appends `/20170115` or `/20200501`. */
  url: string;
  stop(): Promise<void>;
}
