import assert from "node:assert/strict";
import { OciError } from "../../../src/oci/errors.ts";
import { ociOutcome, withOciMetrics } from "../../../src/oci/metered.ts";
import type { BackendSetSnapshot, LoadBalancers, OciCredentials } from "../../../src/oci/port.ts";
import type { OciOperation, OciOutcome } from "../../../src/serve/metrics_recorder.ts";

const CREDENTIALS: OciCredentials = { kind: "default", region: "eu-frankfurt-1" };
const REF = { loadBalancerId: "ocid1.loadbalancer.oc1..aaaa", backendSetName: "bs1" };
const SNAPSHOT: BackendSetSnapshot = { ref: REF, backends: [], etag: "e1", attributes: {} };

function recorder() {
  const calls: { operation: OciOperation; outcome: OciOutcome; seconds: number }[] = [];
  return {
    calls,
    ociRequest(operation: OciOperation, outcome: OciOutcome, seconds: number) {
      calls.push({ operation, outcome, seconds });
    },
  };
}

/** A clock that moves 250 ms on every read, so each call lasts 0.25 s. */
function steppingClock() {
  let now = 0;
  return () => (now += 250);
}

Deno.test("withOciMetrics() records each operation as ok with its latency and passes results through", async () => {
  const fake: LoadBalancers = {
    getBackendSet: () => Promise.resolve(SNAPSHOT),
    replaceBackends: () => Promise.resolve({ workRequestId: "wr1" }),
    getWorkRequest: () => Promise.resolve({ state: "SUCCEEDED" }),
  };
  const metrics = recorder();
  const oci = withOciMetrics(fake, metrics, { now: steppingClock() });
  assert.equal(await oci.getBackendSet(REF, CREDENTIALS), SNAPSHOT);
  assert.deepEqual(await oci.replaceBackends(SNAPSHOT, [], CREDENTIALS), { workRequestId: "wr1" });
  assert.deepEqual(await oci.getWorkRequest(REF.loadBalancerId, "wr1", CREDENTIALS), {
    state: "SUCCEEDED",
  });
  assert.deepEqual(metrics.calls, [
    { operation: "get_backend_set", outcome: "ok", seconds: 0.25 },
    { operation: "replace_backends", outcome: "ok", seconds: 0.25 },
    { operation: "get_work_request", outcome: "ok", seconds: 0.25 },
  ]);
});

Deno.test("withOciMetrics() classifies a failure by OciError kind and rethrows it unchanged", async () => {
  const busy = new OciError("busy", { kind: "conflict", status: 409 });
  const fake: LoadBalancers = {
    getBackendSet: () => Promise.reject(new OciError("gone", { kind: "lb-not-found" })),
    replaceBackends: () => Promise.reject(busy),
    getWorkRequest: () => Promise.reject(new Error("aborted")),
  };
  const metrics = recorder();
  const oci = withOciMetrics(fake, metrics, { now: steppingClock() });
  await assert.rejects(oci.getBackendSet(REF, CREDENTIALS), /gone/);
  await assert.rejects(oci.replaceBackends(SNAPSHOT, [], CREDENTIALS), (error) => error === busy);
  await assert.rejects(oci.getWorkRequest(REF.loadBalancerId, "wr1", CREDENTIALS), /aborted/);
  assert.deepEqual(metrics.calls.map((c) => `${c.operation}:${c.outcome}`), [
    "get_backend_set:not_found",
    "replace_backends:conflict",
    "get_work_request:error",
  ]);
});

Deno.test("ociOutcome() maps every OciError kind to a label value", () => {
  const cases: [ConstructorParameters<typeof OciError>[1]["kind"], OciOutcome][] = [
    ["conflict", "conflict"],
    ["precondition", "precondition"],
    ["throttled", "throttled"],
    ["transient", "transient"],
    ["lb-not-found", "not_found"],
    ["backend-set-not-found", "not_found"],
    ["auth", "auth"],
    ["credentials", "credentials"],
    ["invalid", "invalid"],
    ["work-request-failed", "work_request_failed"],
    ["timeout", "timeout"],
  ];
  for (const [kind, outcome] of cases) {
    assert.equal(ociOutcome(new OciError("x", { kind })), outcome, kind);
  }
  assert.equal(ociOutcome("not an error"), "error");
});
