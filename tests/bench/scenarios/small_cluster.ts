/**
 * 1,000 nodes. Target 7: process start to the first completed sync (3 backend sets, every node in
 * each, instant work requests). Target 5: steady and peak RSS with the large world's 100
 * LBRegistrars and 200 backend sets over 1,000 nodes.
 */

import type { Scenario } from "../scenario.ts";
import { rssNote, settledRss } from "../memory.ts";
import { median } from "../stats.ts";
import type { WorldShape } from "../world.ts";
import { LARGE } from "./large_cluster.ts";

const START = "Start to first completed sync (1,000 nodes)";
const RSS_1000 = "Steady-state RSS, 1,000 nodes";
const PEAK_1000 = "Peak RSS, 1,000 nodes";

const START_SHAPE: WorldShape = {
  nodes: 1_000,
  backendSets: 3,
  loadBalancers: 2,
  workRequestDelayMs: 0,
};

/** See the module comment. */
export const smallCluster: Scenario = {
  name: "small-cluster",
  figures: [
    { target: 7, name: START, unit: "ms", limit: 2_000 },
    { target: 5, name: RSS_1000, unit: "MiB", limit: 128 },
    { target: 5, name: PEAK_1000, unit: "MiB", limit: null },
  ],
  async run(ctx) {
    const flags = { debounce: "1s", workRequestPoll: "5s", resync: "5m" };
    const starts: number[] = [];
    const timelines: unknown[] = [];
    for (let run = 0; run < (ctx.quick ? 1 : 3); run++) {
      await using session = await ctx.session(START_SHAPE, flags);
      const readyAt = await session.allReady(30_000);
      starts.push(readyAt - session.spawnedAt);
      const oci = session.ociRequests();
      const rel = (t: number | undefined) =>
        t === undefined ? null : Math.round(t - session.spawnedAt);
      timelines.push({
        readyMs: Math.round(readyAt - session.spawnedAt),
        firstKubeRequestMs: rel(session.world.kube.requests[0]?.time),
        firstOciRequestMs: rel(oci[0]?.startedAt),
        lastPutMs: rel(oci.filter((r) => r.operation === "updateBackendSet").at(-1)?.startedAt),
      });
    }
    ctx.detail("small-cluster.start", timelines);
    ctx.put(
      START,
      median(starts),
      ctx.importFloor.ms + 3 * ctx.rsaSignMs,
      `operator spawn → both LBRegistrars Ready=True (3 sets on 2 LBs written, work requests ` +
        `instant), median of ${starts.length} (${starts.map(Math.round).join(", ")} ms); ideal = ` +
        `code loaded + 3 signed requests`,
      starts.map(Math.round),
    );

    if (ctx.quick) {
      ctx.skip(RSS_1000);
      ctx.skip(PEAK_1000);
      return;
    }
    await using session = await ctx.session({ ...LARGE, nodes: 1_000 }, flags);
    await session.allReady(90_000);
    await session.ociQuiet(500, 30_000);
    const seen = await settledRss(session, 45_000);
    ctx.put(
      RSS_1000,
      seen.steadyMiB,
      ctx.importFloor.rssMiB,
      rssNote(seen, "after the cold start (the large world's 200 sets over 1,000 nodes)"),
      seen.steadySamples,
    );
    ctx.put(PEAK_1000, seen.peakMiB, ctx.importFloor.rssMiB, "VmHWM of the same process");
    ctx.detail("small-cluster.memory", seen);
  },
};
