/**
 * The request log and the counters the operator is judged by: conflicts (409 because a work request
 * was unfinished) and overlaps (a PUT arriving while another PUT on the same LB was being handled or
 * its work request ran; the operator must keep this at 0, DESIGN §5 "one mutation in flight per LB").
 */
import type { LbCounters, RecordedRequest, SimCounters } from "./types.ts";

/** Request log plus per-LB counters. */
export interface Recorder {
  /** Starts a log entry; the caller fills it in and passes it to `finish`. */
  begin(entry: Omit<RecordedRequest, "seq" | "status" | "finishedAt">): RecordedRequest;
  finish(entry: RecordedRequest, status: number): void;
  /** Notes a PUT's arrival; `busy` says whether a work request on the LB is unfinished. */
  putArrived(lbId: string, busy: boolean): void;
  putDone(lbId: string): void;
  countMutation(lbId: string): void;
  countConflict(lbId: string): void;
  requests(): RecordedRequest[];
  counters(): SimCounters;
  reset(): void;
}

/** Milliseconds since the epoch with sub-millisecond precision. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** An empty recorder. */
export function createRecorder(): Recorder {
  let log: RecordedRequest[] = [];
  let seq = 0;
  let byLb = new Map<string, LbCounters>();
  // PUTs being handled right now, per LB: not reset, they are live state.
  const putsInFlight = new Map<string, number>();

  const countersOf = (lbId: string): LbCounters => {
    let counters = byLb.get(lbId);
    if (!counters) {
      counters = { requests: 0, mutations: 0, conflicts: 0, overlaps: 0 };
      byLb.set(lbId, counters);
    }
    return counters;
  };

  return {
    begin(fields) {
      const entry: RecordedRequest = { ...fields, seq: ++seq, status: 0, finishedAt: 0 };
      log.push(entry);
      if (entry.lbId) countersOf(entry.lbId).requests++;
      return entry;
    },
    finish(entry, status) {
      entry.status = status;
      entry.finishedAt = preciseNow();
    },
    putArrived(lbId, busy) {
      const inFlight = putsInFlight.get(lbId) ?? 0;
      if (busy || inFlight > 0) countersOf(lbId).overlaps++;
      putsInFlight.set(lbId, inFlight + 1);
    },
    putDone(lbId) {
      const left = (putsInFlight.get(lbId) ?? 1) - 1;
      if (left > 0) putsInFlight.set(lbId, left);
      else putsInFlight.delete(lbId);
    },
    countMutation: (lbId) => void countersOf(lbId).mutations++,
    countConflict: (lbId) => void countersOf(lbId).conflicts++,
    requests: () => log.map((entry) => ({ ...entry })),
    counters() {
      const total: LbCounters = { requests: 0, mutations: 0, conflicts: 0, overlaps: 0 };
      const result: Record<string, LbCounters> = {};
      for (const [lbId, counters] of byLb) {
        result[lbId] = { ...counters };
        total.requests += counters.requests;
        total.mutations += counters.mutations;
        total.conflicts += counters.conflicts;
        total.overlaps += counters.overlaps;
      }
      return { total, byLb: result };
    },
    reset() {
      log = [];
      seq = 0;
      byLb = new Map();
    },
  };
}
