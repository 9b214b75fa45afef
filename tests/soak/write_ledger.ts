/**
 * Every write the OCI simulator saw, read from its request log: PUTs, the work requests they
 * started and how those end, and every PUT that arrived while another write on the same load
 * balancer was still in flight (an overlap, what the simulator's `overlaps` counter counts).
 *
 * An overlap is excused only when the writer could not have known of the running work request:
 * - `timeout`: the work request never finished and the operator had waited --work-request-timeout;
 * - `killed`: the process that started it was SIGKILLed in between (a SIGTERM is not an excuse:
 *   a stopping leader waits for its work requests before it hands the Lease over).
 * Every other overlap is a violation; `after-failed-poll` (a poll of the running work request failed
 * and the operator wrote again) is reported as its own kind so the cause is plain.
 */

import type { RecordedRequest } from "../../src/sim/oci/oci_sim.ts";

/** One work request as the ledger knows it. */
export interface LedgerWorkRequest {
  id: string;
  lbId: string;
  /** When its PUT arrived and was answered (epoch ms). */
  putStartedAt: number;
  acceptedAt: number;
  /** Set for work requests the soak made fail or hang. */
  outcome: "SUCCEEDED" | "FAILED" | "HANG";
  /** When it ended; Infinity while a hung one runs. */
  endsAt: number;
  /** How the soak will end a hung one. */
  lateEnd?: "SUCCEEDED" | "FAILED";
}

/** Kinds of overlap. */
export type OverlapKind = "timeout" | "killed" | "after-failed-poll" | "unexcused";

/** One overlapping PUT. */
export interface Overlap {
  kind: OverlapKind;
  lbId: string;
  at: number;
  detail: string;
}

/** Totals kept across simulator resets. */
export interface LedgerTotals {
  puts: number;
  accepted: number;
  /** 409 answered because a work request ran (not injected). */
  busyConflicts: number;
  injected409: number;
  preconditionFailed: number;
  gets: number;
  workRequestPolls: number;
  faultedRequests: number;
  overlaps: Overlap[];
}

/** How the ledger is built. */
export interface LedgerOptions {
  /** Work-request time per LB (ms). */
  delayOf: (lbId: string) => number;
  workRequestTimeoutMs: number;
}

