/** Finding resyncs in the OCI request log: bursts of backend-set GETs separated by quiet gaps. */

import type { RecordedRequest } from "../../src/sim/oci/types.ts";
import type { Session } from "./session.ts";
import { waitUntil } from "./wait.ts";

/** One resync as the OCI simulator saw it. */
export interface ResyncBurst {
  startedAt: number;
  endedAt: number;
  /** Backend-set GETs per "lbId/setName". */
  gets: Map<string, number>;
}

/** Groups backend-set GETs into bursts; a gap longer than `gapMs` starts a new one. */
export function resyncBursts(requests: readonly RecordedRequest[], gapMs: number): ResyncBurst[] {
  const bursts: ResyncBurst[] = [];
  for (const r of requests) {
    if (r.operation !== "getBackendSet") continue;
    let burst = bursts.at(-1);
    if (!burst || r.startedAt - burst.endedAt > gapMs) {
      burst = { startedAt: r.startedAt, endedAt: r.startedAt, gets: new Map() };
      bursts.push(burst);
    }
    burst.endedAt = r.startedAt;
    const key = `${r.lbId}/${r.backendSetName}`;
    burst.gets.set(key, (burst.gets.get(key) ?? 0) + 1);
  }
  return bursts;
}

/** What `observeResyncs` saw over `count` complete resyncs. */
export interface ResyncObservation {
  bursts: ResyncBurst[];
  /** PUTs from the first burst's start to the start of the burst after the last counted one. */
  puts: number;
  /** Operator CPU (ms) at the start of each counted burst and of the one after. */
  cpuAtStarts: number[];
  /** The (set, resync) GET count furthest from 1 (1 when every set was read exactly once). */
  worstGetsPerSet: number;
  /** Mean GETs per set per resync. */
  meanGetsPerSet: number;
}

/**
 * Resets the OCI log, then waits until `count` resyncs have completed (the next one has begun),
 * sampling the operator's CPU time every 20 ms so each resync's CPU cost can be read off.
 */
export async function observeResyncs(
  session: Session,
  { count, resyncMs, sets }: { count: number; resyncMs: number; sets: readonly string[] },
): Promise<ResyncObservation> {
  const { world, operator } = session;
  world.oci.reset();
  const cpu: { at: number; ms: number }[] = [];
  const gap = resyncMs / 2;
  let requests: RecordedRequest[] = [];
  // A burst only counts when it began after we started watching; a resync in progress is skipped.
  const watchingFrom = performance.timeOrigin + performance.now();
  await waitUntil(
    () => {
      cpu.push({ at: performance.timeOrigin + performance.now(), ms: operator.cpuMs() });
      requests = world.oci.requests();
      const bursts = resyncBursts(requests, gap).filter((b) => b.startedAt > watchingFrom + 1);
      return bursts.length > count && performance.timeOrigin + performance.now() -
              bursts[count]!.startedAt > 50;
    },
    `${count} resyncs`,
    {
      timeoutMs: (count + 3) * resyncMs + 10_000,
      everyMs: 20,
      context: () => operator.tail(),
    },
  );
  const all = resyncBursts(requests, gap);
  const firstIndex = all.findIndex((b) => b.startedAt > watchingFrom + 1);
  const bursts = all.slice(firstIndex, firstIndex + count);
  const next = all[firstIndex + count]!;
  const puts =
    requests.filter((r) =>
      r.operation === "updateBackendSet" && r.startedAt >= bursts[0]!.startedAt &&
      r.startedAt < next.startedAt
    ).length;
  const cpuBefore = (at: number) => {
    let best = cpu[0]!.ms;
    for (const sample of cpu) if (sample.at <= at) best = sample.ms;
    return best;
  };
  const cpuAtStarts = [...bursts, next].map((b) => cpuBefore(b.startedAt));
  let worst = 1;
  let total = 0;
  for (const burst of bursts) {
    for (const set of sets) {
      const n = burst.gets.get(set) ?? 0;
      total += n;
      if (Math.abs(n - 1) > Math.abs(worst - 1)) worst = n;
    }
    for (const key of burst.gets.keys()) {
      if (!sets.includes(key)) worst = Math.max(worst, 2);
    }
  }
  return {
    bursts,
    puts,
    cpuAtStarts,
    worstGetsPerSet: worst,
    meanGetsPerSet: total / (sets.length * bursts.length),
  };
}
