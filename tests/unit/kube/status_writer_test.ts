import assert from "node:assert/strict";
import type { LBRegistrar, LBRegistrarStatus } from "../../../src/api/types.ts";
import type { KubeRequest, KubeResponse } from "../../../src/kube/_http.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import { createStatusWriter } from "../../../src/kube/status_writer.ts";

const NOW = Date.parse("2026-11-23T20:00:00Z");

function recorder(answer: () => KubeResponse = () => ok()) {
  const calls: { method: string; path: string; body: unknown; contentType?: string }[] = [];
  const request: KubeRequest = (method, path, options = {}) => {
    calls.push({ method, path, body: options.body, contentType: options.contentType });
    return Promise.resolve(answer());
  };
  return { calls, request };
}

function ok(): KubeResponse {
  return { status: 200, text: JSON.stringify({ metadata: { resourceVersion: "2" } }) };
}

function lbr(status?: LBRegistrarStatus, resourceVersion = "1"): LBRegistrar {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name: "web", resourceVersion, generation: 1 },
    spec: { loadBalancerId: "ocid1.loadbalancer.oc1..a" },
    ...(status ? { status } : {}),
  };
}

const READY: LBRegistrarStatus = {
  phase: "READY",
  backendCount: 2,
  conditions: [{
    type: "Ready",
    status: "True",
    reason: "BackendsRegistered",
    message: "2 backends",
    lastTransitionTime: "",
  }],
};

Deno.test("patchStatus() sends one merge patch to /status with the transition time filled in", async () => {
  const { calls, request } = recorder();
  const patchStatus = createStatusWriter({ request, current: () => lbr(), now: () => NOW });
  await patchStatus("web", READY);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.method, "PATCH");
  assert.equal(calls[0]?.path, "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web/status");
  assert.equal(calls[0]?.contentType, "application/merge-patch+json");
  const sent = calls[0]?.body as { status: LBRegistrarStatus };
  assert.equal(sent.status.conditions?.[0]?.lastTransitionTime, "2026-11-23T20:00:00Z");
});

Deno.test("patchStatus() does not resend an identical status before the reflector catches up", async () => {
  const { calls, request } = recorder();
  const patchStatus = createStatusWriter({ request, current: () => lbr(), now: () => NOW });
  await patchStatus("web", READY);
  await patchStatus("web", READY);
  assert.equal(calls.length, 1);
});

Deno.test("patchStatus() sends nothing when the stored status already matches", async () => {
  const stored = {
    ...READY,
    conditions: [{ ...READY.conditions![0]!, lastTransitionTime: "2026-11-01T00:00:00Z" }],
  };
  const { calls, request } = recorder();
  const patchStatus = createStatusWriter({ request, current: () => lbr(stored), now: () => NOW });
  await patchStatus("web", READY);
  assert.equal(calls.length, 0);
});

Deno.test("patchStatus() nulls the fields the new status no longer has", async () => {
  const { calls, request } = recorder();
  const current = () => lbr({ phase: "ERROR", lastSyncTime: "2026-11-22T00:00:00Z" });
  const patchStatus = createStatusWriter({ request, current, now: () => NOW });
  await patchStatus("web", { phase: "PENDING" });
  assert.deepEqual(calls[0]?.body, { status: { phase: "PENDING", lastSyncTime: null } });
});

Deno.test("patchStatus() treats 404 (object deleted meanwhile) as done", async () => {
  const { request } = recorder(() => ({ status: 404, text: '{"kind":"Status","code":404}' }));
  const patchStatus = createStatusWriter({ request, current: () => undefined, now: () => NOW });
  await assert.doesNotReject(patchStatus("web", READY));
});

Deno.test("patchStatus() throws a transient KubeError with the server's message on 500", async () => {
  const { request } = recorder(() => ({
    status: 500,
    text: '{"kind":"Status","message":"etcdserver: request timed out","code":500}',
  }));
  const patchStatus = createStatusWriter({ request, current: () => lbr(), now: () => NOW });
  await assert.rejects(patchStatus("web", READY), (error) => {
    assert.ok(error instanceof KubeError);
    assert.equal(error.kind, "transient");
    assert.equal(
      error.message,
      'Cannot patch status of LBRegistrar "web": etcdserver: request timed out (HTTP 500)',
    );
    return true;
  });
});
