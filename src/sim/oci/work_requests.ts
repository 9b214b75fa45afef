/**
 * Work requests: ACCEPTED → IN_PROGRESS → SUCCEEDED (or FAILED) once the LB's delay has passed.
 * States are worked out lazily from the clock whenever anything looks at the LB, so no timers run.
 * The new backend set becomes visible when its work request succeeds; until then GETs show the old
 * one, and a FAILED work request leaves the set as it was.
 */
import type { Store } from "./store.ts";
import type {
  LbKind,
  SimLoadBalancer,
  WireObject,
  WorkRequestOutcome,
  WorkRequestState,
} from "./types.ts";

/** One work request and the backend set it will store when it succeeds. */
export interface WorkRequest {
  id: string;
  lbId: string;
  kind: LbKind;
  compartmentId: string;
  backendSetName: string;
  acceptedAt: number;
  inProgressAt: number;
  /** When it ends by itself; Infinity for a hung one. */
  endsAt: number;
  outcome: WorkRequestOutcome;
  next: WireObject;
  /** Set once it has ended. */
  finishedAt?: number;
  finalState?: "SUCCEEDED" | "FAILED";
}

/** The work requests of every LB; at most one unfinished per LB. */
export interface WorkRequests {
  accept(
    lb: SimLoadBalancer,
    change: { next: WireObject; outcome: WorkRequestOutcome; now: number },
  ): WorkRequest;
  /** The LB's unfinished work request after settling it against `now`. */
  unfinished(lb: SimLoadBalancer, now: number): WorkRequest | undefined;
  get(id: string, now: number): WorkRequest | undefined;
  /** Newest first. */
  list(filter: { lbId?: string; compartmentId?: string }, now: number): WorkRequest[];
  complete(id: string, end: { outcome: "SUCCEEDED" | "FAILED"; now: number }): void;
}

/** Where a work request stands at `now` (settle first). */
export function workRequestState(wr: WorkRequest, now: number): WorkRequestState {
  if (wr.finalState) return wr.finalState;
  return now < wr.inProgressAt ? "ACCEPTED" : "IN_PROGRESS";
}

/** Work requests over `store`, ending after the LB's delay or `defaultDelayMs`. */
export function createWorkRequests(store: Store, { defaultDelayMs = 100 } = {}): WorkRequests {
  const byId = new Map<string, WorkRequest>();
  const pending = new Map<string, WorkRequest>();

  function finish(wr: WorkRequest, state: "SUCCEEDED" | "FAILED", at: number) {
    wr.finalState = state;
    wr.finishedAt = at;
    pending.delete(wr.lbId);
    const lb = store.get(wr.lbId);
    if (state === "SUCCEEDED" && lb) store.commit(lb, wr.next);
  }

  function settle(lbId: string, now: number) {
    const wr = pending.get(lbId);
    if (wr && now >= wr.endsAt) {
      finish(wr, wr.outcome === "FAILED" ? "FAILED" : "SUCCEEDED", wr.endsAt);
    }
  }

  return {
    accept(lb, { next, outcome, now }) {
      const delay = Math.max(0, lb.workRequestDelayMs ?? defaultDelayMs);
      const region = lb.id.split(".")[3] ?? "iad";
      const prefix = lb.kind === "lb" ? "loadbalancerworkrequest" : "nlbworkrequest";
      const wr: WorkRequest = {
        id: `ocid1.${prefix}.oc1.${region}.${crypto.randomUUID().replaceAll("-", "")}`,
        lbId: lb.id,
        kind: lb.kind,
        compartmentId: lb.compartmentId,
        backendSetName: String(next.name),
        acceptedAt: now,
        inProgressAt: now + Math.min(delay / 2, 50),
        endsAt: outcome === "HANG" ? Infinity : now + delay,
        outcome,
        next,
      };
      byId.set(wr.id, wr);
      pending.set(lb.id, wr);
      settle(lb.id, now);
      return wr;
    },
    unfinished(lb, now) {
      settle(lb.id, now);
      return pending.get(lb.id);
    },
    get(id, now) {
      const wr = byId.get(id);
      if (wr) settle(wr.lbId, now);
      return wr;
    },
    list({ lbId, compartmentId }, now) {
      const found: WorkRequest[] = [];
      for (const wr of byId.values()) {
        if (lbId !== undefined && wr.lbId !== lbId) continue;
        if (compartmentId !== undefined && wr.compartmentId !== compartmentId) continue;
        settle(wr.lbId, now);
        found.push(wr);
      }
      return found.reverse();
    },
    complete(id, { outcome, now }) {
      const wr = byId.get(id);
      if (!wr) throw new Error(`Cannot complete work request "${id}": not found`);
      settle(wr.lbId, now);
      if (wr.finalState) {
        throw new Error(`Cannot complete work request "${id}": it ended ${wr.finalState} already`);
      }
      finish(wr, outcome, now);
    },
  };
}
