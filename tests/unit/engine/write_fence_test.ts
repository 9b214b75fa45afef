import assert from "node:assert/strict";
import { FencedWriteError, fenceWrites } from "../../../src/engine/write_fence.ts";
import { createFakeCluster, createFakeLoadBalancers } from "../../support/fake_ports.ts";
import { backend } from "../../support/plan_fixtures.ts";

const LB = "ocid1.loadbalancer.oc1.phx.aaaatest";
const credentials = { kind: "default" as const, region: "us-phoenix-1" };

Deno.test("fenceWrites() passes writes while open and refuses or drops them once closed", async () => {
  const cluster = createFakeCluster();
  const oci = createFakeLoadBalancers();
  oci.seed(LB, "a");
  cluster.applyLbr("web", { loadBalancerId: LB, backendSetName: "a", nodePort: 30080 });
  const fence = new AbortController();
  const ports = fenceWrites({ cluster, oci }, fence.signal);

  const snapshot = await ports.oci.getBackendSet(
    { loadBalancerId: LB, backendSetName: "a" },
    credentials,
  );
  await ports.oci.replaceBackends(snapshot, [backend("10.0.0.1:30080")], credentials);
  await ports.cluster.patchStatus("web", { phase: "READY" });
  assert.equal(oci.count("replaceBackends"), 1);
  assert.equal(cluster.statuses.length, 1);

  fence.abort();
  await assert.rejects(
    ports.oci.replaceBackends(snapshot, [], credentials),
    FencedWriteError,
  );
  await assert.rejects(ports.cluster.setFinalizer("web", true), FencedWriteError);
  await ports.cluster.patchStatus("web", { phase: "ERROR" });
  await ports.cluster.recordEvent(cluster.view().lbRegistrars.get("web")!, {
    type: "Normal",
    reason: "Registered",
    message: "x",
  });
  assert.equal(oci.count("replaceBackends"), 1, "no OCI write behind a closed fence");
  assert.equal(cluster.statuses.length, 1, "status dropped");
  assert.equal(cluster.events.length, 0, "event dropped");
  assert.equal(cluster.finalizerWrites.length, 0);
  await ports.oci.getBackendSet({ loadBalancerId: LB, backendSetName: "a" }, credentials);
  assert.equal(oci.count("getBackendSet"), 2, "reads still pass");
});
