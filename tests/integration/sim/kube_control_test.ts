import { apiFetch, eventually, startTestKubeSim } from "../../support/kube_sim.ts";
import * as k8s from "@kubernetes/client-node";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../src/sim/kube/resource_type.ts";

type Condition = Record<string, string>;

function conditions(node: KubeObject): Condition[] {
  return (node.status as { conditions: Condition[] }).conditions;
}

Deno.test("heartbeat() moves only the conditions' lastHeartbeatTime", async () => {
  await using t = await startTestKubeSim();
  const before = t.sim.addNode("n1");
  const after = t.sim.heartbeat("n1");
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  const strip = (node: KubeObject) => ({
    ...node,
    metadata: { ...node.metadata, resourceVersion: "" },
    status: {
      ...node.status as object,
      conditions: conditions(node).map(({ lastHeartbeatTime: _, ...c }) => c),
    },
  });
  assert.deepEqual(strip(after), strip(before));
  assert.ok(
    Date.parse(conditions(after)[0]!.lastHeartbeatTime!) >
      Date.parse(conditions(before)[0]!.lastHeartbeatTime!),
  );
});

Deno.test("setNodeReady() flips the Ready condition and watchers see MODIFIED", async () => {
  await using t = await startTestKubeSim();
  t.sim.addNode("n1");
  const seen: string[] = [];
  const ctrl = await new k8s.Watch(t.kc).watch(
    "/api/v1/nodes",
    { resourceVersion: String(t.sim.resourceVersion) },
    (type, obj) => seen.push(`${type} ${obj.status.conditions[0].status}`),
    () => {},
  );
  const node = t.sim.setNodeReady("n1", false);
  assert.deepEqual([conditions(node)[0]!.status, conditions(node)[0]!.reason], [
    "False",
    "KubeletNotReady",
  ]);
  await eventually(() => seen.length === 1, "MODIFIED");
  ctrl.abort();
  assert.deepEqual(seen, ["MODIFIED False"]);
});

Deno.test("startKubeSim() control surface over HTTP drives nodes, failures, compaction and objects", async () => {
  await using t = await startTestKubeSim();
  const control = (method: string, path: string, body?: unknown) =>
    apiFetch(t.sim, method, `/_sim${path}`, { body });

  assert.equal((await apiFetch(t.sim, "POST", "/_sim/compact", { token: null })).status, 401);
  assert.equal(
    (await control("POST", "/nodes", { name: "h1", labels: { pool: "x" } })).status,
    200,
  );
  assert.equal(
    t.sim.get({ apiVersion: "v1", kind: "Node", name: "h1" })?.metadata.labels?.pool,
    "x",
  );
  await control("POST", "/nodes/h1/ready", { ready: false });
  assert.equal(
    conditions(t.sim.get({ apiVersion: "v1", kind: "Node", name: "h1" })!)[0]!.status,
    "False",
  );

  await control("POST", "/failures", {
    pathPattern: "^/api/v1/nodes\\?",
    regex: true,
    status: 503,
    count: 1,
  });
  assert.equal((await apiFetch(t.sim, "GET", "/api/v1/nodes?limit=1")).status, 503);
  assert.equal((await apiFetch(t.sim, "GET", "/api/v1/nodes?limit=1")).status, 200);

  const created = await control("POST", "/objects", {
    op: "create",
    object: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s1", namespace: "default" },
      stringData: { k: "v" },
    },
  });
  assert.equal((created.json().data as Record<string, string>).k, btoa("v"));
  const listed = await control("POST", "/objects", {
    op: "list",
    apiVersion: "v1",
    kind: "Secret",
    namespace: "default",
  });
  assert.deepEqual((listed.json() as unknown as KubeObject[]).map((s) => s.metadata.name), ["s1"]);

  const old = t.sim.resourceVersion;
  await control("POST", "/compact");
  const watch = await apiFetch(t.sim, "GET", `/api/v1/nodes?watch=1&resourceVersion=${old - 1}`);
  assert.equal(JSON.parse(watch.text).type, "ERROR");
  await control("DELETE", "/nodes/h1");
  const state = (await control("GET", "/state")).json();
  assert.equal(state.resourceVersion, t.sim.resourceVersion);
  const requests = (await control("GET", "/requests")).json() as unknown as { path: string }[];
  assert.ok(requests.some((r) => r.path === "/api/v1/nodes"));
  assert.ok(!requests.some((r) => r.path.startsWith("/_sim")));
});

Deno.test("restart() keeps the data and the port", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const url = t.sim.url;
  const rv = t.sim.resourceVersion;
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  await core.listNode();
  await t.sim.restart();
  assert.equal(t.sim.url, url);
  const list = await core.listNode();
  assert.equal(list.items.length, 3);
  assert.equal(list.metadata?.resourceVersion, String(rv));
});

Deno.test("injectLatency() delays requests without failing them", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  t.sim.injectLatency(20);
  const response = await apiFetch(t.sim, "GET", "/api/v1/nodes");
  t.sim.injectLatency(0);
  assert.equal(response.status, 200);
  assert.equal((response.json().items as unknown[]).length, 3);
});
