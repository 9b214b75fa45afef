/**
 * Bookkeeping of drain-before-removal timers. The engine keeps `drainedAt` (ip:port → ms) per
 * backend set; the plan says which entries to start, which to drop, and when to wake up next.
 * A backend found already drained with no recorded time (e.g. after a restart) starts at `now`,
 * so a restart can only lengthen a drain, never cut it short.
 */

import type { DiffEntry } from "./diff.ts";

/** What the engine should do with its `drainedAt` records of one backend set. */
export interface DrainTimers {
  /** Drained by this write: record the time its work request succeeds. */
  startOnWrite: string[];
  /** Already drained in OCI with no record: record `now`. */
  startNow: string[];
  /** Records that no longer apply (backend undrained, kept, removed or gone): delete them. */
  forget: string[];
}

/** Timers implied by the final entries, and the earliest time a pending backend becomes removable. */
export function drainTimers(
  entries: readonly DiffEntry[],
  drainedAt: ReadonlyMap<string, number>,
  now: number,
): { drainTimers: DrainTimers; nextWakeAt?: number } {
  const timers: DrainTimers = { startOnWrite: [], startNow: [], forget: [] };
  const pending = new Set<string>();
  let nextWakeAt: number | undefined;
  for (const entry of entries) {
    const { key, actual, removal } = entry;
    if (!entry.pending || !actual || removal?.when !== "afterDrain") continue;
    pending.add(key);
    if (!actual.drain) {
      timers.startOnWrite.push(key);
      continue;
    }
    const since = drainedAt.get(key);
    if (since === undefined) timers.startNow.push(key);
    const wake = (since ?? now) + removal.drainSeconds * 1000;
    if (nextWakeAt === undefined || wake < nextWakeAt) nextWakeAt = wake;
  }
  for (const key of drainedAt.keys()) if (!pending.has(key)) timers.forget.push(key);
  return nextWakeAt === undefined ? { drainTimers: timers } : { drainTimers: timers, nextWakeAt };
}
