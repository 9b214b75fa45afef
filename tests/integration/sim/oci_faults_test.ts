import assert from "node:assert/strict";
import * as common from "oci-common";
import type * as lb from "oci-loadbalancer";
import type * as nlb from "oci-networkloadbalancer";
import { connectOciSim } from "../../../src/sim/oci/control_client.ts";
import { type OciSim, startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { seedDemo } from "../../../src/sim/oci/seed.ts";
import { generateOciTestKey, ociClients } from "../../support/oci_keys.ts";

const key = generateOciTestKey();
const healthChecker = { protocol: "HTTP", urlPath: "/healthz", port: 10256, returnCode: 200 };

async function withSim(
  test: (ctx: {
    sim: OciSim;
    lbId: string;
    nlbId: string;
    lbClient: lb.LoadBalancerClient;
    nlbClient: nlb.NetworkLoadBalancerClient;
  }) => Promise<void>,
) {
  const sim = startOciSim({ workRequestDelayMs: 0 });
  try {
    const { lbId, nlbId } = seedDemo(sim);
    sim.registerKey(key.keyId, key.publicPem);
    await test({ sim, lbId, nlbId, ...ociClients(sim.url, key) });
  } finally {
    await sim.stop();
  }
}

async function errorOf(call: Promise<unknown>): Promise<unknown> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error !== undefined, "expected the call to fail");
  return error;
}

async function ociErrorOf(call: Promise<unknown>): Promise<common.OciError> {
  const error = await errorOf(call);
  assert.ok(error instanceof common.OciError, `expected an OciError, got ${JSON.stringify(error)}`);
  return error;
}

const nlbPut = (client: nlb.NetworkLoadBalancerClient, nlbId: string, ifMatch?: string) =>
  client.updateBackendSet({
    networkLoadBalancerId: nlbId,
    backendSetName: "web-tcp",
    ifMatch,
    updateBackendSetDetails: { backends: [{ ipAddress: "10.0.0.7", port: 30080 }] },
  });

const lbPut = (client: lb.LoadBalancerClient, lbId: string) =>
  client.updateBackendSet({
    loadBalancerId: lbId,
    backendSetName: "web-http",
    updateBackendSetDetails: {
      policy: "ROUND_ROBIN",
      backends: [{ ipAddress: "10.0.0.7", port: 30080 }],
      healthChecker,
    },
  });

Deno.test("updateBackendSet() answers 409 while a work request on the LB is unfinished", async () => {
  await withSim(async ({ sim, lbId, nlbId, lbClient, nlbClient }) => {
    sim.hangNextWorkRequests({ count: 2 });
    const firstNlb = await nlbPut(nlbClient, nlbId);
    const busyNlb = await ociErrorOf(nlbPut(nlbClient, nlbId));
    assert.equal(busyNlb.statusCode, 409);
    assert.equal(busyNlb.serviceCode, "Conflict");
    assert.equal(
      busyNlb.message,
      "Invalid State Transition of NLB lifeCycle state from Updating to Updating",
    );

    const firstLb = await lbPut(lbClient, lbId);
    const busyLb = await ociErrorOf(lbPut(lbClient, lbId));
    assert.equal(busyLb.statusCode, 409);
    assert.equal(busyLb.serviceCode, "Conflict");
    assert.match(busyLb.message, new RegExp(firstLb.opcWorkRequestId.replaceAll(".", "\\.")));

    sim.completeWorkRequest(firstNlb.opcWorkRequestId);
    const next = await nlbPut(nlbClient, nlbId);
    assert.ok(next.opcWorkRequestId);

    const { total, byLb } = sim.counters();
    assert.deepEqual(byLb[nlbId], { requests: 3, mutations: 2, conflicts: 1, overlaps: 1 });
    assert.deepEqual(byLb[lbId], { requests: 2, mutations: 1, conflicts: 1, overlaps: 1 });
    assert.equal(total.conflicts, 2);
  });
});

Deno.test("a PUT arriving while another PUT on the LB is handled counts as an overlap", async () => {
  await withSim(async ({ sim, nlbId, nlbClient }) => {
    sim.hangNextWorkRequests({ lbId: nlbId });
    sim.addLatency({ op: "updateBackendSet", lbId: nlbId, ms: 30, count: 2 });
    const [first, second] = await Promise.allSettled([
      nlbPut(nlbClient, nlbId),
      nlbPut(nlbClient, nlbId),
    ]);
    assert.deepEqual([first.status, second.status].sort(), ["fulfilled", "rejected"]);
    const counters = sim.counters().byLb[nlbId];
    assert.equal(counters?.overlaps, 1);
    assert.equal(counters?.conflicts, 1);
    assert.equal(counters?.mutations, 1);
  });
});

Deno.test("updateBackendSet() with a stale if-match answers 412 and changes nothing", async () => {
  await withSim(async ({ sim, nlbId, nlbClient }) => {
    const { etag } = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "web-tcp",
    });
    // Someone edits the set by hand in the console: drift, new etag, no work request.
    sim.setBackends(nlbId, "web-tcp", [{ ipAddress: "10.0.0.99", port: 30080 }]);
    const error = await ociErrorOf(nlbPut(nlbClient, nlbId, etag));
    assert.equal(error.statusCode, 412);
    assert.equal(error.serviceCode, "NoEtagMatch");
    const stored = sim.getBackendSet(nlbId, "web-tcp")!;
    assert.deepEqual(
      (stored.body.backends as { name: string }[]).map((b) => b.name),
      ["10.0.0.99:30080"],
    );
    const fresh = await nlbPut(nlbClient, nlbId, stored.etag);
    assert.ok(fresh.opcWorkRequestId);
    assert.equal(sim.counters().total.mutations, 1);
  });
});

