/**
 * Work requests the engine stopped waiting for while they may still run: their wait timed out, or
 * a poll failed for good. OCI runs one work request per load balancer at a time, so a write to that
 * LB meanwhile would overlap it (OCI answers 409). Before the next write to such an LB its work
 * request is polled once: still running, the write waits (a conflict, retried soon); ended or gone,
 * it is forgotten.
 */

import { OciError } from "../oci/errors.ts";
import type { LoadBalancers, OciCredentials } from "../oci/port.ts";

export interface UnconfirmedWrites {
  /** Notes a write that failed after OCI accepted it as `workRequestId`. */
  note(loadBalancerId: string, workRequestId: string, error: unknown): void;
  /** Resolves when no earlier work request of the LB may still run; throws a conflict otherwise. */
  settle(loadBalancerId: string, credentials: OciCredentials): Promise<void>;
}

/** Creates an empty record. */
export function createUnconfirmedWrites(
  oci: Pick<LoadBalancers, "getWorkRequest">,
): UnconfirmedWrites {
  const byLb = new Map<string, string>();
  return {
    note(loadBalancerId, workRequestId, error) {
      // FAILED or CANCELED (or unknown to OCI): it has ended, nothing can overlap it.
      if (error instanceof OciError && error.kind === "work-request-failed") return;
      byLb.set(loadBalancerId, workRequestId);
    },
    async settle(loadBalancerId, credentials) {
      const workRequestId = byLb.get(loadBalancerId);
      if (workRequestId === undefined) return;
      try {
        const { state } = await oci.getWorkRequest(loadBalancerId, workRequestId, credentials);
        if (state === "ACCEPTED" || state === "IN_PROGRESS") {
          throw new OciError(
            `Work request "${workRequestId}" on load balancer "${loadBalancerId}" still runs ` +
              `(${state}) after its wait ended; the next write waits for it`,
            { kind: "conflict" },
          );
        }
      } catch (error) {
        if (!(error instanceof OciError && error.kind === "work-request-failed")) throw error;
      }
      if (byLb.get(loadBalancerId) === workRequestId) byLb.delete(loadBalancerId);
    },
  };
}
