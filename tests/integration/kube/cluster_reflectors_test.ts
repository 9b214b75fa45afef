import assert from "node:assert/strict";
import { lbrChangeMatters } from "../../../src/kube/relevance.ts";
import { eventually } from "../../support/kube_sim.ts";
import { clusterOnSim, lbrManifest } from "./_cluster.ts";

const NODE = { apiVersion: "v1", kind: "Node" };

function nodeChanges(changes: { kind: string }[]) {
  return changes.filter((c) => c.kind === "Node") as {
    kind: "Node";
    name: string;
    after?: unknown;
  }[];
}

Deno.test("createCluster() is not synced before its first list and holds the projections after", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  assert.equal(c.cluster.hasSynced(), false);
  await c.startAndSync();
  assert.equal(c.cluster.hasSynced(), true);
  const view = c.cluster.view();
  assert.deepEqual([...view.nodes.keys()].sort(), ["node-1", "node-2", "node-3"]);
  assert.equal(view.nodes.get("node-1")?.ready, true);
  assert.deepEqual(view.services.get("default/web")?.ports.map((p) => p.name), ["http", "https"]);
  assert.equal(view.endpointSlices.get("default/web")?.length, 1);
});

Deno.test("createCluster() emits nothing for a heartbeat and exactly one Node change for a label edit", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  await c.startAndSync();
  c.changes.length = 0;
  c.t.sim.heartbeat("node-1");
  c.t.sim.patch({ ...NODE, name: "node-1" }, {
    metadata: { annotations: { "example.com/x": "1" } },
  });
  c.t.sim.patch({ ...NODE, name: "node-1" }, { metadata: { labels: { pool: "blue" } } });
  await eventually(
    () => c.cluster.view().nodes.get("node-1")?.labels.pool === "blue",
    "label in view",
  );
  // Watch events arrive in order: a heartbeat or annotation change would have been emitted first.
  assert.equal(nodeChanges(c.changes).length, 1);
  assert.equal(nodeChanges(c.changes)[0]?.name, "node-1");
});

Deno.test("createCluster() recovers from watches closed by the server without losing a change", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  await c.startAndSync();
  c.changes.length = 0;
  c.t.sim.closeAllWatches();
  c.t.sim.addNode("node-4");
  c.t.sim.setNodeReady("node-2", false);
  await eventually(() => c.cluster.view().nodes.has("node-4"), "node-4 in view");
  await eventually(() => c.cluster.view().nodes.get("node-2")?.ready === false, "node-2 NotReady");
  assert.deepEqual(nodeChanges(c.changes).map((ch) => ch.name).sort(), ["node-2", "node-4"]);
});

for (const mode of ["event", "http"] as const) {
  Deno.test(`createCluster() re-lists after 410 (${mode}) and emits the deletion it missed`, async () => {
    await using c = await clusterOnSim({ seedDemo: true, expiredWatch: mode });
    await c.startAndSync();
    c.changes.length = 0;
    c.t.sim.clearRequests();
    c.t.sim.closeAllWatches();
    c.t.sim.addNode("node-4");
    c.t.sim.removeNode("node-2");
    c.t.sim.compact();
    await eventually(() => !c.cluster.view().nodes.has("node-2"), "node-2 gone from view");
    await eventually(() => c.cluster.view().nodes.has("node-4"), "node-4 in view");
    const relists = c.t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && !r.watch);
    assert.ok(relists.length >= 1, "the node reflector listed again");
    const changes = nodeChanges(c.changes);
    assert.deepEqual(changes.find((ch) => ch.name === "node-2")?.after, undefined);
    assert.ok(changes.some((ch) => ch.name === "node-2"));
    assert.ok(changes.some((ch) => ch.name === "node-4" && ch.after));
  });
}

