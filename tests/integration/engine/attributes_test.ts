/**
 * A write changes the backends and nothing else (DESIGN §5): every other attribute of the backend set
 * (classic: policy, health checker, SSL, session persistence, backendMaxConnections; NLB: policy,
 * health checker, source preservation, fail-open, IP version...) reads back exactly as before, and
 * per-backend flags the operator does not manage survive.
 */
import assert from "node:assert/strict";
import { condition, DEMO_LB_ID, DEMO_NLB_ID, eventually, startRig } from "../../support/e2e.ts";

const CASES = [
  { lbId: DEMO_LB_ID, set: "web-http", port: "http" },
  { lbId: DEMO_LB_ID, set: "web-https", port: "https" },
  { lbId: DEMO_NLB_ID, set: "web-tcp", port: "http" },
];

function withoutBackends(body: Record<string, unknown>): Record<string, unknown> {
  const { backends: _, ...rest } = body;
  return rest;
}

for (const { lbId, set, port } of CASES) {
  Deno.test(`createEngine() keeps every attribute of ${set} and unmanaged backend flags when it writes`, async () => {
    await using rig = await startRig();
    const nodePort = port === "http" ? 30080 : 30443;
    const ip = rig.nodeIp("node-1");
    // node-1 is already there, by hand: a backup with a connection limit (classic), or offline (NLB).
    const unmanaged = lbId === DEMO_LB_ID
      ? { backup: true, maxConnections: 50 }
      : { isBackup: true, isOffline: true };
    rig.oci.setBackends(lbId, set, [{ ipAddress: ip, port: nodePort, weight: 1, ...unmanaged }]);
    const before = rig.oci.getBackendSet(lbId, set)!.body;

    rig.createLbr("web", {
      loadBalancerId: lbId,
      backendSetName: set,
      service: { name: "web", namespace: "default", port },
    });
    rig.startEngine();
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
      "Ready",
      10_000,
    );
    await rig.quiet();

    const after = rig.oci.getBackendSet(lbId, set)!.body;
    assert.equal(rig.putsTo(lbId, set), 1);
    assert.deepEqual(withoutBackends(after), withoutBackends(before));
    const backends = after.backends as Record<string, unknown>[];
    assert.equal(backends.length, 3);
    const kept = backends.find((b) => b.ipAddress === ip)!;
    for (const [field, value] of Object.entries(unmanaged)) {
      assert.equal(kept[field], value, field);
    }
  });
}
