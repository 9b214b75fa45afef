import assert from "node:assert/strict";
import type { LBRegistrar } from "../../../src/api/types.ts";
import type { KubeRequest, KubeResponse } from "../../../src/kube/_http.ts";
import { createEventRecorder } from "../../../src/kube/event_recorder.ts";

const LBR: LBRegistrar = {
  apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
  kind: "LBRegistrar",
  metadata: { name: "web", uid: "u1" },
  spec: { loadBalancerId: "ocid1.loadbalancer.oc1..a" },
};
const REGISTERED = { type: "Normal" as const, reason: "Registered", message: "10.0.0.5:30080" };

function fakeApi(patchStatus = 200) {
  const calls: { method: string; path: string; body: Record<string, unknown> }[] = [];
  const request: KubeRequest = (method, path, options = {}) => {
    calls.push({ method, path, body: options.body as Record<string, unknown> });
    const response: KubeResponse = method === "PATCH"
      ? { status: patchStatus, text: "{}" }
      : { status: 201, text: "{}" };
    return Promise.resolve(response);
  };
  return { calls, request };
}

Deno.test("recordEvent() creates a core/v1 Event in default about the LBRegistrar", async () => {
  const { calls, request } = fakeApi();
  const recordEvent = createEventRecorder({
    request,
    instance: "pod-a",
    now: () => 1_700_000_000_500,
  });
  await recordEvent(LBR, REGISTERED);
  assert.equal(calls[0]?.method, "POST");
  assert.equal(calls[0]?.path, "/api/v1/namespaces/default/events");
  const body = calls[0]!.body;
  assert.deepEqual(body.involvedObject, {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    name: "web",
    uid: "u1",
  });
  assert.deepEqual(
    [body.type, body.reason, body.message, body.count, body.firstTimestamp, body.reportingInstance],
    ["Normal", "Registered", "10.0.0.5:30080", 1, "2023-11-14T22:13:20Z", "pod-a"],
  );
  assert.deepEqual(body.source, { component: "oci-lb-registrar" });
});

Deno.test("recordEvent() patches count and lastTimestamp for a repeat within the window", async () => {
  const { calls, request } = fakeApi();
  let now = 1_700_000_000_000;
  const recordEvent = createEventRecorder({ request, instance: "pod-a", now: () => now });
  await recordEvent(LBR, REGISTERED);
  now += 60_000;
  await recordEvent(LBR, REGISTERED);
  const created = calls[0]!.body.metadata as { name: string };
  assert.equal(calls[1]?.method, "PATCH");
  assert.equal(calls[1]?.path, `/api/v1/namespaces/default/events/${created.name}`);
  assert.deepEqual(calls[1]?.body, { count: 2, lastTimestamp: "2023-11-14T22:14:20Z" });
});

Deno.test("recordEvent() creates a new Event after the window or for another message", async () => {
  const { calls, request } = fakeApi();
  let now = 1_700_000_000_000;
  const recordEvent = createEventRecorder({
    request,
    instance: "pod-a",
    now: () => now,
    aggregateWindowMs: 1000,
  });
  await recordEvent(LBR, REGISTERED);
  await recordEvent(LBR, { ...REGISTERED, message: "10.0.0.6:30080" });
  now += 5000;
  await recordEvent(LBR, REGISTERED);
  assert.deepEqual(calls.map((c) => c.method), ["POST", "POST", "POST"]);
});

Deno.test("recordEvent() creates a new Event when the old one is gone (404 on patch)", async () => {
  const { calls, request } = fakeApi(404);
  const recordEvent = createEventRecorder({ request, instance: "pod-a", now: () => 1 });
  await recordEvent(LBR, REGISTERED);
  await recordEvent(LBR, REGISTERED);
  assert.deepEqual(calls.map((c) => c.method), ["POST", "PATCH", "POST"]);
});

Deno.test("recordEvent() serialises identical concurrent events into one create and one patch", async () => {
  const { calls, request } = fakeApi();
  const recordEvent = createEventRecorder({ request, instance: "pod-a", now: () => 1 });
  await Promise.all([recordEvent(LBR, REGISTERED), recordEvent(LBR, REGISTERED)]);
  assert.deepEqual(calls.map((c) => c.method), ["POST", "PATCH"]);
});

Deno.test("recordEvent() forgets the least recently used event beyond cacheSize", async () => {
  const { calls, request } = fakeApi();
  const recordEvent = createEventRecorder({
    request,
    instance: "pod-a",
    now: () => 1,
    cacheSize: 1,
  });
  await recordEvent(LBR, REGISTERED);
  await recordEvent(LBR, { ...REGISTERED, reason: "Draining" });
  await recordEvent(LBR, REGISTERED);
  assert.deepEqual(calls.map((c) => c.method), ["POST", "POST", "POST"]);
});