Deno.test("inject() answers 429 and 500 to the matching calls only, count times", async () => {
  await withSim(async ({ sim, lbId, nlbId, lbClient, nlbClient }) => {
    sim.inject({ op: "getBackendSet", lbId, status: 429 });
    sim.inject({ op: "updateBackendSet", status: 500, count: 2 });

    // Another LB and another operation are not affected.
    await nlbClient.getBackendSet({ networkLoadBalancerId: nlbId, backendSetName: "web-tcp" });
    const throttled = await ociErrorOf(
      lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" }),
    );
    assert.equal(throttled.statusCode, 429);
    assert.equal(throttled.serviceCode, "TooManyRequests");
    await lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" });

    for (let i = 0; i < 2; i++) {
      const failed = await ociErrorOf(nlbPut(nlbClient, nlbId));
      assert.equal(failed.statusCode, 500);
      assert.equal(failed.serviceCode, "InternalServerError");
    }
    assert.ok((await nlbPut(nlbClient, nlbId)).opcWorkRequestId);
    assert.deepEqual(
      sim.requests().map((r) => [r.operation, r.status, r.fault]),
      [
        ["getBackendSet", 200, undefined],
        ["getBackendSet", 429, "status"],
        ["getBackendSet", 200, undefined],
        ["updateBackendSet", 500, "status"],
        ["updateBackendSet", 500, "status"],
        ["updateBackendSet", 202, undefined],
      ],
    );
  });
});

Deno.test("dropNextConnections() closes the connection and the SDK sees a network error", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    // Warm the keep-alive pool first: a drop on a reused connection must still surface.
    await lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" });
    sim.dropNextConnections({ op: "getBackendSet" });
    const error = await errorOf(
      lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" }),
    );
    assert.ok(!(error instanceof common.OciError));
    assert.equal((error as { message?: string }).message, "fetch failed");

    const after = await lbClient.getBackendSet({
      loadBalancerId: lbId,
      backendSetName: "web-http",
    });
    assert.equal(after.backendSet.name, "web-http");
    assert.ok(sim.requests().some((r) => r.fault === "drop" && r.status === 0));
  });
});

Deno.test("requests() logs operation, LB, status and the SDK's opc-request-id; reset() clears it", async () => {
  await withSim(async ({ sim, lbId, lbClient }) => {
    const got = await lbClient.getBackendSet({ loadBalancerId: lbId, backendSetName: "web-http" });
    const put = await lbPut(lbClient, lbId);
    const { workRequest } = await lbClient.getWorkRequest({ workRequestId: put.opcWorkRequestId });
    assert.equal(workRequest.lifecycleState, "SUCCEEDED");

    const log = sim.requests();
    assert.deepEqual(log.map((r) => [r.method, r.operation, r.lbId, r.status]), [
      ["GET", "getBackendSet", lbId, 200],
      ["PUT", "updateBackendSet", lbId, 202],
      ["GET", "getWorkRequest", lbId, 200],
    ]);
    assert.equal(log[0]?.opcRequestId, got.opcRequestId);
    assert.equal(log[0]?.backendSetName, "web-http");
    assert.equal(log[1]?.workRequestId, put.opcWorkRequestId);
    assert.ok(log.every((r) => r.finishedAt >= r.startedAt));

    sim.reset();
    assert.deepEqual(sim.requests(), []);
    assert.equal(sim.counters().total.requests, 0);
  });
});

Deno.test("connectOciSim() drives the simulator over its /_sim HTTP control API", async () => {
  const sim = startOciSim({ workRequestDelayMs: 0 });
  try {
    const remote = connectOciSim(sim.url);
    const nlbId = "ocid1.networkloadbalancer.oc1.iad.remote";
    await remote.registerKey(key.keyId, key.publicPem);
    await remote.addLoadBalancer({ id: nlbId, compartmentId: "ocid1.compartment.oc1..remote" });
    await remote.addBackendSet(nlbId, "dns", {
      policy: "TWO_TUPLE",
      healthChecker: {
        protocol: "DNS",
        dns: { domainName: "example.com", queryType: "A", transportProtocol: "UDP" },
      },
    });
    await remote.inject({ op: "getBackendSet", status: 500 });

    const { nlbClient } = ociClients(sim.url, key);
    const failed = await ociErrorOf(
      nlbClient.getBackendSet({ networkLoadBalancerId: nlbId, backendSetName: "dns" }),
    );
    assert.equal(failed.statusCode, 500);
    const got = await nlbClient.getBackendSet({
      networkLoadBalancerId: nlbId,
      backendSetName: "dns",
    });
    assert.equal(got.backendSet.healthChecker.dns?.domainName, "example.com");

    assert.equal((await remote.counters()).byLb[nlbId]?.requests, 2);
    assert.equal((await remote.getBackendSet(nlbId, "dns"))?.etag, got.etag);
    await assert.rejects(
      remote.addLoadBalancer({ id: "ocid1.bucket.oc1..x" }),
      /expected an OCID starting with ocid1\.loadbalancer\./,
    );
    const counters = await fetch(`${sim.url}/_sim/counters`);
    assert.equal((await counters.json()).result.total.requests, 2);
  } finally {
    await sim.stop();
  }
});
