/**
 * Leader-election decisions on a coordination.k8s.io/v1 Lease, pure, as client-go's leaderelection
 * makes them. A Lease counts as expired when its record has not changed for leaseDurationSeconds
 * on the reader's own clock since the reader first saw it: renewTime is never compared with the
 * local clock, so clock skew between nodes cannot hand the Lease to two holders.
 */

import { microTime } from "./micro_time.ts";

/** The Lease spec fields leader election reads and writes. */
export interface LeaseRecord {
  /** "" when nobody holds the Lease (released, or never set). */
  holderIdentity: string;
  /** 0 when absent. */
  leaseDurationSeconds: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions: number;
}

/** What a candidate does after one look at the Lease. */
export type LeaseAction = "acquire" | "renew" | "follow";

/** When the candidate looks, and since when it has seen the Lease unchanged (local ms). */
export interface LeaseTiming {
  now: number;
  observedAt: number;
  /** Used when the Lease names no duration of its own. */
  leaseDurationMs: number;
}

/** The record in a Lease's `spec`, reading missing or malformed fields as empty. */
export function leaseRecordOf(spec: unknown): LeaseRecord {
  const s = typeof spec === "object" && spec !== null ? spec as Record<string, unknown> : {};
  const count = (value: unknown) =>
    typeof value === "number" && Number.isInteger(value) && value > 0 ? value : 0;
  return {
    holderIdentity: typeof s.holderIdentity === "string" ? s.holderIdentity : "",
    leaseDurationSeconds: count(s.leaseDurationSeconds),
    ...(typeof s.acquireTime === "string" ? { acquireTime: s.acquireTime } : {}),
    ...(typeof s.renewTime === "string" ? { renewTime: s.renewTime } : {}),
    leaseTransitions: count(s.leaseTransitions),
  };
}

/** True when two records are the same write (any renewal changes renewTime). */
export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaseTransitions === b.leaseTransitions;
}

/** Local time at which a Lease seen unchanged since `observedAt` expires. */
export function expiresAt(lease: LeaseRecord, observedAt: number, leaseDurationMs: number): number {
  const durationMs = lease.leaseDurationSeconds > 0
    ? lease.leaseDurationSeconds * 1000
    : leaseDurationMs;
  return observedAt + durationMs;
}

/**
 * `renew` when `identity` holds the Lease, `acquire` when there is none, nobody holds it or it
 * expired, `follow` while another holder's Lease is valid.
 */
export function decide(
  lease: LeaseRecord | undefined,
  identity: string,
  timing: LeaseTiming,
): LeaseAction {
  if (lease === undefined || lease.holderIdentity === "") return "acquire";
  if (lease.holderIdentity === identity) return "renew";
  return timing.now >= expiresAt(lease, timing.observedAt, timing.leaseDurationMs)
    ? "acquire"
    : "follow";
}

/**
 * The record `identity` writes to renew or acquire: a renewal keeps acquireTime and the
 * transition count, an acquisition restarts acquireTime and counts one more transition (0 for a
 * new Lease).
 */
export function nextRecord(
  action: "acquire" | "renew",
  previous: LeaseRecord | undefined,
  identity: string,
  now: number,
  leaseDurationMs: number,
): LeaseRecord {
  const time = microTime(now);
  const renewing = action === "renew" && previous !== undefined;
  return {
    holderIdentity: identity,
    // The field is whole seconds; round up so the Lease never promises less than configured.
    leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1000)),
    acquireTime: renewing ? previous.acquireTime ?? time : time,
    renewTime: time,
    leaseTransitions: renewing
      ? previous.leaseTransitions
      : previous === undefined
      ? 0
      : previous.leaseTransitions + 1,
  };
}

/** The record a leader writes to hand the Lease back: no holder, so a follower acquires at once. */
export function releasedRecord(previous: LeaseRecord, now: number): LeaseRecord {
  const time = microTime(now);
  return {
    holderIdentity: "",
    leaseDurationSeconds: 1,
    acquireTime: time,
    renewTime: time,
    leaseTransitions: previous.leaseTransitions,
  };
}
