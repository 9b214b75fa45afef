/**
 * deletionPolicy (DESIGN §3, §8): Deregister adds the finalizer, and on deletion drains then removes
 * the object's own backends before letting it go, touching nothing foreign and nothing another
 * object still wants; a cleanup that cannot reach OCI holds the object with a condition until the
 * skip-cleanup annotation releases it; Retain adds no finalizer (and drops ours); an object held by
 * someone else's finalizer only is forgotten.
 */
import assert from "node:assert/strict";
import { FINALIZER, SKIP_CLEANUP_ANNOTATION } from "../../../src/api/constants.ts";
import {
  condition,
  DEMO_LB_ID,
  eventually,
  OPERATOR_NAMESPACE,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

const http = { name: "web", namespace: "default", port: "http" };
const NODES = ["node-1", "node-2", "node-3"];
const SET = "web-http";
const everyNode = (rig: Rig) => NODES.map((n) => `${rig.nodeIp(n)}:30080`).sort();

async function readyWithFinalizer(rig: Rig, name: string) {
  await eventually(
    () =>
      condition(rig.lbr(name), "Ready") === "True/BackendsRegistered" &&
      rig.finalizers(name).includes(FINALIZER),
    `${name} Ready with the finalizer`,
    10_000,
  );
  await rig.quiet();
}

Deno.test("createEngine() drains then removes a deleted Deregister LBRegistrar's backends, keeps foreign ones, then releases it", async () => {
  await using rig = await startRig();
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: SET,
    service: http,
    deletionPolicy: "Deregister",
    drainSeconds: 1,
  });
  rig.startEngine();
  await readyWithFinalizer(rig, "web");
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), everyNode(rig));
  // Someone registers a backend of their own by hand.
  const stored = rig.oci.getBackendSet(DEMO_LB_ID, SET)!.body.backends as Record<string, unknown>[];
  rig.oci.setBackends(DEMO_LB_ID, SET, [
    ...stored,
    { ...stored[0]!, ipAddress: "192.0.2.10", port: 8080 },
  ]);
  const puts = rig.putsTo(DEMO_LB_ID, SET);

  rig.deleteLbr("web");
  await eventually(
    () => rig.backends(DEMO_LB_ID, SET).filter((b) => b.endsWith(",drain")).length === 3,
    "the object's backends drained first",
    10_000,
  );
  await eventually(() => rig.lbr("web") === undefined, "the object released", 10_000);

  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), ["192.0.2.10:8080"], "only the foreign one left");
  assert.equal(rig.putsTo(DEMO_LB_ID, SET) - puts, 2, "one drain write, one removal write");
  assert.equal(rig.oci.counters().total.overlaps, 0);
});

Deno.test("createEngine() leaves backends another LBRegistrar still wants when a Deregister one goes", async () => {
  await using rig = await startRig();
  const spec = { loadBalancerId: DEMO_LB_ID, backendSetName: SET, service: http };
  rig.createLbr("leaving", { ...spec, deletionPolicy: "Deregister", drainSeconds: 1 });
  rig.createLbr("staying", spec);
  rig.startEngine();
  await readyWithFinalizer(rig, "leaving");
  await eventually(
    () => condition(rig.lbr("staying"), "Ready") === "True/BackendsRegistered",
    "staying Ready",
    10_000,
  );
  const puts = rig.puts();

  rig.deleteLbr("leaving");
  await eventually(() => rig.lbr("leaving") === undefined, "the object released", 10_000);
  await rig.quiet();

  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), everyNode(rig));
  assert.equal(rig.puts(), puts, "nothing to drain or remove: all of it is still wanted");
  assert.equal(condition(rig.lbr("staying"), "Ready"), "True/BackendsRegistered");
});

Deno.test("createEngine() holds a Deregister LBRegistrar whose key is gone until skip-cleanup releases it", async () => {
  await using rig = await startRig();
  rig.kube.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "web-key", namespace: OPERATOR_NAMESPACE },
    data: { "private-key": btoa(rig.key.pkcs8Pem) },
  });
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: SET,
    service: http,
    deletionPolicy: "Deregister",
    drainSeconds: 1,
    apiKey: {
      ...rig.apiKey(),
      privateKey: { secretKeyRef: { name: "web-key", key: "private-key" } },
    },
  });
  rig.startEngine();
  await readyWithFinalizer(rig, "web");
  const puts = rig.puts();

  rig.kube.sim.delete({
    apiVersion: "v1",
    kind: "Secret",
    namespace: OPERATOR_NAMESPACE,
    name: "web-key",
  });
  rig.deleteLbr("web");
  await eventually(
    () => condition(rig.lbr("web"), "Stalled") === "True/CredentialsError",
    "the cleanup stalled on the missing Secret",
    10_000,
  );
  const stalled = (rig.lbr("web")?.status as { conditions: { type: string; message: string }[] })
    .conditions.find((c) => c.type === "Stalled")!;
  assert.match(stalled.message, /web-key/);
  assert.match(stalled.message, new RegExp(SKIP_CLEANUP_ANNOTATION));
  assert.ok(rig.finalizers("web").includes(FINALIZER), "the finalizer stays");

  rig.annotate("web", { [SKIP_CLEANUP_ANNOTATION]: "true" });
  await eventually(() => rig.lbr("web") === undefined, "the object released", 10_000);
  await rig.quiet();
  assert.equal(rig.puts(), puts, "OCI was not touched");
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), everyNode(rig));
});

Deno.test("createEngine() adds no finalizer for Retain and removes its own when the policy goes back to Retain", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: SET, service: http });
  rig.startEngine();
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    10_000,
  );
  assert.deepEqual(rig.finalizers("web"), []);

  rig.patchSpec("web", { deletionPolicy: "Deregister" });
  await eventually(() => rig.finalizers("web").includes(FINALIZER), "the finalizer added", 10_000);
  rig.patchSpec("web", { deletionPolicy: "Retain" });
  await eventually(() => rig.finalizers("web").length === 0, "the finalizer removed", 10_000);

  const puts = rig.puts();
  rig.deleteLbr("web");
  assert.equal(rig.lbr("web"), undefined, "nothing holds the object");
  await rig.quiet();
  assert.equal(rig.puts(), puts);
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), everyNode(rig), "Retain keeps the backends");
});

Deno.test("createEngine() forgets a deleted LBRegistrar that only another controller's finalizer holds", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: SET, service: http }, {
    finalizers: ["example.com/keep"],
  });
  rig.startEngine();
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    10_000,
  );
  await rig.quiet();
  rig.deleteLbr("web");
  const statusWrites = () =>
    rig.kube.sim.requests.filter((r) => r.method === "PATCH" && r.path.endsWith("/web/status"))
      .length;
  const writes = statusWrites();
  const puts = rig.puts();

  rig.kube.sim.addNode("node-4");
  await rig.quiet(600);
  assert.ok(rig.lbr("web")?.metadata.deletionTimestamp, "still there, held by the other finalizer");
  assert.deepEqual(rig.finalizers("web"), ["example.com/keep"]);
  assert.equal(rig.puts(), puts, "its backend set is nobody's now");
  assert.equal(statusWrites(), writes);
  assert.deepEqual(rig.backends(DEMO_LB_ID, SET), everyNode(rig));
});
