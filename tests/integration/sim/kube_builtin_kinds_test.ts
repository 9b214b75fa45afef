import { apiFetch, startTestKubeSim } from "../../support/kube_sim.ts";
import * as k8s from "@kubernetes/client-node";
import assert from "node:assert/strict";

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof k8s.ApiException, `expected an ApiException, got ${error}`);
  return { code: error.code, body: JSON.parse(error.body as string) };
}

function service(name: string, ports: k8s.V1ServicePort[]): k8s.V1Service {
  return { metadata: { name }, spec: { type: "NodePort", selector: { app: name }, ports } };
}

Deno.test("startKubeSim() allocates NodePorts and refuses taken or out-of-range ones with 422", async () => {
  await using t = await startTestKubeSim();
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const created = await core.createNamespacedService({
    namespace: "default",
    body: service("a", [{ name: "http", port: 80, targetPort: 8080 }, { name: "x", port: 81 }]),
  });
  const [http, x] = created.spec!.ports!;
  assert.ok(http!.nodePort! >= 30000 && http!.nodePort! <= 32767);
  assert.equal(x!.targetPort, 81);
  assert.equal(http!.protocol, "TCP");
  assert.match(created.spec!.clusterIP!, /^10\.96\./);

  const taken = await errorOf(core.createNamespacedService({
    namespace: "default",
    body: service("b", [{ port: 80, nodePort: http!.nodePort }]),
  }));
  assert.equal(taken.code, 422);
  assert.equal(
    taken.body.message,
    `Service "b" is invalid: spec.ports[0].nodePort: Invalid value: ${
      http!.nodePort
    }: provided port is already allocated`,
  );
  const range = await errorOf(
    core.createNamespacedService({
      namespace: "default",
      body: service("c", [{ port: 80, nodePort: 29999 }]),
    }),
  );
  assert.match(
    String(range.body.message),
    /provided port is not in the valid range\. The range of valid ports is 30000-32767/,
  );
});

Deno.test("startKubeSim() keeps allocated NodePorts when a strategic merge patch renames a port", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const response = await apiFetch(t.sim, "PATCH", "/api/v1/namespaces/default/services/web", {
    body: { spec: { ports: [{ port: 443, name: "tls" }] } },
    contentType: "application/strategic-merge-patch+json",
  });
  assert.equal(response.status, 200);
  const ports = (response.json().spec as { ports: { name: string; nodePort: number }[] }).ports;
  assert.deepEqual(ports.map((p) => [p.name, p.nodePort]), [["http", 30080], ["tls", 30443]]);
});

Deno.test("startKubeSim() refuses creates in a missing namespace with 404", async () => {
  await using t = await startTestKubeSim();
  const error = await errorOf(
    t.kc.makeApiClient(k8s.CoreV1Api).createNamespacedSecret({
      namespace: "nope",
      body: { metadata: { name: "s" } },
    }),
  );
  assert.equal(error.code, 404);
  assert.equal(error.body.message, 'namespaces "nope" not found');
});

Deno.test("startKubeSim() checks Lease MicroTimes, creates on PUT and requires a resourceVersion to update", async () => {
  await using t = await startTestKubeSim();
  const path = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
  const lease = (renewTime: string, resourceVersion?: string) => ({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: "l", resourceVersion },
    spec: { holderIdentity: "a", leaseDurationSeconds: 15, renewTime },
  });
  const millis = await apiFetch(t.sim, "POST", path, { body: lease("2026-11-23T19:43:29.123Z") });
  assert.equal(millis.status, 400);
  assert.match(String(millis.json().message), /cannot parse "\.123Z" as "\.000000"/);
  const created = await apiFetch(t.sim, "PUT", `${path}/l`, {
    body: lease("2026-11-23T19:43:29.123000Z"),
  });
  assert.equal(created.status, 201);
  const noRv = await apiFetch(t.sim, "PUT", `${path}/l`, {
    body: lease("2026-11-23T19:43:30.000000Z"),
  });
  assert.equal(noRv.status, 422);
  const rv = (created.json().metadata as { resourceVersion: string }).resourceVersion;
  const updated = await apiFetch(t.sim, "PUT", `${path}/l`, {
    body: lease("2026-11-23T19:43:30.000000Z", rv),
  });
  assert.equal(updated.status, 200);
  const stale = await apiFetch(t.sim, "PUT", `${path}/l`, {
    body: lease("2026-11-23T19:43:31.000000Z", rv),
  });
  assert.equal(stale.status, 409);
});

