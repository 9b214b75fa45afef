/**
 * Work requests that may still run on a load balancer although this engine is not waiting for
 * them: its wait timed out or a poll failed for good, or an earlier process (before a restart or a
 * leader handover) started them, as the `lastWorkRequestId`s in status tell. OCI runs one work
 * request per load balancer at a time, so a write to that LB meanwhile would overlap it (OCI answers
 * 409). Before the next write to such an LB each is polled once: one still running makes the write
 * wait (a conflict, retried soon); ended or unknown to OCI, it is forgotten.
 */

import type { LBRegistrar } from "../api/types.ts";
import { OciError } from "../oci/errors.ts";
import type { LoadBalancers, OciCredentials } from "../oci/port.ts";

export interface UnconfirmedWrites {
  /** Notes the `lastWorkRequestId`s of an object's status, the first time the object is seen. */
  seed(lbr: LBRegistrar): void;
  /** Notes a work request that may still run (`error`: why the wait for it ended, if it did). */
  note(loadBalancerId: string, workRequestId: string, error?: unknown): void;
  /** Resolves when no noted work request of the LB may still run; throws a conflict otherwise. */
  settle(loadBalancerId: string, credentials: OciCredentials): Promise<void>;
}

/** Creates an empty record. */
export function createUnconfirmedWrites(
  oci: Pick<LoadBalancers, "getWorkRequest">,
): UnconfirmedWrites {
  const byLb = new Map<string, Set<string>>();
  const seeded = new Set<string>();
  const api: UnconfirmedWrites = {
    seed(lbr) {
      if (seeded.has(lbr.metadata.name)) return;
      seeded.add(lbr.metadata.name);
      // Status is anyone's to write: only well-formed entries count.
      for (const entry of lbr.status?.backendSets ?? []) {
        const { loadBalancerId, lastWorkRequestId } = entry ?? {};
        if (typeof loadBalancerId !== "string" || typeof lastWorkRequestId !== "string") continue;
        if (lastWorkRequestId === "" || lastWorkRequestId.length > 255) continue;
        api.note(loadBalancerId, lastWorkRequestId);
      }
    },
    note(loadBalancerId, workRequestId, error) {
      // FAILED or CANCELED (or unknown to OCI): it has ended, nothing can overlap it.
      if (error instanceof OciError && error.kind === "work-request-failed") return;
      let ids = byLb.get(loadBalancerId);
      if (!ids) byLb.set(loadBalancerId, ids = new Set());
      ids.add(workRequestId);
    },
    async settle(loadBalancerId, credentials) {
      const ids = byLb.get(loadBalancerId);
      for (const workRequestId of [...ids ?? []]) {
        try {
          const { state } = await oci.getWorkRequest(loadBalancerId, workRequestId, credentials);
          if (state === "ACCEPTED" || state === "IN_PROGRESS") {
            throw new OciError(
              `Work request "${workRequestId}" on load balancer "${loadBalancerId}" still runs ` +
                `(${state}) though nothing waits for it; the next write waits for it`,
              { kind: "conflict" },
            );
          }
        } catch (error) {
          if (!(error instanceof OciError && error.kind === "work-request-failed")) throw error;
        }
        ids!.delete(workRequestId);
      }
      if (ids?.size === 0) byLb.delete(loadBalancerId);
    },
  };
  return api;
}
