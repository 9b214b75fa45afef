/**
 * What `Engine.planOnce` found: per backend set the plan the running engine would act on (the same
 * `planBackendSet` call, reached by the same sync path, stopped before any write), or why there is
 * none; and per LBRegistrar what stops it as a whole. `src/cli/plan/` turns it into text or JSON.
 */

import type { ConditionReason } from "../api/conditions.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";
import { parseSetKey } from "./bindings_index.ts";
import { retryVerdict } from "./retry_policy.ts";
import type { SyncResult } from "./sync_backend_set.ts";

/** One backend set as `plan` reports it. */
export interface PlannedSet {
  loadBalancerId: string;
  backendSetName: string;
  /** LBRegistrars with a Binding on the set or a Deregister cleanup in it, sorted. */
  lbRegistrars: string[];
  /** Those whose Deregister cleanup runs on this set. */
  deregistering: string[];
  /** `run` would hold this set: one of its LBRegistrars is paused. */
  paused: boolean;
  /** Absent when the set could not be read or no credentials could be used. */
  plan?: BackendSetPlan;
  /** Why the set could not be planned. */
  error?: { reason: ConditionReason; message: string };
}

/** One LBRegistrar as `plan` reports it. */
export interface PlannedObject {
  name: string;
  /** A problem of the object as a whole (InvalidSpec, CredentialsError). */
  problem?: { reason: ConditionReason; message: string };
  paused: boolean;
  /** Deleted, waiting for the operator's Deregister cleanup. */
  deleting: boolean;
}

/** The result of `Engine.planOnce`. */
export interface PlanReport {
  /** Sorted by load balancer, then backend set name. */
  sets: PlannedSet[];
  /** Every LBRegistrar the engine follows, sorted by name. */
  objects: PlannedObject[];
  /** The node that owns an IP address, for explanations. */
  nodeWithIp(ip: string): string | undefined;
}

/** What `planOnce` found for one set: its plan, or why there is none. */
export function plannedSet(
  key: string,
  participants: { names: readonly string[]; deregistering: ReadonlySet<string>; paused: boolean },
  outcome: SyncResult | { kind: "no-credentials"; message: string },
): PlannedSet {
  const { loadBalancerId, backendSetName } = parseSetKey(key);
  const base: PlannedSet = {
    loadBalancerId,
    backendSetName,
    lbRegistrars: [...new Set(participants.names)].sort(),
    deregistering: [...participants.deregistering].sort(),
    paused: participants.paused,
  };
  switch (outcome.kind) {
    case "no-credentials":
      return { ...base, error: { reason: "CredentialsError", message: outcome.message } };
    case "failed": {
      const { reason, message } = retryVerdict(outcome.error, 1, () => 0);
      return {
        ...base,
        ...(outcome.plan ? { plan: outcome.plan } : {}),
        error: { reason, message },
      };
    }
    default:
      return { ...base, plan: outcome.plan };
  }
}
