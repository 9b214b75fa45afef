/**
 * The large world: 5,000 nodes, 100 LBRegistrars, 200 backend sets over 20 LBs (10 per LB), work
 * requests instant; 100 sets take every node, 100 take the 100 nodes running their Service's
 * endpoints (the shape of plan_bench.ts). One operator process gives, in order: cold start to all in sync (target 4), a
 * 10,000-heartbeat storm (target 6), Ready-flip reactions (target 2), then steady and peak RSS
 * (target 5) once it has been quiet. Extra cold starts (full run) make the cold-start figure a median.
 */

import type { RecordedRequest } from "../../../src/sim/oci/types.ts";
import type { BenchContext, Scenario } from "../scenario.ts";
import type { Session } from "../session.ts";
import { preciseNow } from "../session.ts";
import { rssNote, settledRss } from "../memory.ts";
import { median, percentile } from "../stats.ts";
import { sleep, waitUntil } from "../wait.ts";
import type { WorldShape } from "../world.ts";

/** The world of targets 2, 4, 5 and 6. */
export const LARGE: WorldShape = {
  nodes: 5_000,
  backendSets: 200,
  loadBalancers: 20,
  endpointsPerService: 100,
  workRequestDelayMs: 0,
};
const DEBOUNCE_MS = 1_000;
const HEARTBEATS = 10_000;

const COLD_START = "Cold start to all in sync (5,000 nodes, 200 sets)";
const RSS_5000 = "Steady-state RSS, 5,000 nodes";
const PEAK_5000 = "Peak RSS, 5,000 nodes";
const STORM_CALLS = "OCI calls during 10,000 heartbeats";
const STORM_CPU = "CPU for 10,000 heartbeats";
const REACTION_P50 = "Reaction p50 (Node Ready flip → PUT)";
const REACTION_P99 = "Reaction p99 (Node Ready flip → PUT)";

/** See the module comment. */
export const largeCluster: Scenario = {
  name: "large-cluster",
  figures: [
    { target: 4, name: COLD_START, unit: "ms", limit: 10_000 },
    { target: 5, name: RSS_5000, unit: "MiB", limit: 192 },
    { target: 5, name: PEAK_5000, unit: "MiB", limit: null },
    { target: 6, name: STORM_CALLS, unit: "count", limit: 0, exact: true },
    { target: 6, name: STORM_CPU, unit: "ms", limit: 1_000 },
    { target: 2, name: REACTION_P50, unit: "ms", limit: DEBOUNCE_MS + 50 },
    { target: 2, name: REACTION_P99, unit: "ms", limit: DEBOUNCE_MS + 250 },
  ],
  async run(ctx) {
    const coldStarts: number[] = [];
    const flags = { debounce: `${DEBOUNCE_MS}ms`, workRequestPoll: "5s", resync: "5m" };
    {
      await using session = await ctx.session(LARGE, flags);
      coldStarts.push(await coldStart(ctx, session, "large-cluster.cold-start"));
      await session.ociQuiet(500, 30_000);
      await session.cpuSettled(500, 30_000);
      await heartbeatStorm(ctx, session);
      await reactions(ctx, session);
      await memory(ctx, session);
    }
    for (let extra = 0; extra < (ctx.quick ? 0 : 2); extra++) {
      await using session = await ctx.session(LARGE, flags);
      coldStarts.push(await coldStart(ctx, session, `large-cluster.cold-start-${extra + 2}`));
    }
    const perLb = LARGE.backendSets / LARGE.loadBalancers;
    ctx.put(
      COLD_START,
      median(coldStarts),
      ctx.importFloor.ms + perLb * 3 * ctx.rsaSignMs,
      `operator spawn → every LBRegistrar Ready=True, instant work requests, median of ` +
        `${coldStarts.length} (${coldStarts.map(Math.round).join(", ")} ms); ideal = code ` +
        `loaded (${Math.round(ctx.importFloor.ms)} ms) + ${perLb} sets per LB × 3 signed ` +
        `requests (GET, PUT, one poll), all LBs in parallel`,
      coldStarts.map(Math.round),
    );
  },
};

/** Waits for all in sync; records a timeline; returns spawn → Ready in ms. */
async function coldStart(ctx: BenchContext, session: Session, key: string): Promise<number> {
  const readyAt = await session.allReady(90_000);
  const took = readyAt - session.spawnedAt;
  const requests = session.ociRequests();
  const kube = session.world.kube.requests;
  const rel = (t: number | undefined) => t === undefined ? null : Math.round(t - session.spawnedAt);
  const puts = requests.filter((r) => r.operation === "updateBackendSet");
  ctx.detail(key, {
    readyMs: Math.round(took),
    firstKubeRequestMs: rel(kube[0]?.time),
    firstOciRequestMs: rel(requests[0]?.startedAt),
    lastPutMs: rel(puts.at(-1)?.startedAt),
    ociRequests: requests.length,
    puts: puts.length,
    maxLbsWritingAtOnce: maxConcurrentLbs(requests),
    operatorCpuMs: session.operator.cpuMs(),
  });
  ctx.log(
    `  cold start ${Math.round(took)} ms (first kube request ${rel(kube[0]?.time)} ms, ` +
      `first OCI request ${rel(requests[0]?.startedAt)} ms, ${puts.length} PUTs)`,
  );
  return took;
}

