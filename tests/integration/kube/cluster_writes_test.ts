import assert from "node:assert/strict";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import type { RequestRecord } from "../../../src/sim/kube/request_log.ts";
import { eventually } from "../../support/kube_sim.ts";
import { clusterOnSim, lbrManifest } from "./_cluster.ts";

const LBR_REF = { apiVersion: "nodes.peppy-ratio.dev/v1alpha1", kind: "LBRegistrar" };
const FINALIZER = "nodes.peppy-ratio.dev/deregister";

function statusPatches(requests: readonly RequestRecord[], name: string) {
  return requests.filter((r) =>
    r.method === "PATCH" &&
    r.path === `/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/${name}/status`
  );
}

Deno.test("patchStatus() sends one request for the same status written twice", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  c.t.sim.create(lbrManifest("web"));
  await eventually(() => c.cluster.view().lbRegistrars.has("web"), "LBRegistrar in view");
  const status = {
    phase: "READY" as const,
    backendCount: 1,
    conditions: [{
      type: "Ready" as const,
      status: "True" as const,
      reason: "BackendsRegistered" as const,
      message: "1 backend registered",
      lastTransitionTime: "",
    }],
  };
  await c.cluster.patchStatus("web", status);
  await c.cluster.patchStatus("web", status);
  await eventually(
    () => c.cluster.view().lbRegistrars.get("web")?.status?.phase === "READY",
    "status in view",
  );
  await c.cluster.patchStatus("web", status);
  const patches = statusPatches(c.t.sim.requests, "web");
  assert.equal(patches.length, 1);
  assert.equal(patches[0]?.contentType, "application/merge-patch+json");
  const stored = c.t.sim.get({ ...LBR_REF, name: "web" })?.status as LBRegistrar["status"];
  assert.equal(stored?.conditions?.[0]?.lastTransitionTime.endsWith("Z"), true);
});

Deno.test("patchStatus() on an LBRegistrar deleted meanwhile is not an error", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  await assert.doesNotReject(c.cluster.patchStatus("gone", { phase: "PENDING" }));
  assert.equal(statusPatches(c.t.sim.requests, "gone")[0]?.status, 404);
});

Deno.test("readSecretKey() returns the decoded value from an allowed namespace", async () => {
  await using c = await clusterOnSim({}, { secretNamespaces: ["default"] });
  c.t.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "oci", namespace: "default" },
    data: { key: btoa("-----BEGIN PRIVATE KEY-----\nabc\n"), passphrase: btoa("pw") },
  });
  const value = await c.cluster.readSecretKey({
    namespace: "default",
    name: "oci",
    key: "passphrase",
  });
  assert.equal(value, "pw");
});

Deno.test("readSecretKey() refuses a namespace outside --secret-namespaces without a request", async () => {
  await using c = await clusterOnSim({}, { secretNamespaces: ["default", "lb-system"] });
  await assert.rejects(
    c.cluster.readSecretKey({ namespace: "kube-system", name: "oci", key: "key" }),
    (error) => {
      assert.ok(error instanceof KubeError);
      assert.equal(error.kind, "namespace-not-allowed");
      assert.equal(
        error.message,
        'Cannot read secret "kube-system/oci": namespace "kube-system" is not in --secret-namespaces (allowed: default, lb-system)',
      );
      return true;
    },
  );
  assert.equal(c.t.sim.requests.filter((r) => r.path.includes("/secrets/")).length, 0);
});

Deno.test("readSecretKey() reports a missing Secret as not-found", async () => {
  await using c = await clusterOnSim({}, { secretNamespaces: "*" });
  await assert.rejects(
    c.cluster.readSecretKey({ namespace: "default", name: "nope", key: "key" }),
    (error) =>
      error instanceof KubeError && error.kind === "not-found" &&
      error.message === 'Cannot read secret "default/nope": not found',
  );
});

