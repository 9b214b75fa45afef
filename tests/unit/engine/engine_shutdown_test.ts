import assert from "node:assert/strict";
import type { LoadBalancers } from "../../../src/oci/port.ts";
import { node } from "../../support/plan_fixtures.ts";
import { DEBOUNCE, startEngine } from "./_engine_harness.ts";

const condition = (h: Awaited<ReturnType<typeof startEngine>>, name: string, type: string) => {
  const found = h.cluster.statusOf(name)?.conditions?.find((c) => c.type === type);
  return found && `${found.status}/${found.reason}`;
};

Deno.test("createEngine() stopped mid-write awaits the work request within the grace and records it", async () => {
  const h = await startEngine({ shutdownGraceMs: 10_000 });
  h.oci.holdWorkRequests();
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE + 1000);
  assert.equal(h.oci.count("replaceBackends", "a"), 2, "set a written, its work request running");
  assert.equal(condition(h, "one", "Reconciling"), "True/WorkRequestPending");

  h.abort();
  await h.clock.advance(3000);
  h.oci.finishWorkRequests();
  await h.clock.advance(3000);
  await h.done;
  assert.equal(
    condition(h, "one", "Ready"),
    "True/BackendsRegistered",
    "its outcome reached status",
  );
  assert.equal(h.cluster.statusOf("one")?.backendCount, 4);
  assert.equal(h.oci.count("replaceBackends", "b"), 1, "set b, next in the lane, was not started");
});

Deno.test("createEngine() stopped mid-write gives up on the work request after the grace", async () => {
  const h = await startEngine({ shutdownGraceMs: 5_000 });
  h.oci.holdWorkRequests();
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE + 1000);
  h.abort();
  await h.clock.advance(6000);
  await h.done;
  // The status keeps saying what is pending; the next process reads OCI and finishes the job.
  assert.equal(condition(h, "one", "Reconciling"), "True/WorkRequestPending");
  assert.equal(h.oci.count("replaceBackends"), 3, "two first writes, one left running");
});

Deno.test("createEngine() stopped while reading a backend set starts no write", async () => {
  const gate = Promise.withResolvers<void>();
  let gated = false;
  const h = await startEngine({ shutdownGraceMs: 10_000 }, (oci): LoadBalancers => ({
    ...oci,
    getBackendSet: async (ref, credentials) => {
      if (gated) await gate.promise;
      return await oci.getBackendSet(ref, credentials);
    },
  }));
  gated = true;
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE + 1000);
  h.abort();
  gate.resolve();
  await h.clock.advance(1000);
  await h.done;
  assert.equal(h.oci.count("getBackendSet", "a"), 2, "the read finished");
  assert.equal(h.oci.count("replaceBackends"), 2, "only the first sync's writes");
});
