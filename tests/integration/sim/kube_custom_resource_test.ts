import { apiFetch, eventually, repoCrd, startTestKubeSim } from "../../support/kube_sim.ts";
import * as k8s from "@kubernetes/client-node";
import assert from "node:assert/strict";
import { lbRegistrarCrd } from "../../../src/sim/kube/lb_registrar_crd.ts";
import type { KubeObject } from "../../../src/sim/kube/resource_type.ts";

const LBR = { group: "nodes.peppy-ratio.dev", version: "v1alpha1", plural: "lbregistrars" };
const MERGE = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);
const LB_ID = "ocid1.loadbalancer.oc1.phx.aaaaaaaaexample";

function lbr(name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name, ...extra.metadata },
    spec: { loadBalancerId: LB_ID, backendSetName: "bs1", nodePort: 30080 },
  };
}

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof k8s.ApiException, `expected an ApiException, got ${error}`);
  return { code: error.code, body: JSON.parse(error.body as string) };
}

// The repository CRD when another helper has written it, else the simulator's minimal one.
async function startWithCrd() {
  const t = await startTestKubeSim({ crds: [] });
  const crd = (await repoCrd()) ?? lbRegistrarCrd();
  const ext = t.kc.makeApiClient(k8s.ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({
    body: crd as unknown as k8s.V1CustomResourceDefinition,
  });
  return { t, custom: t.kc.makeApiClient(k8s.CustomObjectsApi) };
}

Deno.test("startKubeSim() serves a custom resource and lists its group in discovery once its CRD is created", async () => {
  await using t = await startTestKubeSim({ crds: [] });
  const before = await apiFetch(t.sim, "GET", "/apis");
  assert.ok(!before.text.includes("nodes.peppy-ratio.dev"));
  assert.equal(
    (await apiFetch(t.sim, "GET", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars")).status,
    404,
  );

  const crd = (await repoCrd()) ?? lbRegistrarCrd();
  const ext = t.kc.makeApiClient(k8s.ApiextensionsV1Api);
  await ext.createCustomResourceDefinition({
    body: crd as unknown as k8s.V1CustomResourceDefinition,
  });

  const groups = (await apiFetch(t.sim, "GET", "/apis")).json().groups as { name: string }[];
  assert.ok(groups.some((g) => g.name === "nodes.peppy-ratio.dev"));
  const stored = await ext.readCustomResourceDefinition({
    name: "lbregistrars.nodes.peppy-ratio.dev",
  });
  const established = stored.status?.conditions?.find((c) => c.type === "Established");
  assert.equal(established?.status, "True");
  const list = await t.kc.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject(LBR);
  assert.equal(list.kind, "LBRegistrarList");
  assert.deepEqual(list.items, []);
});

Deno.test("CustomObjectsApi merge-patches LBRegistrar status through /status without touching spec or generation", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  const created = await custom.createClusterCustomObject({ ...LBR, body: lbr("x") });
  assert.equal(created.metadata.generation, 1);
  const patched = await custom.patchClusterCustomObjectStatus({
    ...LBR,
    name: "x",
    body: { spec: { backendSetName: "ignored" }, status: { phase: "READY", backendCount: 2 } },
  }, MERGE);
  assert.deepEqual([patched.status.phase, patched.status.backendCount], ["READY", 2]);
  assert.equal(patched.spec.backendSetName, "bs1");
  assert.equal(patched.metadata.generation, 1);
});

Deno.test("startKubeSim() bumps generation on spec changes only and ignores status on the main resource", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  await custom.createClusterCustomObject({ ...LBR, body: lbr("x") });
  const labelled = await custom.patchClusterCustomObject({
    ...LBR,
    name: "x",
    body: { metadata: { labels: { a: "b" } } },
  }, MERGE);
  assert.equal(labelled.metadata.generation, 1);
  const statusOnMain = await custom.patchClusterCustomObject({
    ...LBR,
    name: "x",
    body: { status: { phase: "ERROR" } },
  }, MERGE);
  assert.equal(statusOnMain.status, undefined);
  assert.equal(
    statusOnMain.metadata.resourceVersion,
    labelled.metadata.resourceVersion,
    "a no-op write keeps the RV",
  );
  const specChanged = await custom.patchClusterCustomObject({
    ...LBR,
    name: "x",
    body: { spec: { backendSetName: "bs2" } },
  }, MERGE);
  assert.equal(specChanged.metadata.generation, 2);
});

Deno.test("startKubeSim() answers 409 Conflict to a PUT with a stale resourceVersion and 422 without one", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  const created = await custom.createClusterCustomObject({ ...LBR, body: lbr("g1") });
  await custom.patchClusterCustomObject(
    { ...LBR, name: "g1", body: { spec: { nodePort: 30081 } } },
    MERGE,
  );
  const stale = await errorOf(
    custom.replaceClusterCustomObject({ ...LBR, name: "g1", body: created }),
  );
  assert.equal(stale.code, 409);
  assert.deepEqual(stale.body, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message:
      'Operation cannot be fulfilled on lbregistrars.nodes.peppy-ratio.dev "g1": the object has been ' +
      "modified; please apply your changes to the latest version and try again",
    reason: "Conflict",
    details: { name: "g1", group: "nodes.peppy-ratio.dev", kind: "lbregistrars" },
    code: 409,
  });
  const withoutRv = { ...created, metadata: { ...created.metadata, resourceVersion: undefined } };
  const missing = await errorOf(
    custom.replaceClusterCustomObject({ ...LBR, name: "g1", body: withoutRv }),
  );
  assert.equal(missing.code, 422);
  assert.match(
    String(missing.body.message),
    /metadata\.resourceVersion: Invalid value: 0x0: must be specified for an update/,
  );
});

