/** Faults waiting to happen: error statuses, dropped connections, latency, failing or hung work requests. */
import type {
  DropOptions,
  FaultTarget,
  InjectOptions,
  LatencyOptions,
  SimOperation,
  WorkRequestFaultOptions,
  WorkRequestOutcome,
} from "./types.ts";

interface Rule<T> {
  target: FaultTarget;
  remaining: number;
  value: T;
}

/** The fault plan: control methods add rules, the pipeline takes them one request at a time. */
export interface Faults {
  inject(options: InjectOptions): void;
  dropNextConnections(options?: DropOptions): void;
  addLatency(options: LatencyOptions): void;
  failNextWorkRequests(options?: WorkRequestFaultOptions): void;
  hangNextWorkRequests(options?: WorkRequestFaultOptions): void;
  /** The injected error for this request, if one is due (consumes it). */
  takeStatus(op: SimOperation, lbId: string | undefined): InjectOptions | undefined;
  /**
   * Whether this request's connection is to be dropped (consumes a rule). A call once dropped stays
   * dropped: Deno's fetch silently re-sends a request whose reused keep-alive connection died, and
   * the SDK keeps its `opc-request-id` (`callId`) across its own retries, so both are the same call.
   */
  takeDrop(op: SimOperation, lbId: string | undefined, callId: string | null): boolean;
  /** Total delay due for this request, in ms (consumes counted rules). */
  takeLatency(op: SimOperation, lbId: string | undefined): number;
  /** How the next work request on this LB ends (consumes a fail/hang rule). */
  takeOutcome(lbId: string): WorkRequestOutcome;
  clear(): void;
}

/** An empty fault plan. */
export function createFaults(): Faults {
  let statuses: Rule<InjectOptions>[] = [];
  let drops: Rule<true>[] = [];
  let latencies: Rule<number>[] = [];
  let outcomes: Rule<WorkRequestOutcome>[] = [];
  let droppedCalls = new Set<string>();

  const matches = (target: FaultTarget, op: SimOperation | undefined, lbId?: string) =>
    (target.op === undefined || target.op === op) &&
    (target.lbId === undefined || target.lbId === lbId);

  function take<T>(rules: Rule<T>[], op: SimOperation | undefined, lbId?: string) {
    const index = rules.findIndex((rule) => matches(rule.target, op, lbId));
    if (index < 0) return undefined;
    const rule = rules[index]!;
    if (--rule.remaining <= 0) rules.splice(index, 1);
    return rule.value;
  }

  const countOf = (count: number | undefined, fallback: number) => {
    const value = count ?? fallback;
    if (!(value > 0)) throw new Error(`Cannot add fault: count ${value} must be positive`);
    return value;
  };

  return {
    inject(options) {
      const { op, lbId, count } = options;
      statuses.push({ target: { op, lbId }, remaining: countOf(count, 1), value: options });
    },
    dropNextConnections({ op, lbId, count } = {}) {
      drops.push({ target: { op, lbId }, remaining: countOf(count, 1), value: true });
    },
    addLatency({ op, lbId, ms, count }) {
      latencies.push({ target: { op, lbId }, remaining: countOf(count, Infinity), value: ms });
    },
    failNextWorkRequests({ lbId, count } = {}) {
      outcomes.push({ target: { lbId }, remaining: countOf(count, 1), value: "FAILED" });
    },
    hangNextWorkRequests({ lbId, count } = {}) {
      outcomes.push({ target: { lbId }, remaining: countOf(count, 1), value: "HANG" });
    },
    takeStatus: (op, lbId) => take(statuses, op, lbId),
    takeDrop(op, lbId, callId) {
      if (callId !== null && droppedCalls.has(callId)) return true;
      const drop = take(drops, op, lbId) ?? false;
      if (drop && callId !== null) droppedCalls.add(callId);
      return drop;
    },
    takeLatency(op, lbId) {
      let total = 0;
      for (const rule of [...latencies]) {
        if (!matches(rule.target, op, lbId)) continue;
        total += rule.value;
        if (--rule.remaining <= 0) latencies.splice(latencies.indexOf(rule), 1);
      }
      return total;
    },
    takeOutcome: (lbId) => take(outcomes, undefined, lbId) ?? "SUCCEEDED",
    clear() {
      statuses = [];
      drops = [];
      latencies = [];
      outcomes = [];
      droppedCalls = new Set();
    },
  };
}
