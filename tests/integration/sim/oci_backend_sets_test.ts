import assert from "node:assert/strict";
import * as common from "oci-common";
import type * as lb from "oci-loadbalancer";
import type * as nlb from "oci-networkloadbalancer";
import { type OciSim, startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { DEMO_COMPARTMENT_ID, seedDemo } from "../../../src/sim/oci/seed.ts";
import { generateOciTestKey, ociClients } from "../../support/oci_keys.ts";

const key = generateOciTestKey();

async function withSim(
  test: (ctx: {
    sim: OciSim;
    lbId: string;
    nlbId: string;
    lbClient: lb.LoadBalancerClient;
    nlbClient: nlb.NetworkLoadBalancerClient;
  }) => Promise<void>,
) {
  const sim = startOciSim({ workRequestDelayMs: 5 });
  try {
    const { lbId, nlbId } = seedDemo(sim);
    sim.registerKey(key.keyId, key.publicPem);
    await test({ sim, lbId, nlbId, ...ociClients(sim.url, key) });
  } finally {
    await sim.stop();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lbWorkRequestEnd(client: lb.LoadBalancerClient, workRequestId: string) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { workRequest } = await client.getWorkRequest({ workRequestId });
    if (workRequest.lifecycleState === "SUCCEEDED" || workRequest.lifecycleState === "FAILED") {
      return workRequest;
    }
    await pause(5);
  }
  throw new Error(`work request ${workRequestId} did not end`);
}

async function nlbWorkRequestEnd(client: nlb.NetworkLoadBalancerClient, workRequestId: string) {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { workRequest } = await client.getWorkRequest({ workRequestId });
    if (workRequest.status === "SUCCEEDED" || workRequest.status === "FAILED") return workRequest;
    await pause(5);
  }
  throw new Error(`work request ${workRequestId} did not end`);
}

async function ociErrorOf(call: Promise<unknown>): Promise<common.OciError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof common.OciError, `expected an OciError, got ${JSON.stringify(error)}`);
  return error;
}

const healthChecker = { protocol: "HTTP", urlPath: "/healthz", port: 10256, returnCode: 200 };

Deno.test("classic getBackendSet() returns the seeded set with its eTag", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    const response = await lbClient.getBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-https",
    });
    assert.equal(response.backendSet.name, "web-https");
    assert.equal(response.backendSet.policy, "LEAST_CONNECTIONS");
    assert.deepEqual(response.backendSet.sslConfiguration?.protocols, ["TLSv1.2", "TLSv1.3"]);
    assert.equal(response.eTag, sim.getBackendSet(lbId, "web-https")?.etag);
    assert.ok(response.opcRequestId);
  });
});

Deno.test("NLB getBackendSet() returns the seeded set with a lower-case etag", async () => {
  await withSim(async ({ sim, nlbId, nlbClient }) => {
    const response = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
    });
    assert.equal(response.backendSet.policy, "FIVE_TUPLE");
    assert.equal(response.backendSet.isPreserveSource, true);
    assert.equal(response.etag, sim.getBackendSet(nlbId, "web-tcp")?.etag);
  });
});

Deno.test("classic updateBackendSet() replaces the set when its work request SUCCEEDED", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    const before = await lbClient.getBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
    });
    const put = await lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
      ifMatch: before.eTag,
      updateBackendSetDetails: {
        policy: "ROUND_ROBIN",
        backends: [{ ipAddress: "10.0.0.10", port: 30080, weight: 5 }, {
          ipAddress: "10.0.0.11",
          port: 30080,
          drain: true,
        }],
        healthChecker,
      },
    });
    assert.match(put.opcWorkRequestId, /^ocid1\.loadbalancerworkrequest\./);
    const workRequest = await lbWorkRequestEnd(lbClient, put.opcWorkRequestId);
    assert.equal(workRequest.lifecycleState, "SUCCEEDED");
    assert.equal(workRequest.loadBalancerId, lbId);

    const after = await lbClient.getBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
    });
    assert.deepEqual(after.backendSet.backends, [
      {
        name: "10.0.0.10:30080",
        ipAddress: "10.0.0.10",
        port: 30080,
        weight: 5,
        backup: false,
        drain: false,
        offline: false,
      },
      {
        name: "10.0.0.11:30080",
        ipAddress: "10.0.0.11",
        port: 30080,
        weight: 1,
        backup: false,
        drain: true,
        offline: false,
      },
    ]);
    assert.notEqual(after.eTag, before.eTag);
    assert.equal(sim.counters().byLb[lbId]?.mutations, 1);
  });
});

