/**
 * Failures stay where they happen (DESIGN §4, §5): a failing backend set does not hold up the others,
 * a work request left running by a previous process is waited out (409, then retry), and neither a
 * cluster with no eligible node nor one with no Ready node empties or drains a backend set.
 */
import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

const EXCLUDE = "node.kubernetes.io/exclude-from-external-load-balancers";
const NODES = ["node-1", "node-2", "node-3"];
const TARGETS = [
  { kind: "classic LB", lbId: DEMO_LB_ID, set: "web-http" },
  { kind: "NLB", lbId: DEMO_NLB_ID, set: "web-tcp" },
];
const http = { name: "web", namespace: "default", port: "http" };

const everyNode = (rig: Rig, nodes = NODES, suffix = "") =>
  nodes.map((n) => `${rig.nodeIp(n)}:30080${suffix}`).sort();

Deno.test("createEngine() keeps syncing other load balancers while one answers 500", async () => {
  await using rig = await startRig();
  rig.oci.inject({ status: 500, op: "updateBackendSet", lbId: DEMO_LB_ID, count: 2 });
  rig.createLbr("classic", {
    loadBalancerId: DEMO_LB_ID,
    services: [
      { ...http, backendSetName: "web-http" },
      { ...http, port: "https", backendSetName: "web-https" },
    ],
  });
  rig.createLbr("nlb", { loadBalancerId: DEMO_NLB_ID, backendSetName: "web-tcp", service: http });
  rig.startEngine();

  await eventually(
    () =>
      condition(rig.lbr("nlb"), "Ready") === "True/BackendsRegistered" &&
      condition(rig.lbr("classic"), "Reconciling") === "True/OciError",
    "the NLB Ready while the classic LB fails",
    10_000,
  );
  assert.deepEqual(rig.backends(DEMO_NLB_ID, "web-tcp"), everyNode(rig));
  // Both classic sets were tried: the first failure did not stop the second.
  assert.equal(rig.putsTo(DEMO_LB_ID, "web-http"), 1);
  assert.equal(rig.putsTo(DEMO_LB_ID, "web-https"), 1);

  await eventually(
    () => condition(rig.lbr("classic"), "Ready") === "True/BackendsRegistered",
    "the classic LB to recover by retrying",
    10_000,
  );
  assert.deepEqual(rig.backends(DEMO_LB_ID, "web-http"), everyNode(rig));
});

Deno.test("createEngine() syncs a backend set while another set of the same LB is missing", async () => {
  await using rig = await startRig();
  rig.createLbr("ghost", { loadBalancerId: DEMO_LB_ID, backendSetName: "gone", service: http });
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http", service: http });
  rig.startEngine();
  await eventually(
    () =>
      condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered" &&
      condition(rig.lbr("ghost"), "Stalled") === "True/BackendSetNotFound",
    "one set Ready, the other BackendSetNotFound",
    10_000,
  );
  assert.deepEqual(rig.backends(DEMO_LB_ID, "web-http"), everyNode(rig));
});

for (const { kind, lbId, set } of TARGETS) {
  Deno.test(`createEngine() waits, without writing, for a work request a stopped engine left running on the ${kind}`, async () => {
    await using rig = await startRig();
    rig.oci.hangNextWorkRequests({ lbId });
    rig.createLbr("web", { loadBalancerId: lbId, backendSetName: set, service: http });
    const stopFirst = rig.startEngine();
    await eventually(
      () =>
        rig.puts(lbId) === 1 &&
        condition(rig.lbr("web"), "Reconciling") === "True/WorkRequestPending",
      "the first engine waiting for its work request",
      10_000,
    );
    await stopFirst();
    // Stopping is not a failure: the status still says what is pending.
    assert.equal(condition(rig.lbr("web"), "Reconciling"), "True/WorkRequestPending");
    const hung = rig.oci.requests().find((r) => r.method === "PUT")!.workRequestId!;

    // The second engine learns of the work request from status and polls it before writing.
    rig.kube.sim.addNode("node-4");
    rig.startEngine();
    const polled = () =>
      rig.oci.requests().filter((r) => r.method === "GET" && r.path.includes(hung)).length;
    const before = polled();
    await eventually(() => polled() >= before + 2, "the second engine polling it", 10_000);
    assert.equal(rig.puts(lbId), 1, "no write while it runs");
    assert.equal(rig.oci.counters().byLb[lbId]?.conflicts ?? 0, 0, "so no 409 either");
    assert.deepEqual(rig.backends(lbId, set), [], "the hung work request has not landed yet");
    rig.oci.completeWorkRequest(hung);

    await eventually(
      () => rig.backends(lbId, set).join() === everyNode(rig, [...NODES, "node-4"]).join(),
      "the second engine's write after the work request ended",
      10_000,
    );
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
      "Ready",
      10_000,
    );
    assert.equal(rig.oci.counters().byLb[lbId]?.mutations, 2, "the hung write and one more");
  });

  Deno.test(`createEngine() never empties the ${kind} set when no node is eligible (fail static)`, async () => {
    await using rig = await startRig();
    rig.createLbr("web", { loadBalancerId: lbId, backendSetName: set, service: http });
    rig.startEngine();
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
      "Ready",
      10_000,
    );
    await rig.quiet();
    rig.oci.reset();

    for (const name of NODES) {
      rig.kube.sim.patch({ apiVersion: "v1", kind: "Node", name }, {
        metadata: { labels: { [EXCLUDE]: "true" } },
      });
    }
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "False/NoEligibleNodes",
      "NoEligibleNodes",
      10_000,
    );
    await rig.quiet();
    assert.equal(rig.puts(), 0);
    assert.deepEqual(rig.backends(lbId, set), everyNode(rig));
    const status = rig.lbr("web")?.status as { phase: string; backendCount: number };
    assert.equal(status.phase, "ERROR");
    assert.equal(status.backendCount, 3);
  });

  Deno.test(`createEngine() drains nothing on the ${kind} when every node is NotReady (fail open)`, async () => {
    await using rig = await startRig();
    rig.createLbr("web", { loadBalancerId: lbId, backendSetName: set, service: http });
    rig.startEngine();
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
      "Ready",
      10_000,
    );
    await rig.quiet();
    rig.oci.reset();

    for (const name of NODES.slice(0, 2)) rig.kube.sim.setNodeReady(name, false);
    await eventually(
      () => rig.backends(lbId, set).filter((b) => b.endsWith(",drain")).length === 2,
      "two NotReady nodes drained",
      10_000,
    );
    rig.kube.sim.setNodeReady("node-3", false);
    await eventually(
      () => rig.backends(lbId, set).join() === everyNode(rig).join(),
      "every drain undone once no node is Ready",
      10_000,
    );
    await rig.quiet();
    assert.deepEqual(rig.backends(lbId, set), everyNode(rig));
  });
}
