/**
 * Target 1, write economy: 500 nodes, 3 backend sets. 100 nodes join within 1 s → one PUT per
 * affected backend set; then, in steady state, 0 PUTs and one GET per backend set per resync.
 */

import { observeResyncs } from "../resyncs.ts";
import type { Scenario } from "../scenario.ts";
import { median } from "../stats.ts";
import { sleep, waitUntil } from "../wait.ts";
import type { WorldShape } from "../world.ts";

const SHAPE: WorldShape = {
  nodes: 500,
  backendSets: 3,
  loadBalancers: 2,
  workRequestDelayMs: 200,
};
const BURST = 100;
const BURST_SPREAD_MS = 900;
const STEPS = 10;

const BURST_FIGURE = "PUTs for a burst of 100 joining nodes";
const STEADY_PUTS = "PUTs in steady state over 3 resyncs";
const STEADY_GETS = "GETs per backend set per resync";

/** See the module comment. */
export const writeEconomy: Scenario = {
  name: "write-economy",
  figures: [
    { target: 1, name: BURST_FIGURE, unit: "count", limit: 3, exact: true },
    { target: 1, name: STEADY_PUTS, unit: "count", limit: 0, exact: true },
    { target: 1, name: STEADY_GETS, unit: "per set", limit: 1, exact: true },
  ],
  async run(ctx) {
    const bursts = ctx.quick ? 1 : 3;
    // Bursts: resync far away, so only the burst causes writes.
    {
      await using session = await ctx.session(SHAPE, {
        debounce: "1s",
        workRequestPoll: "5s",
        resync: "5m",
      });
      await session.allReady(30_000);
      await session.ociQuiet(500, 20_000);
      const counts: number[] = [];
      for (let b = 0; b < bursts; b++) {
        const before = session.world.oci.counters().total.mutations;
        for (let step = 0; step < STEPS; step++) {
          session.world.addNodes(BURST / STEPS);
          if (step < STEPS - 1) await sleep(BURST_SPREAD_MS / (STEPS - 1));
        }
        const expected = SHAPE.nodes + BURST * (b + 1);
        await waitUntil(
          () => session.world.sets.every((s) => backendCount(session, s) === expected),
          `every backend set to hold ${expected} backends`,
          { timeoutMs: 20_000, everyMs: 50, context: () => session.operator.tail() },
        );
        await session.ociQuiet(1_500, 20_000);
        counts.push(session.world.oci.counters().total.mutations - before);
        ctx.log(`  burst ${b + 1}: ${counts.at(-1)} PUTs`);
      }
      ctx.put(
        BURST_FIGURE,
        median(counts),
        SHAPE.backendSets,
        `${BURST} nodes added over ${BURST_SPREAD_MS} ms (10 at a time), debounce 1s, 3 sets on ` +
          `2 LBs (classic + NLB), every node in every set; median of ${counts.length} bursts ` +
          `(${counts.join(", ")}); ideal = sets affected`,
        counts,
      );
    }
    // Steady state: a short resync, watched over three of them.
    if (ctx.quick) {
      ctx.skip(STEADY_PUTS);
      ctx.skip(STEADY_GETS);
      return;
    }
    {
      const resyncMs = 2_000;
      await using session = await ctx.session(SHAPE, {
        debounce: "1s",
        workRequestPoll: "5s",
        resync: `${resyncMs}ms`,
      });
      await session.allReady(30_000);
      await session.ociQuiet(Math.min(500, resyncMs / 3), 20_000).catch(() => {});
      const sets = session.world.sets.map((s) => `${s.loadBalancerId}/${s.name}`);
      const seen = await observeResyncs(session, { count: 3, resyncMs, sets });
      ctx.put(
        STEADY_PUTS,
        seen.puts,
        0,
        `--resync ${resyncMs}ms, OCI request log over 3 complete resyncs after the first sync`,
      );
      ctx.put(
        STEADY_GETS,
        seen.worstGetsPerSet,
        1,
        `backend-set GETs grouped into resync bursts; the (set, resync) count furthest from 1 ` +
          `(mean ${seen.meanGetsPerSet.toFixed(2)} over ${sets.length} sets × 3 resyncs)`,
      );
      ctx.detail("write-economy.steady", {
        bursts: seen.bursts.map((b) => ({
          startedAt: b.startedAt,
          durationMs: Math.round(b.endedAt - b.startedAt),
          gets: Object.fromEntries(b.gets),
        })),
      });
    }
  },
};

function backendCount(
  session: { world: { oci: { getBackendSet(lb: string, name: string): unknown } } },
  set: { loadBalancerId: string; name: string },
): number {
  const stored = session.world.oci.getBackendSet(set.loadBalancerId, set.name) as
    | { body: { backends?: unknown[] } }
    | undefined;
  return stored?.body.backends?.length ?? 0;
}
