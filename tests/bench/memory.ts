/**
 * Resident memory of the operator over time. Right after a busy phase V8 keeps the heap it grew;
 * once the process has been quiet for a while (V8's memory reducer starts about 30 s in and after
 * idle periods) it gives most of it back. Steady state is what is left after that.
 */

import type { Session } from "./session.ts";
import { median, mib } from "./stats.ts";
import { sleep } from "./wait.ts";

/** What `settledRss` saw. */
export interface RssObservation {
  /** RSS when the wait began (right after the busy phase), MiB. */
  busyMiB: number;
  /** Median of the last 5 samples, MiB. */
  steadyMiB: number;
  /** VmHWM, MiB. */
  peakMiB: number;
  /** How long it waited for the heap to shrink. */
  waitedMs: number;
  /** Whether RSS fell by at least 10% while waiting. */
  shrank: boolean;
  steadySamples: number[];
}

/**
 * Waits (at most `maxWaitMs`) for RSS to fall by 10% and then hold (within 1%) for 5 s, sampling
 * every 500 ms; steady RSS is the median of the last five samples whether or not it fell.
 */
export async function settledRss(session: Session, maxWaitMs: number): Promise<RssObservation> {
  const { operator } = session;
  const began = performance.now();
  const busy = operator.memory().rss;
  const samples: number[] = [busy];
  let shrankAt: number | undefined;
  let changedAt = performance.now();
  while (performance.now() - began < maxWaitMs) {
    await sleep(500);
    const rss = operator.memory().rss;
    const previous = samples.at(-1)!;
    samples.push(rss);
    if (Math.abs(rss - previous) > previous * 0.01) changedAt = performance.now();
    if (shrankAt === undefined && rss <= busy * 0.9) shrankAt = performance.now();
    if (shrankAt !== undefined && performance.now() - changedAt >= 5_000) break;
  }
  const last = samples.slice(-5);
  return {
    busyMiB: mib(busy),
    steadyMiB: mib(median(last)),
    peakMiB: mib(operator.memory().peakRss),
    waitedMs: Math.round(performance.now() - began),
    shrank: shrankAt !== undefined,
    steadySamples: last.map(mib),
  };
}

/** The note for a steady-RSS figure. */
export function rssNote(seen: RssObservation, what: string): string {
  return `VmRSS of the operator process ${what}: median of the last 5 samples after waiting ` +
    `${Math.round(seen.waitedMs / 1000)} s for V8 to return the heap it grew (${
      seen.shrank ? "it did" : "it had not yet"
    }; ${seen.busyMiB} MiB right after the busy phase); ideal = RSS with the operator's code ` +
    `loaded and no data`;
}