/** Steady RSS once the process has been quiet, and the peak. */
async function memory(ctx: BenchContext, session: Session): Promise<void> {
  const seen = await settledRss(session, ctx.quick ? 8_000 : 45_000);
  ctx.put(
    RSS_5000,
    seen.steadyMiB,
    ctx.importFloor.rssMiB,
    rssNote(seen, "after the cold start, the storm and the reactions"),
    seen.steadySamples,
  );
  ctx.put(
    PEAK_5000,
    seen.peakMiB,
    ctx.importFloor.rssMiB,
    "VmHWM of the operator process (cold start included)",
  );
  ctx.detail("large-cluster.memory", seen);
}

/** 10,000 heartbeat-only Node updates: OCI calls and operator CPU until it is idle again. */
async function heartbeatStorm(ctx: BenchContext, session: Session): Promise<void> {
  const { world, operator } = session;
  const heartbeats = HEARTBEATS;
  const names = world.nodes;
  const ociBefore = world.oci.counters().total.requests;
  const stormFrom = Date.now();
  const cpuBefore = operator.cpuMs();
  const sentAt = performance.now();
  for (let i = 0; i < heartbeats; i++) {
    world.kube.heartbeat(names[i % names.length]!);
    // Let the watch streams flush now and then, as a real API server would.
    if (i % 250 === 249) await sleep(0);
  }
  const sendMs = performance.now() - sentAt;
  await session.cpuSettled(1_000, 60_000);
  const cpu = operator.cpuMs() - cpuBefore;
  const calls = world.oci.counters().total.requests - ociBefore;
  const kubeWrites = world.kube.requests.filter((r) => r.time >= stormFrom && r.method !== "GET")
    .length;
  ctx.put(
    STORM_CALLS,
    calls,
    0,
    `OCI requests from the first heartbeat until the operator's CPU was flat for 1 s; every ` +
      `plan starts with a GET, so 0 calls means 0 plans (the engine exports no plan counter)`,
  );
  ctx.put(
    STORM_CPU,
    cpu,
    null,
    `operator utime+stime over the same window (${heartbeats} status patches to ` +
      `${names.length} nodes, sent in ${Math.round(sendMs)} ms; the operator wrote ` +
      `${kubeWrites} Kubernetes requests meanwhile)`,
  );
}

/**
 * Flips the Ready condition of one node at a time (NotReady, then Ready again) and times each flip
 * to the first PUT on each load balancer it affects. A node sits in the 100 all-node sets and in the
 * endpoint sets of the Services it runs, 5 or more sets per LB; after the first, each set of an LB
 * waits for the previous one's work request (one mutation in flight per LB), so the first PUT per
 * LB is the reaction, and the time to the last PUT is reported alongside.
 */
async function reactions(ctx: BenchContext, session: Session): Promise<void> {
  const { world } = session;
  const flips = ctx.quick ? 1 : 6;
  const firstPuts: number[] = [];
  const lastPuts: number[] = [];
  for (let f = 0; f < flips; f++) {
    const node = world.nodes[(Math.floor(f / 2) * 997) % world.nodes.length]!;
    const expected = world.setsOf(node).length;
    world.oci.reset();
    const at = preciseNow();
    world.kube.setNodeReady(node, f % 2 === 1);
    await waitUntil(
      () => world.oci.counters().total.mutations >= expected,
      `${expected} PUTs after node ${node} flipped`,
      { timeoutMs: 60_000, everyMs: 10, context: () => session.operator.tail() },
    );
    await session.ociQuiet(300, 30_000);
    const puts = session.ociRequests().filter((r) => r.operation === "updateBackendSet");
    const firstByLb = new Map<string, number>();
    for (const put of puts) {
      if (!firstByLb.has(put.lbId!)) firstByLb.set(put.lbId!, put.startedAt - at);
    }
    firstPuts.push(...firstByLb.values());
    lastPuts.push(Math.max(...puts.map((p) => p.startedAt - at)));
    if (puts.length !== expected) {
      ctx.log(`  flip ${f}: ${puts.length} PUTs (expected ${expected})`);
    }
  }
  const note = (p: string) =>
    `${p} of ${firstPuts.length} samples (${flips} Ready flips, both directions; per flip the ` +
    `first PUT on each of the ${LARGE.loadBalancers} LBs it affects), debounce ${DEBOUNCE_MS} ms; ` +
    `every affected set written, p50 ${Math.round(percentile(lastPuts, 50))} ms after the flip; ` +
    `ideal = the debounce`;
  ctx.put(
    REACTION_P50,
    percentile(firstPuts, 50),
    DEBOUNCE_MS,
    note("p50"),
    firstPuts.map(Math.round),
  );
  ctx.put(REACTION_P99, percentile(firstPuts, 99), DEBOUNCE_MS, note("p99 (nearest rank)"));
  ctx.detail("large-cluster.reaction", {
    firstPutMs: firstPuts.map(Math.round),
    lastPutMs: lastPuts.map(Math.round),
  });
}

/** The most load balancers that had a PUT or work request in progress at the same moment. */
function maxConcurrentLbs(requests: readonly RecordedRequest[]): number {
  // An LB is "writing" from its PUT to the last poll of that work request.
  const spans: { lb: string; from: number; to: number }[] = [];
  for (const put of requests) {
    if (put.operation !== "updateBackendSet" || !put.workRequestId) continue;
    const polls = requests.filter((r) => r.path.includes(put.workRequestId!));
    spans.push({
      lb: put.lbId!,
      from: put.startedAt,
      to: Math.max(put.finishedAt, ...polls.map((p) => p.finishedAt)),
    });
  }
  const edges = spans.flatMap((s) => [{ t: s.from, d: 1 }, { t: s.to, d: -1 }])
    .sort((a, b) => a.t - b.t || a.d - b.d);
  let current = 0;
  let most = 0;
  for (const edge of edges) {
    current += edge.d;
    most = Math.max(most, current);
  }
  return most;
}