Deno.test("createCluster() keeps retrying a list that answers 500 and syncs once it succeeds", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  c.t.sim.injectFailure({
    method: "GET",
    pathPattern: "/api/v1/nodes",
    watch: false,
    status: 500,
    count: 2,
  });
  await c.startAndSync();
  const lists = c.t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && !r.watch);
  assert.deepEqual(lists.map((r) => r.status), [500, 500, 200]);
  assert.equal(c.cluster.view().nodes.size, 3);
});

Deno.test("createCluster() restarts a watch that fails with 500 (where the informer would stop)", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  await c.startAndSync();
  c.t.sim.injectFailure({ pathPattern: "/api/v1/nodes", watch: true, status: 500, count: 2 });
  c.t.sim.closeAllWatches();
  c.t.sim.addNode("node-5");
  await eventually(() => c.cluster.view().nodes.has("node-5"), "node-5 in view");
  const failed = c.t.sim.requests.filter((r) =>
    r.path === "/api/v1/nodes" && r.watch && r.status === 500
  );
  assert.equal(failed.length, 2);
});

Deno.test("createCluster() re-watches when the server's timeoutSeconds ends a quiet watch", async () => {
  await using c = await clusterOnSim({ seedDemo: true }, { watchTimeoutSeconds: 1 });
  await c.startAndSync();
  await eventually(
    () => c.t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && r.watch).length >= 2,
    "a second node watch",
  );
  const watches = c.t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && r.watch);
  assert.match(watches[0]!.query, /timeoutSeconds=1/);
  c.t.sim.addNode("node-6");
  await eventually(() => c.cluster.view().nodes.has("node-6"), "node-6 in view");
});

Deno.test("createCluster() emits an EndpointSlice change keyed by namespace/service", async () => {
  await using c = await clusterOnSim({ seedDemo: true });
  await c.startAndSync();
  c.changes.length = 0;
  const slice = c.t.sim.get({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    namespace: "default",
    name: "web-demo",
  })!;
  const endpoints = (slice.endpoints as { conditions?: Record<string, boolean> }[])
    .map((e) => ({ ...e, conditions: { ready: false, serving: false, terminating: true } }));
  c.t.sim.update({ ...slice, endpoints });
  await eventually(
    () =>
      c.cluster.view().endpointSlices.get("default/web")?.[0]?.endpoints[0]?.terminating === true,
    "terminating endpoints in view",
  );
  assert.deepEqual(c.changes, [{ kind: "EndpointSlice", key: "default/web" }]);
});

Deno.test("createCluster() sees its own status patch, which lbrChangeMatters() ignores", async () => {
  await using c = await clusterOnSim();
  await c.startAndSync();
  c.t.sim.create(lbrManifest("web"));
  await eventually(() => c.cluster.view().lbRegistrars.has("web"), "LBRegistrar in view");
  c.changes.length = 0;
  await c.cluster.patchStatus("web", { phase: "PENDING", observedGeneration: 1 });
  await eventually(
    () => c.cluster.view().lbRegistrars.get("web")?.status?.phase === "PENDING",
    "status in view",
  );
  const change = c.changes.find((ch) => ch.kind === "LBRegistrar");
  assert.ok(change && change.kind === "LBRegistrar");
  assert.equal(lbrChangeMatters(change.before, change.after), false);
});

Deno.test("createCluster() lists, watches and writes over HTTPS with the kubeconfig's CA", async () => {
  await using c = await clusterOnSim({ tls: true, seedDemo: true });
  await c.startAndSync();
  c.t.sim.addNode("node-tls");
  await eventually(() => c.cluster.view().nodes.has("node-tls"), "node-tls in view");
  c.t.sim.create(lbrManifest("tls"));
  await eventually(() => c.cluster.view().lbRegistrars.has("tls"), "LBRegistrar in view");
  await c.cluster.patchStatus("tls", { phase: "PENDING" });
  const stored = c.t.sim.get({
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    name: "tls",
  });
  assert.deepEqual(stored?.status, { phase: "PENDING" });
});