Deno.test("NLB updateBackendSet() changes the set when its work request SUCCEEDED", async () => {
  await withSim(async ({ nlbId, nlbClient }) => {
    const put = await nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: {
        backends: [{ ipAddress: "10.0.0.12", port: 30080, isDrain: true }],
      },
    });
    assert.match(put.opcWorkRequestId, /^ocid1\.nlbworkrequest\./);
    const workRequest = await nlbWorkRequestEnd(nlbClient, put.opcWorkRequestId);
    assert.equal(workRequest.status, "SUCCEEDED");
    assert.equal(workRequest.percentComplete, 100);
    assert.equal(workRequest.resources[0]?.identifier, nlbId);

    const after = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
    });
    assert.deepEqual(after.backendSet.backends, [{
      name: "10.0.0.12:30080",
      ipAddress: "10.0.0.12",
      port: 30080,
      weight: 1,
      isBackup: false,
      isDrain: true,
      isOffline: false,
    }]);
  });
});

Deno.test("updateBackendSet() shows the old set until the work request ends", async () => {
  await withSim(async ({ sim, nlbId, nlbClient }) => {
    sim.hangNextWorkRequests({ lbId: nlbId });
    const put = await nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: { backends: [{ ipAddress: "10.0.0.12", port: 30080 }] },
    });
    const during = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
    });
    assert.deepEqual(during.backendSet.backends, []);
    const nlbDuring = await nlbClient.getNetworkLoadBalancer({ networkLoadBalancerId: nlbId });
    assert.equal(nlbDuring.networkLoadBalancer.lifecycleState, "UPDATING");
    const { workRequest } = await nlbClient.getWorkRequest({ workRequestId: put.opcWorkRequestId });
    assert.equal(workRequest.status, "IN_PROGRESS");

    sim.completeWorkRequest(put.opcWorkRequestId);
    const after = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
    });
    assert.equal(after.backendSet.backends?.length, 1);
    assert.notEqual(after.etag, during.etag);
    const nlbAfter = await nlbClient.getNetworkLoadBalancer({ networkLoadBalancerId: nlbId });
    assert.equal(nlbAfter.networkLoadBalancer.lifecycleState, "ACTIVE");
  });
});

Deno.test("classic updateBackendSet() without healthChecker answers 400 MissingParameter", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    const error = await ociErrorOf(lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
      updateBackendSetDetails: {
        policy: "ROUND_ROBIN",
        backends: [],
      } as unknown as lb.models.UpdateBackendSetDetails,
    }));
    assert.equal(error.statusCode, 400);
    assert.equal(error.serviceCode, "MissingParameter");
    assert.match(error.message, /healthChecker/);
    assert.equal(sim.counters().total.mutations, 0);
  });
});

Deno.test("classic updateBackendSet() stores every attribute sent and drops those left out", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    const put = await lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-https",
      updateBackendSetDetails: {
        policy: "IP_HASH",
        backends: [{ ipAddress: "10.0.0.10", port: 30443, maxConnections: 500, backup: true }],
        backendMaxConnections: 900,
        healthChecker: { ...healthChecker, isForcePlainText: true },
        sslConfiguration: { verifyDepth: 2, verifyPeerCertificate: false, protocols: ["TLSv1.3"] },
      },
    });
    await lbWorkRequestEnd(lbClient, put.opcWorkRequestId);
    const stored = sim.getBackendSet(lbId, "web-https")!.body;
    assert.equal(stored.policy, "IP_HASH");
    assert.equal(stored.backendMaxConnections, 900);
    assert.deepEqual(stored.sslConfiguration, {
      verifyDepth: 2,
      verifyPeerCertificate: false,
      protocols: ["TLSv1.3"],
    });
    assert.equal((stored.healthChecker as Record<string, unknown>).isForcePlainText, true);
    assert.equal((stored.backends as Record<string, unknown>[])[0]?.maxConnections, 500);
    // A full replacement: the seeded LB-cookie persistence was not sent, so it is gone.
    assert.equal(stored.lbCookieSessionPersistenceConfiguration, undefined);
  });
});

Deno.test("NLB updateBackendSet() with only backends keeps policy, health checker and flags", async () => {
  await withSim(async ({ sim, nlbId, nlbClient }) => {
    const before = sim.getBackendSet(nlbId, "web-tcp")!.body;
    const put = await nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: { backends: [{ ipAddress: "10.0.0.20", port: 31000 }] },
    });
    await nlbWorkRequestEnd(nlbClient, put.opcWorkRequestId);
    const after = sim.getBackendSet(nlbId, "web-tcp")!.body;
    const { backends: _before, ...keptBefore } = before;
    const { backends, ...keptAfter } = after;
    assert.deepEqual(keptAfter, keptBefore);
    assert.equal((backends as unknown[]).length, 1);
  });
});

Deno.test("updateBackendSet() refuses weight 0, duplicate ip:port and the wrong IP family with 400", async () => {
  await withSim(async ({ lbId, nlbId, lbClient, nlbClient }) => {
    const badWeight = await ociErrorOf(lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
      updateBackendSetDetails: {
        policy: "ROUND_ROBIN",
        backends: [{ ipAddress: "10.0.0.10", port: 30080, weight: 0 }],
        healthChecker,
      },
    }));
    assert.equal(badWeight.statusCode, 400);
    assert.match(badWeight.message, /weight/);

    const duplicate = await ociErrorOf(nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: {
        backends: [{ ipAddress: "10.0.0.10", port: 30080 }, {
          ipAddress: "10.0.0.10",
          port: 30080,
        }],
      },
    }));
    assert.equal(duplicate.statusCode, 400);
    assert.match(duplicate.message, /10\.0\.0\.10:30080/);

    const family = await ociErrorOf(nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: { backends: [{ ipAddress: "fd00::10", port: 30080 }] },
    }));
    assert.equal(family.statusCode, 400);
    assert.match(family.message, /IPV4/);
  });
});

