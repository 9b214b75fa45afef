/**
 * What the engine and the OCI decorator record, as plain method calls: the engine never imports
 * prom-client, and its tests pass `NO_METRICS` or a small fake.
 */

/** Outcome of one reconcile of one backend set: the engine's `SyncResult` kind. */
export type ReconcileResult = "in-sync" | "written" | "held" | "failed";

/** The OCI port's operations, as metric label values. */
export type OciOperation = "get_backend_set" | "replace_backends" | "get_work_request";

/** How an OCI call ended: `ok`, or the `OciError` kind with `_` for `-` (both not-found kinds are `not_found`). */
export type OciOutcome =
  | "ok"
  | "conflict"
  | "precondition"
  | "throttled"
  | "transient"
  | "not_found"
  | "auth"
  | "credentials"
  | "invalid"
  | "work_request_failed"
  | "timeout"
  /** Not an `OciError` at all: an abort, or a bug. */
  | "error";

/**
 * How waiting for a work request ended: `succeeded`, `failed` (FAILED or CANCELED), `timeout`
 * (`--work-request-timeout`), or `error` (polling itself failed or was aborted).
 */
export type WorkRequestOutcome = "succeeded" | "failed" | "timeout" | "error";

/** Backends of one backend set by state, as last read or written. */
export interface BackendCounts {
  active: number;
  draining: number;
}

/** The recording side of the operator's metrics; durations in seconds. */
export interface MetricsRecorder {
  /** Counts one reconcile of a backend set (`lbregistrar_reconciles_total`). */
  reconcile(result: ReconcileResult): void;
  /** Time the pure planner took for one backend set. */
  observePlan(seconds: number): void;
  /** Time one sync of a backend set took end to end (GET, plan, PUT, work-request wait). */
  observeSync(seconds: number, result: ReconcileResult): void;
  /** One OCI API call: counted by outcome, timed by operation. */
  ociRequest(operation: OciOperation, outcome: OciOutcome, seconds: number): void;
  /** One work request, from the accepted PUT to its end. */
  workRequest(outcome: WorkRequestOutcome, seconds: number): void;
  /** Backends now in one backend set, by state. */
  setBackends(loadBalancerId: string, backendSet: string, counts: BackendCounts): void;
  /** A resync found the backend set changed outside the operator and wrote it back. */
  driftRepaired(loadBalancerId: string, backendSet: string): void;
  /** Drops every series of a backend set no LBRegistrar targets any more. */
  forgetBackendSet(loadBalancerId: string, backendSet: string): void;
  /** When a full sync last ended with every backend set in sync (seconds since the epoch). */
  lastSuccessfulSync(epochSeconds: number): void;
  /** A watch of `resource` ("nodes", "services", ...) ended and was restarted. */
  watchRestart(resource: string): void;
  /** Backend sets waiting in lanes for their turn. */
  laneQueueDepth(depth: number): void;
  /** Whether this process holds the leader Lease (always true without --leader-elect). */
  setLeader(leading: boolean): void;
}

/** A recorder that records nothing. */
export const NO_METRICS: MetricsRecorder = Object.freeze({
  reconcile() {},
  observePlan() {},
  observeSync() {},
  ociRequest() {},
  workRequest() {},
  setBackends() {},
  driftRepaired() {},
  forgetBackendSet() {},
  lastSuccessfulSync() {},
  watchRestart() {},
  laneQueueDepth() {},
  setLeader() {},
});
