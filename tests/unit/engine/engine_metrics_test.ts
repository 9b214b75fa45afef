import assert from "node:assert/strict";
import { backend, keys, node } from "../../support/plan_fixtures.ts";
import { DEBOUNCE, LB, recordingMetrics, startEngine } from "./_engine_harness.ts";

Deno.test("createEngine() records reconciles, backends per set, work requests and the last full sync", async () => {
  const metrics = recordingMetrics();
  const h = await startEngine({ metrics });
  assert.deepEqual(metrics.reconciles.sort(), ["written", "written"]);
  assert.deepEqual(metrics.backends.get(`${LB}/a`), { active: 3, draining: 0 });
  assert.deepEqual(metrics.workRequests.map((w) => w.outcome), ["succeeded", "succeeded"]);
  assert.ok(metrics.workRequests.every((w) => w.seconds > 0), "timed on the engine's clock");
  assert.ok(metrics.plans >= 2);
  assert.equal(metrics.lastSuccess.length, 1, "once both sets were in sync");
  const at = metrics.lastSuccess[0]!;
  assert.ok(at > 1_700_000_000 && at <= h.clock.now() / 1000, "in seconds, on the engine's clock");
  assert.ok(metrics.depths.includes(2), "both sets queued at start");

  h.cluster.setNode(node("n2", { ready: false }));
  await h.clock.advance(DEBOUNCE + 2000);
  assert.deepEqual(metrics.backends.get(`${LB}/a`), { active: 2, draining: 1 });
  assert.equal(metrics.drift.length, 0, "a cluster change is not drift");
  await h.stop();
});

Deno.test("createEngine() counts a write at resync on an untouched in-sync set as a drift repair", async () => {
  const metrics = recordingMetrics();
  const h = await startEngine({ metrics, resyncMs: 60_000 });
  await h.clock.advance(60_000);
  assert.equal(metrics.drift.length, 0, "a resync that finds everything in sync repairs nothing");

  // By hand in OCI: one backend removed, one of someone else's added.
  h.oci.seed(LB, "a", [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")]);
  await h.clock.advance(60_000);
  assert.deepEqual(metrics.drift, [`${LB}/a`]);
  assert.equal(keys(h.oci.backends(LB, "a")).length, 3);
  await h.stop();
});

Deno.test("createEngine() forgets the series of a backend set no LBRegistrar targets any more", async () => {
  const metrics = recordingMetrics();
  const h = await startEngine({ metrics });
  h.cluster.deleteLbr("one");
  await h.clock.advance(DEBOUNCE + 1000);
  assert.deepEqual(metrics.forgotten, [`${LB}/a`]);
  await h.stop();
});