Deno.test("startKubeSim() answers 409 AlreadyExists to a create of an existing name", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  await custom.createClusterCustomObject({ ...LBR, body: lbr("dup") });
  const error = await errorOf(custom.createClusterCustomObject({ ...LBR, body: lbr("dup") }));
  assert.equal(error.code, 409);
  assert.equal(error.body.reason, "AlreadyExists");
  assert.equal(error.body.message, 'lbregistrars.nodes.peppy-ratio.dev "dup" already exists');
});

Deno.test("startKubeSim() marks a finalized object on delete and deletes it when the last finalizer goes", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  const finalizer = "nodes.peppy-ratio.dev/deregister";
  const created = await custom.createClusterCustomObject({
    ...LBR,
    body: lbr("g2", { metadata: { finalizers: [finalizer] } }),
  });
  const seen: { type: string; obj: KubeObject }[] = [];
  const watch = await new k8s.Watch(t.kc).watch(
    "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars",
    { resourceVersion: created.metadata.resourceVersion },
    (type, obj) => seen.push({ type, obj }),
    () => {},
  );
  const marked = await custom.deleteClusterCustomObject({ ...LBR, name: "g2" });
  assert.ok(marked.metadata.deletionTimestamp);
  assert.deepEqual(marked.metadata.finalizers, [finalizer]);
  assert.equal(marked.metadata.generation, 2);
  const released = await custom.patchClusterCustomObject({
    ...LBR,
    name: "g2",
    body: { metadata: { finalizers: null } },
  }, MERGE);
  assert.equal(released.metadata.resourceVersion, marked.metadata.resourceVersion);
  await eventually(() => seen.length === 2, "MODIFIED and DELETED");
  watch.abort();
  assert.deepEqual(seen.map((e) => e.type), ["MODIFIED", "DELETED"]);
  assert.deepEqual(seen[1]!.obj.metadata.finalizers, [finalizer]);
  assert.equal((await errorOf(custom.getClusterCustomObject({ ...LBR, name: "g2" }))).code, 404);
});

Deno.test("startKubeSim() refuses strategic merge patches on custom resources with 415", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  await custom.createClusterCustomObject({ ...LBR, body: lbr("x") });
  const response = await apiFetch(
    t.sim,
    "PATCH",
    "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/x",
    {
      body: { spec: { nodePort: 1 } },
      contentType: "application/strategic-merge-patch+json",
    },
  );
  assert.equal(response.status, 415);
  assert.equal(response.json().reason, "UnsupportedMediaType");
});

Deno.test("startKubeSim() applies JSON patches and answers 422 when an operation fails", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  await custom.createClusterCustomObject({ ...LBR, body: lbr("x") });
  const path = "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/x";
  const contentType = "application/json-patch+json";
  const ok = await apiFetch(t.sim, "PATCH", path, {
    body: [{ op: "test", path: "/spec/nodePort", value: 30080 }, {
      op: "replace",
      path: "/spec/nodePort",
      value: 30090,
    }],
    contentType,
  });
  assert.equal(ok.status, 200);
  assert.equal((ok.json().spec as Record<string, unknown>).nodePort, 30090);
  const failed = await apiFetch(t.sim, "PATCH", path, {
    body: [{ op: "remove", path: "/spec/missing" }],
    contentType,
  });
  assert.equal(failed.status, 422);
  assert.equal(
    failed.json().message,
    "the server rejected our request due to an error in our request",
  );
});