Deno.test("a FAILED work request leaves the backend set unchanged", async () => {
  await withSim(async ({ sim, lbId, nlbId, lbClient, nlbClient }) => {
    const lbBefore = sim.getBackendSet(lbId, "web-http")!;
    const nlbBefore = sim.getBackendSet(nlbId, "web-tcp")!;
    sim.failNextWorkRequests({ count: 2 });

    const lbPut = await lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
      updateBackendSetDetails: {
        policy: "ROUND_ROBIN",
        backends: [{ ipAddress: "10.0.0.10", port: 30080 }],
        healthChecker,
      },
    });
    const lbWorkRequest = await lbWorkRequestEnd(lbClient, lbPut.opcWorkRequestId);
    assert.equal(lbWorkRequest.lifecycleState, "FAILED");
    assert.equal(lbWorkRequest.errorDetails[0]?.errorCode, "INTERNAL_ERROR");

    const nlbPut = await nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: { backends: [{ ipAddress: "10.0.0.10", port: 30080 }] },
    });
    const nlbWorkRequest = await nlbWorkRequestEnd(nlbClient, nlbPut.opcWorkRequestId);
    assert.equal(nlbWorkRequest.status, "FAILED");
    const errors = await nlbClient.listWorkRequestErrors({
      workRequestId: nlbPut.opcWorkRequestId,
      compartmentId: DEMO_COMPARTMENT_ID,
    });
    assert.equal(errors.workRequestErrorCollection.items?.length, 1);

    assert.deepEqual(sim.getBackendSet(lbId, "web-http"), lbBefore);
    assert.deepEqual(sim.getBackendSet(nlbId, "web-tcp"), nlbBefore);
  });
});

Deno.test("a 404 says whether the load balancer or the backend set is missing", async () => {
  await withSim(async ({ lbId, nlbId, lbClient, nlbClient }) => {
    const noLb = await ociErrorOf(lbClient.getBackendSet({
      loadBalancerId: "ocid1.loadbalancer.oc1.iad.nothere",
      backendSetName: "web-http",
    }));
    assert.equal(noLb.statusCode, 404);
    assert.equal(noLb.serviceCode, "NotAuthorizedOrNotFound");
    assert.match(noLb.message, /^Load balancer "ocid1\.loadbalancer\.oc1\.iad\.nothere"/);

    const noSet = await ociErrorOf(
      lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "nope" }),
    );
    assert.equal(noSet.serviceCode, "NotAuthorizedOrNotFound");
    assert.match(noSet.message, /^Backend set "nope"/);

    // An NLB OCID is not a classic load balancer.
    const wrongApi = await ociErrorOf(lbClient.getLoadBalancer({ loadBalancerId: nlbId }));
    assert.equal(wrongApi.statusCode, 404);

    const noNlbSet = await ociErrorOf(nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "nope",
      updateBackendSetDetails: { backends: [] },
    }));
    assert.match(noNlbSet.message, /^Backend set "nope" not found in network load balancer/);
  });
});

Deno.test("getLoadBalancer() and listWorkRequests() show backend sets and past work requests", async () => {
  await withSim(async ({ lbId, nlbId, lbClient, nlbClient }) => {
    const { loadBalancer } = await lbClient.getLoadBalancer({ loadBalancerId: lbId });
    assert.equal(loadBalancer.lifecycleState, "ACTIVE");
    assert.deepEqual(Object.keys(loadBalancer.backendSets ?? {}), ["web-http", "web-https"]);
    const { networkLoadBalancer } = await nlbClient.getNetworkLoadBalancer({
      networkLoadBalancerId: nlbId,
    });
    assert.deepEqual(Object.keys(networkLoadBalancer.backendSets ?? {}), ["web-tcp"]);

    const lbPut = await lbClient.updateBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
      updateBackendSetDetails: { policy: "ROUND_ROBIN", backends: [], healthChecker },
    });
    const nlbPut = await nlbClient.updateBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
      updateBackendSetDetails: { backends: [] },
    });
    const lbList = await lbClient.listWorkRequests({ loadBalancerId: lbId });
    assert.deepEqual(lbList.items.map((wr) => wr.id), [lbPut.opcWorkRequestId]);
    const nlbList = await nlbClient.listWorkRequests({ compartmentId: DEMO_COMPARTMENT_ID });
    assert.deepEqual(nlbList.workRequestCollection.items?.map((wr) => wr.id), [
      nlbPut.opcWorkRequestId,
    ]);
  });
});
