/**
 * Paused and dry-run (DESIGN §8): a paused object freezes every backend set it targets (the other
 * objects there are held too and say Paused), its Deregister cleanup waits while paused, and
 * --dry-run writes status and events only: no OCI write, no finalizer.
 */
import assert from "node:assert/strict";
import { FINALIZER, PAUSED_ANNOTATION } from "../../../src/api/constants.ts";
import { condition, DEMO_LB_ID, eventually, type Rig, startRig } from "../../support/e2e.ts";

const http = { name: "web", namespace: "default", port: "http" };
const SET = "web-http";
const spec = { loadBalancerId: DEMO_LB_ID, backendSetName: SET, service: http };
const nodesAt = (rig: Rig, nodes: string[]) => nodes.map((n) => `${rig.nodeIp(n)}:30080`).sort();

function phase(rig: Rig, name: string): string | undefined {
  return (rig.lbr(name)?.status as { phase?: string } | undefined)?.phase;
}

function readyMessage(rig: Rig, name: string): string | undefined {
  const status = rig.lbr(name)?.status as
    | { conditions?: { type: string; message: string }[] }
    | undefined;
  return status?.conditions?.find((c) => c.type === "Ready")?.message;
}

Deno.test("createEngine() writes nothing to a set while one of its LBRegistrars is paused, and says Paused on all", async () => {
  await using rig = await startRig();
  rig.createLbr("a", spec);
  rig.createLbr("b", spec);
  rig.startEngine();
  await eventually(
    () => ["a", "b"].every((n) => condition(rig.lbr(n), "Ready") === "True/BackendsRegistered"),
    "both Ready",
    10_000,
  );
  await rig.quiet();
  rig.annotate("a", { [PAUSED_ANNOTATION]: "true" });
  const puts = rig.puts();

  rig.kube.sim.addNode("node-4");
  await eventually(
    () => ["a", "b"].every((n) => condition(rig.lbr(n), "Ready") === "False/Paused"),
    "both objects held",
    10_000,
  );
  assert.equal(phase(rig, "b"), "PENDING");
  assert.equal(readyMessage(rig, "b"), "Paused: would add 1");
  await rig.quiet();
  assert.equal(rig.puts(), puts, "no OCI write while paused");
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), nodesAt(rig, ["node-1", "node-2", "node-3"]));

  rig.annotate("a", { [PAUSED_ANNOTATION]: null });
  await eventually(
    () =>
      rig.backends(DEMO_LB_ID, SET).join() ===
        nodesAt(rig, ["node-1", "node-2", "node-3", "node-4"]).join() &&
      ["a", "b"].every((n) => condition(rig.lbr(n), "Ready") === "True/BackendsRegistered"),
    "the change written once unpaused",
    10_000,
  );
});

Deno.test("createEngine() keeps a paused LBRegistrar's Deregister cleanup waiting until it is unpaused", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { ...spec, deletionPolicy: "Deregister", drainSeconds: 1 });
  rig.startEngine();
  await eventually(
    () =>
      rig.finalizers("web").includes(FINALIZER) &&
      condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready with the finalizer",
    10_000,
  );
  await rig.quiet();
  rig.annotate("web", { [PAUSED_ANNOTATION]: "true" });
  const puts = rig.puts();

  rig.deleteLbr("web");
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "False/Paused",
    "the cleanup held",
    10_000,
  );
  assert.equal(readyMessage(rig, "web"), "Paused: would drain 3");
  await rig.quiet();
  assert.equal(rig.puts(), puts);
  assert.ok(rig.finalizers("web").includes(FINALIZER));

  rig.annotate("web", { [PAUSED_ANNOTATION]: null });
  await eventually(() => rig.lbr("web") === undefined, "the cleanup done", 10_000);
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), []);
});

Deno.test("createEngine() with dryRun reports its plan in status and events but writes no OCI and no finalizer", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { ...spec, deletionPolicy: "Deregister" });
  rig.startEngine({ dryRun: true });
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "False/DryRun",
    "the plan reported",
    10_000,
  );
  assert.equal(readyMessage(rig, "web"), "Dry run: would add 3");
  assert.equal(phase(rig, "web"), "PENDING");
  await rig.quiet();
  assert.equal(rig.puts(), 0);
  assert.ok(rig.gets(DEMO_LB_ID, SET) >= 1, "the set was read and planned");
  assert.deepEqual(rig.finalizers("web"), [], "no finalizer in dry-run");
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), []);
});