Deno.test("startKubeSim() stops serving a custom resource and ends its watches when the CRD is deleted", async () => {
  const { t, custom } = await startWithCrd();
  await using _ = t;
  const created = await custom.createClusterCustomObject({ ...LBR, body: lbr("x") });
  const seen: string[] = [];
  const ended = Promise.withResolvers<unknown>();
  await new k8s.Watch(t.kc).watch(
    "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars",
    { resourceVersion: created.metadata.resourceVersion },
    (type) => seen.push(type),
    (error) => ended.resolve(error),
  );
  await eventually(() => t.sim.watchCount === 1, "watch open");
  await t.kc.makeApiClient(k8s.ApiextensionsV1Api).deleteCustomResourceDefinition({
    name: "lbregistrars.nodes.peppy-ratio.dev",
  });
  assert.equal(await ended.promise, null);
  assert.deepEqual(seen, ["DELETED"]);
  const gone = await apiFetch(t.sim, "GET", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars");
  assert.equal(gone.status, 404);
  assert.equal(gone.text, "404 page not found\n");
});

const WIDGET_CRD: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.test.dev" },
  spec: {
    group: "test.dev",
    scope: "Namespaced",
    names: { kind: "Widget", plural: "widgets", singular: "widget" },
    versions: [{
      name: "v1",
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: {
              type: "object",
              required: ["size"],
              "x-kubernetes-validations": [{
                rule: "!(has(self.a) && has(self.b))",
                message: "a and b are exclusive",
              }],
              properties: {
                size: { type: "integer", minimum: 1, maximum: 10 },
                color: { type: "string", enum: ["red", "blue"], default: "red" },
                a: { type: "string" },
                b: { type: "string" },
                port: {
                  "x-kubernetes-int-or-string": true,
                  "x-kubernetes-validations": [{
                    rule:
                      "type(self) == int ? self >= 1 && self <= 65535 : self.matches('^[a-z]+$')",
                    message: "port must be 1-65535 or a name",
                  }],
                },
              },
            },
          },
        },
      },
    }],
  },
};

Deno.test("startKubeSim() defaults, prunes and validates custom resources against the CRD schema", async () => {
  await using t = await startTestKubeSim({ crds: [WIDGET_CRD] });
  const path = "/apis/test.dev/v1/namespaces/default/widgets";
  const widget = (spec: unknown) => ({
    apiVersion: "test.dev/v1",
    kind: "Widget",
    metadata: { name: "w" },
    spec,
  });

  const created = await apiFetch(t.sim, "POST", path, { body: widget({ size: 3, bogus: 1 }) });
  assert.equal(created.status, 201);
  assert.deepEqual(created.json().spec, { size: 3, color: "red" });
  assert.equal(created.headers.get("Warning"), '299 - "unknown field \\"spec.bogus\\""');

  const strict = await apiFetch(t.sim, "POST", `${path}?fieldValidation=Strict`, {
    body: widget({ size: 3, bogus: 1 }),
  });
  assert.equal(strict.status, 400);
  assert.match(String(strict.json().message), /strict decoding error: unknown field "spec.bogus"/);

  const bounds = await apiFetch(t.sim, "POST", path, { body: widget({ size: 70 }) });
  assert.equal(bounds.status, 422);
  assert.equal(
    bounds.json().message,
    'Widget.test.dev "w" is invalid: [spec.size: Invalid value: 70: spec.size in body ' +
      'should be less than or equal to 10, <nil>: Invalid value: "null": some validation rules were not checked because ' +
      "the object was invalid; correct the existing errors to complete validation]",
  );

  const cel = await apiFetch(t.sim, "POST", path, { body: widget({ size: 1, a: "x", b: "y" }) });
  assert.equal(cel.status, 422);
  assert.equal(
    cel.json().message,
    'Widget.test.dev "w" is invalid: spec: Invalid value: "object": a and b are exclusive',
  );

  // Valid ports pass validation and then meet the existing "w" (409); invalid ones stop at 422.
  for (const [port, status] of [[8080, 409], ["http", 409], [70000, 422], ["Bad_", 422]] as const) {
    const response = await apiFetch(t.sim, "POST", path, { body: widget({ size: 1, port }) });
    assert.equal(response.status, status, `port ${port}`);
  }

  const required = await apiFetch(t.sim, "POST", path, { body: widget({ color: "blue" }) });
  const causes = (required.json().details as { causes: unknown[] }).causes;
  assert.deepEqual(causes[0], {
    reason: "FieldValueRequired",
    message: "Required value",
    field: "spec.size",
  });
});
