import assert from "node:assert/strict";
import { PAUSED_ANNOTATION } from "../../../src/api/constants.ts";
import { createEngine } from "../../../src/engine/engine.ts";
import { createFakeCluster, createFakeLoadBalancers } from "../../support/fake_ports.ts";
import { createManualClock } from "../../support/manual_clock.ts";
import { backend, node } from "../../support/plan_fixtures.ts";
import { fixedSpec, LB, LB2 } from "./_engine_harness.ts";

/** n1..n3; "one" on LB/a (in sync), "two" on LB/b (n3 missing, a foreign backend), paused "three"
 * on LB2/c (empty), "lost" on LB/gone (no such set), "bad" invalid. */
function world() {
  const clock = createManualClock();
  const cluster = createFakeCluster({ now: () => clock.now() });
  const oci = createFakeLoadBalancers(() => clock.now());
  for (const name of ["n1", "n2", "n3"]) cluster.setNode(node(name));
  oci.seed(LB, "a", ["10.0.0.1", "10.0.0.2", "10.0.0.3"].map((ip) => backend(`${ip}:30080`)));
  oci.seed(LB, "b", [
    backend("10.0.0.1:30081"),
    backend("10.0.0.2:30081"),
    backend("192.0.2.9:80"),
  ]);
  oci.seed(LB2, "c");
  cluster.applyLbr("one", fixedSpec(LB, "a", 30080));
  cluster.applyLbr("two", fixedSpec(LB, "b", 30081));
  cluster.applyLbr("three", fixedSpec(LB2, "c", 30082), { [PAUSED_ANNOTATION]: "true" });
  cluster.applyLbr("lost", fixedSpec(LB, "gone", 30083));
  cluster.applyLbr("bad", { ...fixedSpec(LB, "x", 30084), weight: 500 });
  return { clock, cluster, oci };
}

Deno.test("createEngine().planOnce() plans every backend set on the sync path and writes nothing", async () => {
  const { clock, cluster, oci } = world();
  const engine = createEngine({ cluster, oci, operatorNamespace: "lbr-system", clock });
  const planning = engine.planOnce(new AbortController().signal);
  await clock.advance(1000);
  const report = await planning;

  assert.equal(oci.count("replaceBackends"), 0);
  assert.equal(oci.count("getBackendSet"), 4, "each set read once, no retry");
  assert.equal(cluster.statuses.length, 0, "no status");
  assert.equal(cluster.events.length, 0, "no event");
  assert.equal(cluster.finalizerWrites.length, 0, "no finalizer");

  const byName = new Map(report.sets.map((s) => [s.backendSetName, s]));
  assert.deepEqual([...byName.keys()], ["a", "b", "gone", "c"], "sorted by LB, then name");
  assert.equal(byName.get("a")?.plan?.inSync, true);
  const b = byName.get("b")!.plan!;
  assert.deepEqual(b.changes.added.map((c) => `${c.ipPort} ${c.rule}`), ["10.0.0.3:30081 wanted"]);
  assert.deepEqual(b.changes.removed.map((c) => `${c.ipPort} ${c.rule}`), ["192.0.2.9:80 foreign"]);
  assert.equal(byName.get("c")?.paused, true);
  assert.equal(byName.get("c")?.plan?.changes.added.length, 3, "a paused set is still planned");
  assert.equal(byName.get("gone")?.error?.reason, "BackendSetNotFound");
  assert.equal(report.objects.find((o) => o.name === "bad")?.problem?.reason, "InvalidSpec");
  assert.equal(report.nodeWithIp("10.0.0.3"), "n3");
});
