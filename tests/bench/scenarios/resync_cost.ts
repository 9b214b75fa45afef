/**
 * Target 4, resync cost: the large world with a short --resync; the operator's CPU time per full
 * resync (200 backend sets re-read and re-planned), and what each resync sent to OCI.
 */

import { observeResyncs } from "../resyncs.ts";
import type { Scenario } from "../scenario.ts";
import { median } from "../stats.ts";
import { LARGE } from "./large_cluster.ts";

const CPU = "CPU time of one full resync (200 sets)";
const GETS = "GETs per backend set per resync (200 sets)";
const PUTS = "PUTs over 2 resyncs (200 sets)";

/** See the module comment. */
export const resyncCost: Scenario = {
  name: "resync-cost",
  fullOnly: true,
  figures: [
    { target: 4, name: CPU, unit: "ms", limit: 1_000 },
    { target: 1, name: GETS, unit: "per set", limit: 1, exact: true },
    { target: 1, name: PUTS, unit: "count", limit: 0, exact: true },
  ],
  async run(ctx) {
    // A resync of this world takes seconds (100 sets of 5,000 backends): room between them.
    const resyncMs = 12_000;
    const count = 2;
    await using session = await ctx.session(LARGE, {
      debounce: "1s",
      workRequestPoll: "5s",
      resync: `${resyncMs}ms`,
    });
    await session.allReady(90_000);
    // The first resyncs may still meet work of the cold start; measure after they have passed.
    await session.ociQuiet(resyncMs / 4, 30_000).catch(() => {});
    const sets = session.world.sets.map((s) => `${s.loadBalancerId}/${s.name}`);
    const seen = await observeResyncs(session, { count, resyncMs, sets });
    const perResync = seen.cpuAtStarts.slice(1).map((cpu, i) => cpu - seen.cpuAtStarts[i]!);
    ctx.put(
      CPU,
      median(perResync),
      sets.length * ctx.rsaSignMs,
      `operator utime+stime from one resync's first GET to the next one's (idle time between ` +
        `included), median of ${count} (${perResync.join(", ")} ms), --resync ${resyncMs}ms; ` +
        `ideal = one RSA signature per GET`,
      perResync,
    );
    ctx.put(
      GETS,
      seen.worstGetsPerSet,
      1,
      `the (set, resync) count furthest from 1 over ${count} resyncs (mean ${
        seen.meanGetsPerSet.toFixed(2)
      })`,
    );
    ctx.put(PUTS, seen.puts, 0, `OCI request log over the same ${count} resyncs`);
    ctx.detail("resync-cost", {
      burstsMs: seen.bursts.map((b) => Math.round(b.endedAt - b.startedAt)),
      cpuPerResyncMs: perResync,
    });
  },
};
