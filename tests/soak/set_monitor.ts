/**
 * Watches every stored backend set of the OCI simulator, often enough to see each committed state: a
 * work request commits its set only when it succeeds, and the next one cannot commit sooner than one
 * work-request time later, so polling well inside the shortest work-request time misses none.
 * Flags, at the moment they happen: a non-empty set emptied, a foreign backend of a Shared set
 * removed or altered, and any attribute other than the backends changed (DESIGN §5: preserved).
 */

import type { OciSim, WireObject } from "../../src/sim/oci/oci_sim.ts";
import type { SetRef } from "./world.ts";

/** What the monitor counted. */
export interface MonitorStats {
  /** Committed states seen (etag changes), over all sets. */
  commits: number;
  /** Polls done. */
  polls: number;
  /** Longest gap between two polls (ms): must stay below the shortest work-request time. */
  maxGapMs: number;
}

/** A running monitor. */
export interface SetMonitor {
  readonly stats: MonitorStats;
  /** Checks every set once now (also done by the timer). */
  check(): void;
  stop(): void;
}

/** How the monitor is built. */
export interface MonitorOptions {
  oci: OciSim;
  sets: readonly SetRef[];
  /** Foreign backends per set key (Shared sets), as seeded. */
  foreign: ReadonlyMap<string, readonly WireObject[]>;
  intervalMs: number;
  violation: (message: string) => void;
}

/** Starts polling; `stop()` ends it. */
export function startSetMonitor(options: MonitorOptions): SetMonitor {
  const { oci, sets, foreign, intervalMs, violation } = options;
  const stats: MonitorStats = { commits: 0, polls: 0, maxGapMs: 0 };
  const last = new Map<string, { etag: string; size: number }>();
  const attributes = new Map<string, string>();
  let lastPoll = 0;

  function check() {
    const now = performance.now();
    if (lastPoll > 0) stats.maxGapMs = Math.max(stats.maxGapMs, now - lastPoll);
    lastPoll = now;
    stats.polls++;
    for (const set of sets) {
      const stored = oci.getBackendSet(set.lbId, set.name);
      if (!stored) {
        violation(`backend set ${set.key} disappeared`);
        continue;
      }
      const before = last.get(set.key);
      if (before?.etag === stored.etag) continue;
      const backends = Array.isArray(stored.body.backends)
        ? stored.body.backends as WireObject[]
        : [];
      if (before) stats.commits++;
      if (before && before.size > 0 && backends.length === 0) {
        violation(`backend set ${set.key} was emptied (it held ${before.size} backends)`);
      }
      for (const wanted of foreign.get(set.key) ?? []) {
        const found = backends.find((b) =>
          b.ipAddress === wanted.ipAddress && b.port === wanted.port
        );
        if (!found) {
          violation(`foreign backend ${wanted.ipAddress}:${wanted.port} removed from ${set.key}`);
        } else if (!sameFlags(found, wanted)) {
          violation(
            `foreign backend ${wanted.ipAddress}:${wanted.port} of ${set.key} altered: ${
              JSON.stringify(found)
            }`,
          );
        }
      }
      const attrs = canonical({ ...stored.body, backends: undefined });
      const seen = attributes.get(set.key);
      if (seen === undefined) attributes.set(set.key, attrs);
      else if (seen !== attrs) {
        violation(`attributes of ${set.key} changed: ${seen} → ${attrs}`);
        attributes.set(set.key, attrs);
      }
      last.set(set.key, { etag: stored.etag, size: backends.length });
    }
  }

  check();
  const timer = setInterval(check, intervalMs);
  return { stats, check, stop: () => clearInterval(timer) };
}

/** Weight and every flag the foreign backend was seeded with are unchanged. */
function sameFlags(found: WireObject, wanted: WireObject): boolean {
  return Object.entries(wanted).every(([key, value]) => found[key] === value);
}

/** JSON with sorted keys, null and undefined dropped: equal attributes give equal text. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined)
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
