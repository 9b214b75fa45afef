/**
 * The status of one LBRegistrar from what happened to its backend sets (DESIGN §3, §8). Pure: the
 * engine gathers outcomes and patches the result.
 *
 * | worst outcome                                   | Ready | Reconciling | Stalled | phase        |
 * |-------------------------------------------------|-------|-------------|---------|--------------|
 * | object problem or a Stalled reason on a set     | False | False       | True    | ERROR        |
 * | WorkRequestPending, OciError, Throttled         | False | True        | False   | REGISTERING  |
 * | NoEligibleNodes, NoReadyEndpoints (fail static) | False | False       | False   | ERROR        |
 * | Paused, DryRun with a change pending            | False | False       | False   | PENDING      |
 * | no attempt yet                                  | False | True        | False   | PENDING      |
 * | every backend set in sync                       | True  | False       | False   | READY        |
 */

import { type ConditionReason, RECONCILING_REASONS, STALLED_REASONS } from "./conditions.ts";
import type { BackendSetStatus, Condition, LBRegistrarStatus, Phase } from "./types.ts";

/** What the last sync of one backend set means for one object. */
export interface BackendSetOutcome {
  loadBalancerId: string;
  name: string;
  port?: number;
  /** "namespace/name" of the Service the port came from. */
  service?: string;
  /** Undefined when the set is in sync for this object. */
  reason?: ConditionReason;
  message?: string;
  registered: readonly string[];
  draining: readonly string[];
  lastWorkRequestId?: string;
  /** ISO time of the last sync that reached OCI. */
  lastSyncTime?: string;
}

export interface StatusInput {
  generation: number | undefined;
  /** A problem with the object as a whole (InvalidSpec, CredentialsError). */
  objectProblem?: { reason: ConditionReason; message: string };
  /** One entry per backend set the object targets; empty before the first attempt. */
  backendSets: readonly BackendSetOutcome[];
  /** Conditions written last time, so unchanged ones keep their lastTransitionTime. */
  previous?: readonly Condition[];
}

/** Ordered from most to least urgent; the first class with an entry decides the conditions. */
const FAIL_STATIC: ReadonlySet<ConditionReason> = new Set(["NoEligibleNodes", "NoReadyEndpoints"]);
const HELD: ReadonlySet<ConditionReason> = new Set(["Paused", "DryRun"]);

/** The status to write; `now` is an ISO timestamp. */
export function statusFor(input: StatusInput, now: string): LBRegistrarStatus {
  const { generation, objectProblem, backendSets, previous = [] } = input;
  const problems = backendSets.filter((set) => set.reason !== undefined);
  const pick = (reasons: ReadonlySet<ConditionReason>) =>
    problems.filter((set) => reasons.has(set.reason!));

  let ready: [boolean, ConditionReason, string];
  let reconciling: [boolean, ConditionReason, string] | undefined;
  let stalled: [boolean, ConditionReason, string] | undefined;
  let phase: Phase;

  const stalledSets = pick(STALLED_REASONS);
  const busySets = pick(RECONCILING_REASONS);
  const staticSets = pick(FAIL_STATIC);
  const heldSets = pick(HELD);
  if (objectProblem || stalledSets.length > 0) {
    const reason = objectProblem?.reason ?? stalledSets[0]!.reason!;
    const message = objectProblem?.message ?? describe(stalledSets);
    ready = [false, reason, message];
    stalled = [true, reason, message];
    phase = "ERROR";
  } else if (busySets.length > 0) {
    const reason = busySets[0]!.reason!;
    ready = [false, reason, describe(busySets)];
    reconciling = [true, reason, describe(busySets)];
    phase = "REGISTERING";
  } else if (staticSets.length > 0) {
    ready = [false, staticSets[0]!.reason!, describe(staticSets)];
    phase = "ERROR";
  } else if (heldSets.length > 0) {
    ready = [false, heldSets[0]!.reason!, describe(heldSets)];
    phase = "PENDING";
  } else if (backendSets.length === 0) {
    ready = [false, "WorkRequestPending", "Waiting for the first sync"];
    reconciling = [true, "WorkRequestPending", "Waiting for the first sync"];
    phase = "PENDING";
  } else {
    const count = backendSets.reduce((sum, set) => sum + set.registered.length, 0);
    ready = [
      true,
      "BackendsRegistered",
      `${count} backends registered in ${backendSets.length} backend sets`,
    ];
    phase = "READY";
  }

  const condition = (
    type: Condition["type"],
    [status, reason, message]: [boolean, ConditionReason, string],
  ): Condition => {
    const value = status ? "True" : "False";
    const old = previous.find((c) => c.type === type);
    return {
      type,
      status: value,
      reason,
      message,
      lastTransitionTime: old && old.status === value ? old.lastTransitionTime : now,
      ...(generation === undefined ? {} : { observedGeneration: generation }),
    };
  };
  const conditions = [
    condition("Ready", ready),
    condition("Reconciling", reconciling ?? [false, ready[1], ready[0] ? "In sync" : ready[2]]),
    condition("Stalled", stalled ?? [false, ready[1], ready[0] ? "In sync" : ready[2]]),
  ];
  const lastSyncTime = backendSets.map((set) => set.lastSyncTime).filter(isString).sort().at(-1);
  return {
    phase,
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    ...(lastSyncTime === undefined ? {} : { lastSyncTime }),
    backendCount: backendSets.reduce((sum, set) => sum + set.registered.length, 0),
    conditions,
    backendSets: backendSets.map(toStatus),
  };
}

/** One message for several backend sets: `backend set "a": …; backend set "b": …`. */
function describe(sets: readonly BackendSetOutcome[]): string {
  return sets.map((set) =>
    sets.length === 1
      ? set.message ?? set.reason!
      : `backend set "${set.name}": ${set.message ?? set.reason}`
  ).join("; ");
}

function toStatus(set: BackendSetOutcome): BackendSetStatus {
  return {
    loadBalancerId: set.loadBalancerId,
    name: set.name,
    ...(set.port === undefined ? {} : { port: set.port }),
    ...(set.service === undefined ? {} : { service: set.service }),
    registered: [...set.registered],
    draining: [...set.draining],
    ...(set.lastWorkRequestId === undefined ? {} : { lastWorkRequestId: set.lastWorkRequestId }),
    ...(set.lastSyncTime === undefined ? {} : { lastSyncTime: set.lastSyncTime }),
    ...(set.message === undefined ? {} : { message: set.message }),
  };
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
