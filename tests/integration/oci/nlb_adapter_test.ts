import assert from "node:assert/strict";
import type { Backend } from "../../../src/plan/model.ts";
import { finalState, NLB_ATTRIBUTES, NLB_ID, NLB_SET, puts, withOciEnv } from "./_oci_env.ts";

const ref = { loadBalancerId: NLB_ID, backendSetName: NLB_SET };

Deno.test("NLB adapter getBackendSet() returns backends with name, targetId and flags, every attribute and the etag", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    const snapshot = await oci.getBackendSet(ref, credentials());
    const stored = sim.getBackendSet(NLB_ID, NLB_SET)!;
    assert.equal(snapshot.etag, stored.etag);
    assert.deepEqual(snapshot.backends, [
      {
        ipAddress: "10.0.1.1",
        port: 30443,
        weight: 2,
        drain: false,
        backup: true,
        offline: false,
        name: "10.0.1.1:30443",
      },
      {
        ipAddress: "10.0.1.2",
        port: 30443,
        weight: 1,
        drain: true,
        backup: false,
        offline: true,
        name: "10.0.1.2:30443",
        targetId: "ocid1.instance.oc1.iad.node2",
      },
    ]);
    assert.deepEqual(snapshot.attributes, NLB_ATTRIBUTES);
  });
});

Deno.test("NLB adapter replaceBackends() keeps isPreserveSource, isFailOpen, health checker dns and the rest", async () => {
  await withOciEnv(async ({ sim, proxy, oci, credentials }) => {
    const snapshot = await oci.getBackendSet(ref, credentials());
    const added: Backend = {
      ipAddress: "10.0.1.3",
      port: 30443,
      weight: 1,
      drain: false,
      backup: false,
      offline: false,
    };
    const { workRequestId } = await oci.replaceBackends(
      snapshot,
      [...snapshot.backends, added],
      credentials(),
    );

    const [put] = puts(proxy);
    assert.equal(put?.headers["if-match"], snapshot.etag);
    const { backends, ...sentAttributes } = put!.body;
    // NLB would merge a partial body; DESIGN §8 sends every attribute anyway, so check the wire.
    assert.deepEqual(sentAttributes, NLB_ATTRIBUTES);
    assert.deepEqual(backends, [
      {
        ipAddress: "10.0.1.1",
        port: 30443,
        weight: 2,
        isBackup: true,
        isDrain: false,
        isOffline: false,
        name: "10.0.1.1:30443",
      },
      {
        ipAddress: "10.0.1.2",
        port: 30443,
        weight: 1,
        isBackup: false,
        isDrain: true,
        isOffline: true,
        name: "10.0.1.2:30443",
        targetId: "ocid1.instance.oc1.iad.node2",
      },
      {
        ipAddress: "10.0.1.3",
        port: 30443,
        weight: 1,
        isBackup: false,
        isDrain: false,
        isOffline: false,
      },
    ]);

    assert.equal((await finalState(oci, NLB_ID, workRequestId, credentials())).state, "SUCCEEDED");
    const stored = sim.getBackendSet(NLB_ID, NLB_SET)!;
    assert.deepEqual(
      (stored.body.backends as { name: string }[]).map((backend) => backend.name),
      ["10.0.1.1:30443", "10.0.1.2:30443", "10.0.1.3:30443"],
    );
    for (const [field, value] of Object.entries(NLB_ATTRIBUTES)) {
      assert.deepEqual(stored.body[field], value, field);
    }
  });
});

Deno.test("NLB adapter getWorkRequest() reports FAILED with the work request's errors", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    sim.failNextWorkRequests({ lbId: NLB_ID });
    const snapshot = await oci.getBackendSet(ref, credentials());
    const { workRequestId } = await oci.replaceBackends(snapshot, [], credentials());
    const status = await finalState(oci, NLB_ID, workRequestId, credentials());
    assert.equal(status.state, "FAILED");
    assert.match(status.message ?? "", /injected by the simulator/);
    assert.equal(sim.requests().filter((r) => r.operation === "listWorkRequestErrors").length, 1);
  });
});

Deno.test("NLB adapter getBackendSet() drops and reports a backend that has no IP address", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    sim.setBackends(NLB_ID, NLB_SET, [
      { ipAddress: "10.0.1.1", port: 30443 },
      { targetId: "ocid1.instance.oc1.iad.node9", port: 30443 },
    ]);
    const snapshot = await oci.getBackendSet(ref, credentials());
    assert.deepEqual(snapshot.backends.map((backend) => backend.ipAddress), ["10.0.1.1"]);
    assert.deepEqual(snapshot.skippedBackends, [
      'backend "ocid1.instance.oc1.iad.node9:30443" has no IP address',
    ]);
  });
});
