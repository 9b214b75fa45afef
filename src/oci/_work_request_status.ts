/** Work requests of both APIs as the port's `WorkRequestStatus`. Pure. */

import type * as lb from "oci-loadbalancer";
import type * as nlb from "oci-networkloadbalancer";
import { describeCall, type OciCallContext } from "./classify_error.ts";
import { OciError } from "./errors.ts";
import type { WorkRequestState, WorkRequestStatus } from "./port.ts";

/** The work request id OCI returned, or a transient error: the next sync re-reads and repairs it. */
export function workRequestIdOf(id: string | undefined, context: OciCallContext): string {
  if (typeof id === "string" && id !== "") return id;
  throw new OciError(
    `${describeCall(context)}: OCI accepted the update but returned no work request id`,
    { kind: "transient" },
  );
}

/** A classic work request (`lifecycleState`); its errorDetails explain a failure. */
export function lbWorkRequestStatus(
  workRequest: Partial<lb.models.WorkRequest>,
): WorkRequestStatus {
  const errors = (Array.isArray(workRequest.errorDetails) ? workRequest.errorDetails : [])
    .map((detail) => [detail?.errorCode, detail?.message].filter(Boolean).join(": "));
  return statusOf(workRequest.lifecycleState, errors, workRequest.message);
}

/**
 * An NLB work request (`status`). NLB work requests carry no message; `errors` are the messages
 * of ListWorkRequestErrors, fetched by the adapter for a failed one.
 */
export function nlbWorkRequestStatus(
  workRequest: Partial<nlb.models.WorkRequest>,
  errors: readonly string[] = [],
): WorkRequestStatus {
  return statusOf(workRequest.status, errors, undefined);
}

const KNOWN_STATES: ReadonlySet<string> = new Set<WorkRequestState>([
  "ACCEPTED",
  "IN_PROGRESS",
  "SUCCEEDED",
  "FAILED",
  "CANCELING",
  "CANCELED",
]);

function statusOf(
  rawState: unknown,
  errors: readonly string[],
  progress: unknown,
): WorkRequestStatus {
  // Only a string can be a state; anything else (an object from a garbled answer) is unknown, and
  // String() of it may even throw.
  const state = typeof rawState === "string" ? rawState : "";
  if (!KNOWN_STATES.has(state)) {
    // Keep waiting: the engine's work-request timeout ends it if OCI never says more.
    const shown = typeof rawState === "string" ? rawState : JSON.stringify(rawState) ?? "";
    return {
      state: "IN_PROGRESS",
      message: `OCI reported unknown work request state "${shown.slice(0, 64)}"`,
    };
  }
  const failed = state === "FAILED" || state === "CANCELED";
  const explained = errors.filter((line) => line !== "");
  const message = failed && explained.length > 0
    ? explained.join("; ")
    : typeof progress === "string" && progress !== ""
    ? progress
    : undefined;
  return message === undefined
    ? { state: state as WorkRequestState }
    : { state: state as WorkRequestState, message };
}
