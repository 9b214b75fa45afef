/**
 * Resync (DESIGN §5): drift made by hand in OCI is repaired by the next resync, a steady state costs
 * one GET per backend set per resync and no PUT, and a restarted engine that finds everything in
 * sync writes nothing to OCI and does not flip its objects' status.
 */
import assert from "node:assert/strict";
import type { RecordedRequest } from "../../../src/sim/oci/types.ts";
import { createRecordingLogger } from "../../support/fake_ports.ts";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

const SETS = [
  { lbId: DEMO_LB_ID, set: "web-http" },
  { lbId: DEMO_LB_ID, set: "web-https" },
  { lbId: DEMO_NLB_ID, set: "web-tcp" },
];
const RESYNC = "Resync of";

function createLbrs(rig: Rig) {
  rig.createLbr("classic", {
    loadBalancerId: DEMO_LB_ID,
    services: [
      { name: "web", namespace: "default", port: "http", backendSetName: "web-http" },
      { name: "web", namespace: "default", port: "https", backendSetName: "web-https" },
    ],
  });
  rig.createLbr("nlb", {
    loadBalancerId: DEMO_NLB_ID,
    backendSetName: "web-tcp",
    service: { name: "web", namespace: "default", port: "http" },
  });
}

async function ready(rig: Rig) {
  await eventually(
    () =>
      ["classic", "nlb"].every((n) => condition(rig.lbr(n), "Ready") === "True/BackendsRegistered"),
    "Ready",
    10_000,
  );
}

/** Calls of one backend set, in order, as "GET"/"PUT". */
function methodsOn(requests: RecordedRequest[], lbId: string, set: string): string[] {
  return requests
    .filter((r) => r.lbId === lbId && r.backendSetName === set && r.operation !== "getWorkRequest")
    .map((r) => r.method);
}

for (const { lbId, set } of [SETS[0]!, SETS[2]!]) {
  Deno.test(`createEngine() repairs drift in ${set} at the next resync`, async () => {
    await using rig = await startRig();
    createLbrs(rig);
    rig.startEngine({ resyncMs: 300 });
    await ready(rig);
    const wanted = rig.backends(lbId, set);
    await rig.quiet(100);

    rig.oci.reset();
    // A person removes every backend but the first and adds one of their own.
    const stored = rig.oci.getBackendSet(lbId, set)!.body.backends as Record<string, unknown>[];
    rig.oci.setBackends(lbId, set, [
      stored[0]!,
      { ...stored[0]!, ipAddress: "192.0.2.10", ...(stored[0]!.name ? { name: "by-hand" } : {}) },
    ]);
    assert.notDeepEqual(rig.backends(lbId, set), wanted);

    await eventually(() => rig.backends(lbId, set).join() === wanted.join(), "repair", 5_000);
    // The first read after the drift already led to the repairing write.
    assert.deepEqual(methodsOn(rig.oci.requests(), lbId, set).slice(0, 2), ["GET", "PUT"]);
    assert.equal(rig.putsTo(lbId, set), 1);
    for (const other of SETS.filter((s) => s.set !== set)) {
      assert.equal(rig.putsTo(other.lbId, other.set), 0, other.set);
    }
  });
}

Deno.test("createEngine() reads each backend set once per resync and writes nothing in steady state", async () => {
  await using rig = await startRig();
  createLbrs(rig);
  const log = createRecordingLogger();
  // Each resync's requests are cut out of the log at the start of the next one, in the same tick
  // as the engine's own resync message, so no request can fall between two windows.
  const windows: RecordedRequest[][] = [];
  let resyncs = 0;
  log.on(RESYNC, () => {
    if (resyncs++ > 0) windows.push(rig.oci.requests());
    rig.oci.reset();
  });
  rig.startEngine({ resyncMs: 300, logger: log.logger });
  await ready(rig);
  await eventually(() => windows.length >= 2, "two complete resyncs", 5_000);

  for (const requests of windows.slice(0, 2)) {
    for (const { lbId, set } of SETS) {
      assert.deepEqual(methodsOn(requests, lbId, set), ["GET"], set);
    }
    assert.equal(requests.length, SETS.length, "no other OCI request");
  }
});

Deno.test("createEngine() restarted on a synced cluster writes nothing and keeps objects Ready", async () => {
  await using rig = await startRig();
  createLbrs(rig);
  const stop = rig.startEngine();
  await ready(rig);
  await rig.quiet();
  await stop();

  rig.oci.reset();
  rig.kube.sim.clearRequests();
  rig.startEngine();
  await eventually(
    () => SETS.every(({ lbId, set }) => rig.gets(lbId, set) >= 1),
    "every set read again",
    10_000,
  );
  await rig.quiet();
  await ready(rig);

  assert.equal(rig.puts(), 0);
  const statusWrites = rig.kube.sim.requests.filter((r) =>
    r.method === "PATCH" && r.path.endsWith("/status")
  );
  for (const write of statusWrites) {
    assert.doesNotMatch(
      write.body ?? "",
      /PENDING|REGISTERING|"status":"False","reason":"WorkRequestPending"/,
    );
  }
});