/** The ledger; feed it the simulator's log with `absorb`. */
export function createWriteLedger(options: LedgerOptions) {
  const { delayOf, workRequestTimeoutMs } = options;
  const totals: LedgerTotals = {
    puts: 0,
    accepted: 0,
    busyConflicts: 0,
    injected409: 0,
    preconditionFailed: 0,
    gets: 0,
    workRequestPolls: 0,
    faultedRequests: 0,
    overlaps: [],
  };
  const workRequests = new Map<string, LedgerWorkRequest>();
  /** PUT handling windows per LB, for PUTs arriving while another is handled. */
  const putWindows = new Map<string, { start: number; end: number; seq: number }[]>();
  /** Outcome faults asked for and not yet taken, per LB, with the time they were added. */
  const outcomeQueue = new Map<
    string,
    { outcome: "FAILED" | "HANG"; addedAt: number; lateEnd?: "SUCCEEDED" | "FAILED" }[]
  >();
  /** Failed polls per work request id (times). */
  const failedPolls = new Map<string, number[]>();
  const kills: number[] = [];
  let nextSeq = 1;

  const overlap = (kind: OverlapKind, put: RecordedRequest, detail: string) =>
    totals.overlaps.push({ kind, lbId: put.lbId ?? "", at: put.startedAt, detail });

  function classify(put: RecordedRequest) {
    const lbId = put.lbId ?? "";
    const windows = putWindows.get(lbId) ?? [];
    const concurrent = windows.find((w) =>
      w.seq !== put.seq && w.start <= put.startedAt &&
      put.startedAt <= w.end
    );
    if (concurrent) {
      const excused = kills.some((t) => concurrent.start <= t && t <= put.startedAt);
      overlap(
        excused ? "killed" : "unexcused",
        put,
        `PUT ${put.path} arrived while PUT #${concurrent.seq} on the same LB was being handled`,
      );
      return;
    }
    for (const wr of workRequests.values()) {
      if (wr.lbId !== lbId || wr.acceptedAt > put.startedAt || put.startedAt >= wr.endsAt) continue;
      const kind: OverlapKind = wr.outcome === "HANG" &&
          put.startedAt >= wr.acceptedAt + workRequestTimeoutMs - 50
        ? "timeout"
        : kills.some((t) => wr.acceptedAt <= t && t <= put.startedAt)
        ? "killed"
        : (failedPolls.get(wr.id) ?? []).some((t) => t <= put.startedAt)
        ? "after-failed-poll"
        : "unexcused";
      overlap(
        kind,
        put,
        `PUT ${put.path} arrived ${
          Math.round(put.startedAt - wr.acceptedAt)
        } ms after work request ` +
          `${wr.id} (${wr.outcome}) was accepted, before it ended`,
      );
      return;
    }
  }

  function absorbOne(entry: RecordedRequest) {
    if (entry.fault) totals.faultedRequests++;
    if (entry.operation === "getBackendSet") totals.gets++;
    if (entry.operation === "getWorkRequest") {
      totals.workRequestPolls++;
      const id = entry.path.split("/").pop()?.split("?")[0] ?? "";
      if (entry.fault || entry.status === 0 || entry.status >= 500) {
        failedPolls.set(id, [...(failedPolls.get(id) ?? []), entry.finishedAt]);
      }
    }
    if (entry.operation !== "updateBackendSet" || !entry.lbId) return;
    totals.puts++;
    classify(entry);
    const windows = putWindows.get(entry.lbId) ?? [];
    windows.push({ start: entry.startedAt, end: entry.finishedAt, seq: entry.seq });
    // Only recent windows can still overlap anything.
    putWindows.set(entry.lbId, windows.filter((w) => w.end > entry.startedAt - 60_000));
    if (entry.status === 409) {
      if (entry.fault === "status") totals.injected409++;
      else totals.busyConflicts++;
    }
    if (entry.status === 412) totals.preconditionFailed++;
    if (entry.status !== 202 || !entry.workRequestId) return;
    totals.accepted++;
    const queue = outcomeQueue.get(entry.lbId) ?? [];
    // A fault added after this PUT was answered cannot have decided its outcome.
    const index = queue.findIndex((q) => q.addedAt < entry.finishedAt);
    const taken = index >= 0 ? queue.splice(index, 1)[0] : undefined;
    const outcome = taken?.outcome ?? "SUCCEEDED";
    workRequests.set(entry.workRequestId, {
      id: entry.workRequestId,
      lbId: entry.lbId,
      putStartedAt: entry.startedAt,
      acceptedAt: entry.finishedAt,
      outcome,
      // The simulator ends it one delay after acceptance, which came at or after the PUT arrived.
      endsAt: outcome === "HANG" ? Infinity : entry.startedAt + delayOf(entry.lbId),
      ...(taken?.lateEnd ? { lateEnd: taken.lateEnd } : {}),
    });
  }

  return {
    totals,
    /** Reads the new entries of the simulator's log; `all` also takes unanswered ones (before a reset). */
    absorb(log: readonly RecordedRequest[], all = false) {
      for (const entry of log) {
        if (entry.seq < nextSeq) continue;
        if (entry.finishedAt === 0 && !all) break;
        if (entry.finishedAt !== 0) absorbOne(entry);
        nextSeq = entry.seq + 1;
      }
    },
    /** The simulator log was reset: sequence numbers restart and queued outcome faults are gone. */
    resetLog() {
      nextSeq = 1;
      outcomeQueue.clear();
    },
    /** The soak asked the simulator to fail or hang the next work request of `lbId`. */
    expectOutcome(
      lbId: string,
      outcome: "FAILED" | "HANG",
      addedAt: number,
      lateEnd?: "SUCCEEDED" | "FAILED",
    ) {
      const entry = { outcome, addedAt, ...(lateEnd ? { lateEnd } : {}) };
      outcomeQueue.set(lbId, [...(outcomeQueue.get(lbId) ?? []), entry]);
    },
    /** A writing process was SIGKILLed at `at`. */
    killed(at: number) {
      kills.push(at);
    },
    /** Hung work requests still running. */
    hung(): LedgerWorkRequest[] {
      return [...workRequests.values()].filter((wr) => wr.endsAt === Infinity);
    },
    /** A hung work request was ended by the soak at `at`. */
    ended(id: string, at: number) {
      const wr = workRequests.get(id);
      if (wr) wr.endsAt = at;
    },
    /** Work requests accepted in the last `ms` and not ended: a write is in flight. */
    inFlight(now: number): LedgerWorkRequest[] {
      return [...workRequests.values()].filter((wr) => wr.acceptedAt <= now && now < wr.endsAt);
    },
    /** Forgets work requests that ended long ago (memory of long runs). */
    prune(now: number) {
      for (const [id, wr] of workRequests) if (wr.endsAt < now - 120_000) workRequests.delete(id);
      for (const [id, times] of failedPolls) {
        if (!workRequests.has(id) && times.every((t) => t < now - 120_000)) failedPolls.delete(id);
      }
    },
  };
}

/** The ledger's type. */
export type WriteLedger = ReturnType<typeof createWriteLedger>;