Deno.test("readSecretKey() names the available keys when the key is missing", async () => {
  await using c = await clusterOnSim();
  c.t.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "oci", namespace: "default" },
    data: { privateKey: btoa("k"), fingerprint: btoa("f") },
  });
  await assert.rejects(
    c.cluster.readSecretKey({ namespace: "default", name: "oci", key: "key" }),
    (error) =>
      error instanceof KubeError && error.kind === "key-missing" &&
      error.message ===
        'Cannot read secret "default/oci": key "key" is missing (available keys: fingerprint, privateKey)',
  );
});

Deno.test("readSecretKey() classifies 403 as forbidden", async () => {
  await using c = await clusterOnSim();
  c.t.sim.injectFailure({
    pathPattern: "/secrets/oci",
    status: 403,
    message: 'secrets "oci" is forbidden',
  });
  await assert.rejects(
    c.cluster.readSecretKey({ namespace: "default", name: "oci", key: "key" }),
    (error) => error instanceof KubeError && error.kind === "forbidden" && error.status === 403,
  );
});

Deno.test("recordEvent() aggregates a repeated event into one Event with count 2", async () => {
  await using c = await clusterOnSim();
  const lbr = c.t.sim.create(lbrManifest("web")) as unknown as LBRegistrar;
  const event = { type: "Normal" as const, reason: "Registered", message: "10.0.0.5:30080" };
  await c.cluster.recordEvent(lbr, event);
  await c.cluster.recordEvent(lbr, event);
  const events = await c.t.sim.list("v1", "Event", { namespace: "default" });
  assert.equal(events.length, 1);
  const [stored] = events as unknown as Record<string, unknown>[];
  assert.equal(stored?.count, 2);
  assert.deepEqual(stored?.involvedObject, {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    name: "web",
    uid: lbr.metadata.uid,
  });
  assert.deepEqual([stored?.reason, stored?.type, stored?.reportingInstance], [
    "Registered",
    "Normal",
    "test-instance",
  ]);
});

Deno.test("setFinalizer() adds and removes the finalizer, and does nothing when already so", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  c.t.sim.create(lbrManifest("web"));
  await eventually(() => c.cluster.view().lbRegistrars.has("web"), "LBRegistrar in view");
  await c.cluster.setFinalizer("web", true);
  assert.deepEqual(c.t.sim.get({ ...LBR_REF, name: "web" })?.metadata.finalizers, [FINALIZER]);
  await eventually(
    () => c.cluster.view().lbRegistrars.get("web")?.metadata.finalizers?.length === 1,
    "finalizer in view",
  );
  c.t.sim.clearRequests();
  await c.cluster.setFinalizer("web", true);
  assert.equal(c.t.sim.requests.length, 0);
  await c.cluster.setFinalizer("web", false);
  assert.equal(c.t.sim.get({ ...LBR_REF, name: "web" })?.metadata.finalizers, undefined);
});

Deno.test("setFinalizer() re-reads on 409 and keeps another controller's finalizer", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  c.t.sim.create(lbrManifest("web"));
  await eventually(() => c.cluster.view().lbRegistrars.has("web"), "LBRegistrar in view");
  // Changed behind the reflector's back: its cached resourceVersion is now stale.
  c.t.sim.patch({ ...LBR_REF, name: "web" }, { metadata: { finalizers: ["example.com/other"] } });
  await c.cluster.setFinalizer("web", true);
  assert.deepEqual(c.t.sim.get({ ...LBR_REF, name: "web" })?.metadata.finalizers, [
    "example.com/other",
    FINALIZER,
  ]);
  assert.ok(c.t.sim.requests.some((r) => r.method === "PATCH" && r.status === 409));
});

Deno.test("setFinalizer() removing the last finalizer releases a terminating object; gone is a no-op", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  c.t.sim.create(lbrManifest("web", { finalizers: [FINALIZER] }));
  c.t.sim.delete({ ...LBR_REF, name: "web" });
  await eventually(
    () => Boolean(c.cluster.view().lbRegistrars.get("web")?.metadata.deletionTimestamp),
    "deletion in view",
  );
  await c.cluster.setFinalizer("web", false);
  assert.equal(c.t.sim.get({ ...LBR_REF, name: "web" }), undefined);
  await assert.doesNotReject(c.cluster.setFinalizer("web", false));
});
