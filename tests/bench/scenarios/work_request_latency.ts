/**
 * Target 3, work-request latency: a work request that finishes 1.5 s after it is accepted must be
 * noticed (a poll that sees it SUCCEEDED) within 0.5 s of finishing, with the default
 * --work-request-poll 5s (the original polls every 5 s).
 */

import type { Scenario } from "../scenario.ts";
import { median } from "../stats.ts";
import { waitUntil } from "../wait.ts";

const DELAY_MS = 1_500;
const FIGURE = "Work request noticed after it finished (1.5 s WR)";

/** See the module comment. */
export const workRequestLatency: Scenario = {
  name: "work-request-latency",
  figures: [{ target: 3, name: FIGURE, unit: "ms", limit: 500 }],
  async run(ctx) {
    const events = ctx.quick ? 1 : 3;
    await using session = await ctx.session({
      nodes: 10,
      backendSets: 2,
      loadBalancers: 1,
      workRequestDelayMs: DELAY_MS,
    }, { debounce: "200ms", workRequestPoll: "5s", resync: "5m" });
    await session.allReady(30_000);
    // Every accepted PUT, with the poll that first saw its work request finished (once there is one).
    const noticed = () => {
      const requests = session.ociRequests();
      return requests
        .filter((r) => r.operation === "updateBackendSet" && r.status === 202 && r.workRequestId)
        .map((put) => {
          // Accepted no earlier than the PUT arrived, so this finish time errs late, never early.
          const finished = put.startedAt + DELAY_MS;
          const poll = requests.find((r) =>
            r.operation === "getWorkRequest" && r.path.includes(put.workRequestId!) &&
            r.startedAt >= finished
          );
          return { put, finished, poll };
        });
    };
    const allNoticed = () => noticed().every((n) => n.poll !== undefined);
    const context = () => session.operator.tail();
    await waitUntil(allNoticed, "the first sync's work requests to be noticed", {
      timeoutMs: 20_000,
      context,
    });
    for (let e = 0; e < events; e++) {
      const before = session.world.oci.counters().total.mutations;
      session.world.addNodes(1);
      // Two backend sets on one LB: two work requests, one after the other.
      await waitUntil(
        () => session.world.oci.counters().total.mutations >= before + 2 && allNoticed(),
        "two PUTs after a node joined, and their work requests noticed",
        { timeoutMs: 20_000, everyMs: 20, context },
      );
    }
    const requests = session.ociRequests();
    const samples = noticed().map((n) => n.poll!.finishedAt - n.finished);
    const polls = requests.filter((r) => r.operation === "getWorkRequest").length;
    ctx.put(
      FIGURE,
      Math.max(...samples),
      0,
      `the first getWorkRequest after the WR's end (accept + 1.5 s), max of ${samples.length} ` +
        `work requests (median ${Math.round(median(samples))} ms; ${polls} polls in all), ` +
        `default --work-request-poll 5s; the original would average 2.5 s`,
      samples.map(Math.round),
    );
  },
};