Deno.test("startKubeSim() accepts Events about cluster-scoped objects only in default and serves them in both APIs", async () => {
  await using t = await startTestKubeSim();
  const event = (namespace: string) => ({
    metadata: { generateName: "n1.", namespace },
    involvedObject: { kind: "Node", name: "n1", apiVersion: "v1" },
    reason: "Registered",
    message: "10.0.0.5:30080",
    type: "Normal",
    source: { component: "lb-registrar" },
  });
  const wrong = await apiFetch(t.sim, "POST", "/api/v1/namespaces/kube-system/events", {
    body: event("kube-system"),
  });
  assert.equal(wrong.status, 422);
  assert.match(
    String(wrong.json().message),
    /involvedObject\.namespace: Invalid value: "": does not match event\.namespace/,
  );
  const created = await apiFetch(t.sim, "POST", "/api/v1/namespaces/default/events", {
    body: event("default"),
  });
  assert.equal(created.status, 201);
  assert.match(String((created.json().metadata as { name: string }).name), /^n1\.[a-z0-9]{5}$/);
  const v1 = await apiFetch(t.sim, "GET", "/apis/events.k8s.io/v1/namespaces/default/events");
  const [item] = v1.json().items as Record<string, unknown>[];
  assert.equal(item!.note, "10.0.0.5:30080");
  assert.deepEqual(item!.regarding, { kind: "Node", name: "n1", apiVersion: "v1" });
  assert.deepEqual(item!.deprecatedSource, { component: "lb-registrar" });
});

Deno.test("startKubeSim() validates EndpointSlices and finds them by service-name label", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const discovery = t.kc.makeApiClient(k8s.DiscoveryV1Api);
  const missing = await discovery.createNamespacedEndpointSlice({
    namespace: "default",
    body: { metadata: { name: "bad" }, endpoints: [] } as unknown as k8s.V1EndpointSlice,
  }).then(() => undefined, (e: k8s.ApiException<string>) => e.code);
  assert.equal(missing, 422);
  const slices = await discovery.listNamespacedEndpointSlice({
    namespace: "default",
    labelSelector: "kubernetes.io/service-name=web",
  });
  assert.deepEqual(slices.items.map((s) => s.endpoints.map((e) => e.nodeName)), [[
    "node-1",
    "node-2",
  ]]);
});

Deno.test("startKubeSim() merges Node status conditions by type in a strategic merge patch", async () => {
  await using t = await startTestKubeSim();
  t.sim.addNode("n1");
  const response = await apiFetch(t.sim, "PATCH", "/api/v1/nodes/n1/status", {
    body: { status: { conditions: [{ type: "MemoryPressure", status: "False" }] } },
    contentType: "application/strategic-merge-patch+json",
  });
  const types = (response.json().status as { conditions: { type: string }[] }).conditions.map((c) =>
    c.type
  );
  assert.deepEqual(types, ["Ready", "MemoryPressure"]);
});

Deno.test("startKubeSim() answers a Table for nodes when asked with as=Table", async () => {
  await using t = await startTestKubeSim();
  t.sim.addNode("n1", { labels: { "node-role.kubernetes.io/worker": "" } });
  t.sim.patch({ apiVersion: "v1", kind: "Node", name: "n1" }, { spec: { unschedulable: true } });
  const table = (await apiFetch(t.sim, "GET", "/api/v1/nodes?limit=500", {
    accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
  })).json();
  assert.equal(table.kind, "Table");
  const columns = (table.columnDefinitions as { name: string }[]).map((c) => c.name);
  assert.deepEqual(columns.slice(0, 5), ["Name", "Status", "Roles", "Age", "Version"]);
  const [row] = table.rows as {
    cells: unknown[];
    object: { kind: string; metadata: { name: string } };
  }[];
  assert.deepEqual(row!.cells.slice(0, 3), ["n1", "Ready,SchedulingDisabled", "worker"]);
  assert.equal(row!.cells[5], "10.0.0.5");
  assert.equal(row!.object.kind, "PartialObjectMetadata");
});

Deno.test("startKubeSim() deletes a namespace together with the objects in it", async () => {
  await using t = await startTestKubeSim();
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "shop" } } });
  await core.createNamespacedSecret({ namespace: "shop", body: { metadata: { name: "s" } } });
  await core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "s" } } });
  await core.deleteNamespace({ name: "shop" });
  const secrets = await core.listSecretForAllNamespaces();
  assert.deepEqual(secrets.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`), [
    "default/s",
  ]);
});
