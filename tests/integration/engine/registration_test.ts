import assert from "node:assert/strict";
import { condition, DEMO_LB_ID, eventually, startRig } from "../../support/e2e.ts";

Deno.test("engine registers every node of the demo cluster on the classic LB and reports Ready", async () => {
  await using rig = await startRig();
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-http",
    service: { name: "web", namespace: "default", port: "http" },
  });
  rig.startEngine();
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    10_000,
  );
  assert.deepEqual(
    rig.backends(DEMO_LB_ID, "web-http"),
    ["node-1", "node-2", "node-3"].map((n) => `${rig.nodeIp(n)}:30080`).sort(),
  );
  assert.equal(rig.puts(), 1);
  assert.equal(rig.oci.counters().total.conflicts, 0);
  assert.equal(rig.oci.counters().total.overlaps, 0);
});
