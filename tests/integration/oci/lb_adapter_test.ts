import assert from "node:assert/strict";
import type { Backend } from "../../../src/plan/model.ts";
import { CLASSIC_ATTRIBUTES, finalState, LB_ID, LB_SET, puts, withOciEnv } from "./_oci_env.ts";

const ref = { loadBalancerId: LB_ID, backendSetName: LB_SET };

/** The stored set without what the adapter treats separately. */
function storedAttributes(body: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, backends: _backends, ...attributes } = body;
  return attributes;
}

Deno.test("LB adapter getBackendSet() returns backends with their flags, every attribute and the ETag", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    const snapshot = await oci.getBackendSet(ref, credentials());
    const stored = sim.getBackendSet(LB_ID, LB_SET)!;
    assert.equal(snapshot.etag, stored.etag);
    assert.deepEqual(snapshot.ref, ref);
    assert.deepEqual(snapshot.backends, [
      {
        ipAddress: "10.0.0.1",
        port: 30080,
        weight: 3,
        drain: false,
        backup: true,
        offline: false,
        maxConnections: 50,
      },
      { ipAddress: "10.0.0.2", port: 30080, weight: 1, drain: true, backup: false, offline: true },
    ]);
    assert.deepEqual(snapshot.attributes, storedAttributes(stored.body));
    assert.equal(snapshot.skippedBackends, undefined);
  });
});

Deno.test("LB adapter replaceBackends() PUTs the full set with if-match and the work request succeeds", async () => {
  await withOciEnv(async ({ sim, proxy, oci, credentials }) => {
    const snapshot = await oci.getBackendSet(ref, credentials());
    const added: Backend = {
      ipAddress: "10.0.0.3",
      port: 30080,
      weight: 5,
      drain: false,
      backup: false,
      offline: false,
    };
    const { workRequestId } = await oci.replaceBackends(
      snapshot,
      [...snapshot.backends, added],
      credentials(),
    );
    assert.match(workRequestId, /^ocid1\.loadbalancerworkrequest\./);

    const [put] = puts(proxy);
    assert.equal(put?.headers["if-match"], snapshot.etag);
    const { backends, ...sentAttributes } = put!.body;
    // policy, healthChecker, sslConfiguration, both session persistence blocks, backendMaxConnections.
    assert.deepEqual(sentAttributes, snapshot.attributes);
    assert.deepEqual(backends, [
      {
        ipAddress: "10.0.0.1",
        port: 30080,
        weight: 3,
        backup: true,
        drain: false,
        offline: false,
        maxConnections: 50,
      },
      { ipAddress: "10.0.0.2", port: 30080, weight: 1, backup: false, drain: true, offline: true },
      {
        ipAddress: "10.0.0.3",
        port: 30080,
        weight: 5,
        backup: false,
        drain: false,
        offline: false,
      },
    ]);

    assert.deepEqual(await finalState(oci, LB_ID, workRequestId, credentials()), {
      state: "SUCCEEDED",
      message: `UpdateBackendSet ${LB_SET}: SUCCEEDED`,
    });
    const stored = sim.getBackendSet(LB_ID, LB_SET)!;
    assert.deepEqual(
      (stored.body.backends as { name: string }[]).map((backend) => backend.name),
      ["10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.3:30080"],
    );
    // The classic PUT replaces the whole set: anything not sent would be gone now.
    for (const [field, value] of Object.entries(CLASSIC_ATTRIBUTES)) {
      assert.deepEqual(stored.body[field], value, field);
    }
  });
});

Deno.test("LB adapter replaceBackends() can empty a set and the next read sees the new ETag", async () => {
  await withOciEnv(async ({ oci, credentials }) => {
    const before = await oci.getBackendSet(ref, credentials());
    const { workRequestId } = await oci.replaceBackends(before, [], credentials());
    assert.equal((await finalState(oci, LB_ID, workRequestId, credentials())).state, "SUCCEEDED");
    const after = await oci.getBackendSet(ref, credentials());
    assert.deepEqual(after.backends, []);
    assert.notEqual(after.etag, before.etag);
    assert.deepEqual(after.attributes, before.attributes);
  });
});

Deno.test("LB adapter getWorkRequest() reports FAILED with OCI's error details", async () => {
  await withOciEnv(async ({ sim, oci, credentials }) => {
    sim.failNextWorkRequests({ lbId: LB_ID });
    const snapshot = await oci.getBackendSet(ref, credentials());
    const { workRequestId } = await oci.replaceBackends(snapshot, [], credentials());
    const status = await finalState(oci, LB_ID, workRequestId, credentials());
    assert.deepEqual(status, {
      state: "FAILED",
      message: "INTERNAL_ERROR: The work request failed (injected by the simulator)",
    });
    // A failed work request leaves the set as it was.
    assert.equal((sim.getBackendSet(LB_ID, LB_SET)!.body.backends as unknown[]).length, 2);
  });
});
