/** A clock that moves only when a test says so. */

import type { Clock } from "../../src/engine/clock.ts";

export interface ManualClock extends Clock {
  /** Moves time forward, firing due sleepers in order and letting their continuations run. */
  advance(ms: number): Promise<void>;
  /** Sleepers not yet due. */
  pending(): number;
}

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Creates a manual clock starting at `start` ms. */
export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  let seq = 0;
  const sleepers = new Set<Sleeper>();
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper: Sleeper = { at: now + Math.max(0, ms), seq: seq++, resolve };
        sleepers.add(sleeper);
        signal?.addEventListener("abort", () => {
          sleepers.delete(sleeper);
          reject(signal.reason);
        }, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        const next = [...sleepers].filter((s) => s.at <= target)
          .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!next) break;
        sleepers.delete(next);
        now = next.at;
        next.resolve();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => sleepers.size,
  };
}

/** Lets pending promise chains (and zero-delay timers) run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
