/**
 * One sync of one backend set (DESIGN §5): read it with its ETag, plan, and when the plan differs
 * write the full list with `if-match` and wait for the work request. It knows nothing of queues or
 * status; the caller serialises calls per load balancer and reports the result.
 */

import type { Binding } from "../api/binding.ts";
import { OciError } from "../oci/errors.ts";
import type { LoadBalancers, OciCredentials } from "../oci/port.ts";
import type { MetricsRecorder, WorkRequestOutcome } from "../serve/metrics_recorder.ts";
import type { ClusterIndex } from "../plan/cluster.ts";
import { type BackendSetPlan, planBackendSet } from "../plan/plan_backend_set.ts";
import type { Clock } from "./clock.ts";
import { waitForWorkRequest } from "./wait_for_work_request.ts";

/** Everything one sync needs. `drainedAt` is the set's own timer record and is updated in place. */
export interface SyncInput {
  loadBalancerId: string;
  backendSetName: string;
  bindings: readonly Binding[];
  owned: ReadonlyMap<string, ReadonlySet<string>>;
  deregistering?: ReadonlySet<string>;
  drainedAt: Map<string, number>;
  credentials: OciCredentials;
  /** Plan but do not write: the object is paused, or the engine runs with --dry-run. */
  hold?: "Paused" | "DryRun";
}

export interface SyncDeps {
  oci: LoadBalancers;
  clock: Clock;
  /** The cluster as the planner sees it, indexed once per change. */
  cluster: () => ClusterIndex;
  maxPollMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once the PUT is accepted, before the wait (status can say WorkRequestPending). */
  onWriting?: (plan: BackendSetPlan, workRequestId: string) => void;
  /** Asked just before the PUT: false (stopping, lease lost) ends the sync without writing. */
  mayWrite?: () => boolean;
  /** Awaited just before the PUT; throwing ends the sync without writing (an earlier write runs). */
  beforeWrite?: () => Promise<void>;
  /** Wraps the work-request wait, e.g. to free the lane's parallel slot meanwhile. */
  idle?: <T>(promise: Promise<T>) => Promise<T>;
  /** Plan time and work-request outcomes. @default none */
  metrics?: Pick<MetricsRecorder, "observePlan" | "workRequest">;
}

export type SyncResult =
  | { kind: "in-sync"; plan: BackendSetPlan }
  | { kind: "held"; plan: BackendSetPlan; hold: "Paused" | "DryRun" }
  | { kind: "written"; plan: BackendSetPlan; workRequestId: string; nextWakeAt?: number }
  | { kind: "failed"; error: unknown; plan?: BackendSetPlan; workRequestId?: string };

/** Reads, plans and (when needed) writes one backend set; never throws. */
export async function syncBackendSet(input: SyncInput, deps: SyncDeps): Promise<SyncResult> {
  const { loadBalancerId, backendSetName, credentials, drainedAt } = input;
  const { oci, clock } = deps;
  let plan: BackendSetPlan | undefined;
  let workRequestId: string | undefined;
  try {
    const snapshot = await oci.getBackendSet({ loadBalancerId, backendSetName }, credentials);
    if (snapshot.skippedBackends?.length) {
      // Writing would drop backends we could not read; refuse rather than clobber them.
      throw unreadableBackends(backendSetName, snapshot.skippedBackends);
    }
    plan = planAgainst(input, deps, snapshot.backends);
    applyTimers(drainedAt, plan, clock.now(), false);
    if (plan.inSync) return { kind: "in-sync", plan };
    if (input.hold) return { kind: "held", plan, hold: input.hold };
    if (deps.mayWrite && !deps.mayWrite()) throw new Error("Stopping: the write was not started");
    await deps.beforeWrite?.();

    ({ workRequestId } = await oci.replaceBackends(snapshot, plan.next, credentials));
    deps.onWriting?.(plan, workRequestId);
    const accepted = clock.now();
    const waiting = waitForWorkRequest(oci, { loadBalancerId, workRequestId, credentials }, {
      clock,
      maxPollMs: deps.maxPollMs,
      timeoutMs: deps.timeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    try {
      await (deps.idle ? deps.idle(waiting) : waiting);
      deps.metrics?.workRequest("succeeded", (clock.now() - accepted) / 1000);
    } catch (error) {
      deps.metrics?.workRequest(workRequestOutcome(error), (clock.now() - accepted) / 1000);
      throw error;
    }
    applyTimers(drainedAt, plan, clock.now(), true);
    // Planning against what was just written tells when the next drain expires.
    const after = planAgainst(input, deps, plan.next);
    return {
      kind: "written",
      plan,
      workRequestId,
      ...(after.nextWakeAt === undefined ? {} : { nextWakeAt: after.nextWakeAt }),
    };
  } catch (error) {
    return {
      kind: "failed",
      error,
      ...(plan ? { plan } : {}),
      ...(workRequestId ? { workRequestId } : {}),
    };
  }
}

function planAgainst(
  input: SyncInput,
  deps: SyncDeps,
  actual: BackendSetPlan["next"],
): BackendSetPlan {
  const cluster = deps.cluster();
  // Planning is pure CPU: timed on the monotonic clock, not the injected one.
  const started = performance.now();
  const plan = planBackendSet(cluster, {
    loadBalancerId: input.loadBalancerId,
    backendSetName: input.backendSetName,
    bindings: input.bindings,
    actual,
    owned: input.owned,
    ...(input.deregistering ? { deregistering: input.deregistering } : {}),
    drainedAt: input.drainedAt,
    now: deps.clock.now(),
  });
  deps.metrics?.observePlan((performance.now() - started) / 1000);
  return plan;
}

function workRequestOutcome(error: unknown): WorkRequestOutcome {
  if (!(error instanceof OciError)) return "error";
  return error.kind === "work-request-failed"
    ? "failed"
    : error.kind === "timeout"
    ? "timeout"
    : "error";
}

/** Applies the plan's drain-timer instructions; `written` also starts the timers of this write. */
function applyTimers(
  drainedAt: Map<string, number>,
  plan: BackendSetPlan,
  now: number,
  written: boolean,
) {
  const { startNow, forget, startOnWrite } = plan.drainTimers;
  if (!written) {
    for (const key of forget) drainedAt.delete(key);
    for (const key of startNow) if (!drainedAt.has(key)) drainedAt.set(key, now);
    return;
  }
  for (const key of startOnWrite) drainedAt.set(key, now);
}

/** The backend set holds backends the adapter could not read (no IP or port): retried slowly. */
function unreadableBackends(backendSetName: string, skipped: readonly string[]): OciError {
  return new OciError(
    `Cannot update backend set "${backendSetName}": it holds ${skipped.length} backends the ` +
      `operator cannot read (${skipped.slice(0, 3).join("; ")}), and a write would remove them`,
    { kind: "invalid" },
  );
}
