import assert from "node:assert/strict";
import { createEngine } from "../../../src/engine/engine.ts";
import { backend, keys, node } from "../../support/plan_fixtures.ts";
import { DEBOUNCE, fixedSpec, LB, startEngine } from "./_engine_harness.ts";

const condition = (status: { conditions?: { type: string; reason?: string }[] } | undefined) =>
  status?.conditions?.find((c) => c.type === "Ready")?.reason;

Deno.test("createEngine() waits for a timed-out work request before writing again, and owns what it registered", async () => {
  const h = await startEngine({ workRequestTimeoutMs: 5_000 });
  // Shared from the start, beside a backend the operator never wrote.
  h.oci.seed(LB, "a", [backend("192.0.2.9:80")]);
  h.cluster.applyLbr("one", { ...fixedSpec(LB, "a", 30080), ownership: "Shared" });
  await h.clock.advance(DEBOUNCE + 3_000);
  assert.deepEqual(keys(h.oci.backends(LB, "a")).sort(), [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
    "10.0.0.3:30080",
    "192.0.2.9:80",
  ]);

  // n4 joins; the write's work request outlives the timeout, then succeeds late.
  h.oci.holdWorkRequests();
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE + 6_000);
  assert.equal(condition(h.cluster.statusOf("one")), "WorkRequestPending", "timed out");
  // While it still runs, later syncs poll it and do not write over it.
  const puts = h.oci.count("replaceBackends", "a");
  await h.clock.advance(20_000);
  assert.equal(h.oci.count("replaceBackends", "a"), puts, "no write while it runs");
  assert.ok(h.oci.count("getWorkRequest") > 0);
  h.oci.finishWorkRequests();
  assert.ok(keys(h.oci.backends(LB, "a")).includes("10.0.0.4:30080"), "the late write landed");

  // n4 leaves before any sync confirmed the write: its backend is ours, not foreign.
  h.cluster.removeNode("n4");
  await h.clock.advance(DEBOUNCE + 10_000);
  assert.deepEqual(keys(h.oci.backends(LB, "a")).sort(), [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
    "10.0.0.3:30080",
    "192.0.2.9:80",
  ], "n4 removed, the foreign backend kept");
  assert.equal(h.oci.overlaps(), 0, "no write overlapped the late work request");
  await h.stop();
});

Deno.test("createEngine() keeps owning what a pending write removes, in status too, so a successor still removes it", async () => {
  const h = await startEngine({ workRequestTimeoutMs: 5_000 });
  h.oci.seed(LB, "a", [backend("192.0.2.9:80")]);
  h.cluster.applyLbr("one", { ...fixedSpec(LB, "a", 30080), ownership: "Shared" });
  await h.clock.advance(DEBOUNCE + 3_000);

  // The port moves; the write times out, the process goes, and its work request then FAILS.
  h.oci.holdWorkRequests();
  h.cluster.applyLbr("one", { ...fixedSpec(LB, "a", 30090), ownership: "Shared" });
  await h.clock.advance(DEBOUNCE + 6_000);
  await h.stop();
  h.oci.finishWorkRequests("FAILED");
  assert.ok(keys(h.oci.backends(LB, "a")).includes("10.0.0.1:30080"), "the old port stayed");

  // A successor seeds its records from status, as after a restart or a leader handover.
  const successor = createEngine({
    cluster: h.cluster,
    oci: h.oci,
    operatorNamespace: "lbr-system",
    clock: h.clock,
    random: () => 0,
    debounceMs: DEBOUNCE,
    resyncMs: 3_600_000,
    workRequestPollMs: 1000,
  });
  const stop = new AbortController();
  const done = successor.run(stop.signal);
  await h.clock.advance(DEBOUNCE + 5_000);
  assert.deepEqual(keys(h.oci.backends(LB, "a")).sort(), [
    "10.0.0.1:30090",
    "10.0.0.2:30090",
    "10.0.0.3:30090",
    "192.0.2.9:80",
  ], "the old port removed, the foreign backend kept");
  stop.abort();
  await done;
});
