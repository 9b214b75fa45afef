import { apiFetch, eventually, startTestKubeSim } from "../../support/kube_sim.ts";
import * as k8s from "@kubernetes/client-node";
import assert from "node:assert/strict";

type Seen = { type: string; name: string; rv: string };

function recorder(seen: Seen[]) {
  return (type: string, obj: k8s.KubernetesObject) =>
    seen.push({ type, name: obj.metadata?.name ?? "", rv: obj.metadata?.resourceVersion ?? "" });
}

Deno.test("startKubeSim() lists nodes with the resourceVersion of the list", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNode();
  assert.deepEqual(list.items.map((n) => n.metadata?.name), ["node-1", "node-2", "node-3"]);
  assert.equal(list.metadata?.resourceVersion, String(t.sim.resourceVersion));
  assert.equal(list.items[0]?.status?.addresses?.[0]?.address, "10.0.0.5");
});

Deno.test("startKubeSim() watch delivers ADDED, MODIFIED and DELETED in order and resumes from a resourceVersion", async () => {
  await using t = await startTestKubeSim();
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const start = (await core.listNode()).metadata!.resourceVersion!;
  const seen: Seen[] = [];
  const watch = new k8s.Watch(t.kc);
  const first = await watch.watch(
    "/api/v1/nodes",
    { resourceVersion: start },
    recorder(seen),
    () => {},
  );
  t.sim.addNode("n1");
  const afterAdd = String(t.sim.resourceVersion);
  t.sim.setNodeReady("n1", false);
  t.sim.removeNode("n1");
  await eventually(() => seen.length === 3, "three events");
  first.abort();
  assert.deepEqual(seen.map((e) => `${e.type} ${e.name}`), [
    "ADDED n1",
    "MODIFIED n1",
    "DELETED n1",
  ]);
  assert.ok(Number(seen[0]!.rv) < Number(seen[1]!.rv) && Number(seen[1]!.rv) < Number(seen[2]!.rv));

  const replayed: Seen[] = [];
  const second = await watch.watch(
    "/api/v1/nodes",
    { resourceVersion: afterAdd },
    recorder(replayed),
    () => {},
  );
  await eventually(() => replayed.length === 2, "two replayed events");
  second.abort();
  assert.deepEqual(replayed.map((e) => e.type), ["MODIFIED", "DELETED"]);
  assert.deepEqual(replayed.map((e) => e.rv), seen.slice(1).map((e) => e.rv));
});

Deno.test("startKubeSim() watch without resourceVersion starts with ADDED for current objects", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const seen: Seen[] = [];
  const ctrl = await new k8s.Watch(t.kc).watch("/api/v1/nodes", {}, recorder(seen), () => {});
  await eventually(() => seen.length === 3, "initial ADDED events");
  ctrl.abort();
  assert.deepEqual(seen.map((e) => `${e.type} ${e.name}`), [
    "ADDED node-1",
    "ADDED node-2",
    "ADDED node-3",
  ]);
});

for (const mode of ["event", "http"] as const) {
  Deno.test(`makeInformer() relists after a 410 delivered as ${mode === "event" ? "an in-stream ERROR" : "HTTP 410"}`, async () => {
    await using t = await startTestKubeSim({ seedDemo: true, expiredWatch: mode });
    const core = t.kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(t.kc, "/api/v1/nodes", () => core.listNode());
    const deleted: string[] = [];
    const errors: unknown[] = [];
    informer.on("delete", (node) => deleted.push(node.metadata?.name ?? ""));
    informer.on("error", (error) => errors.push(error));
    await informer.start();
    await eventually(() => t.sim.watchCount === 1, "informer watch");
    const listsBefore = t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && !r.watch).length;

    // Changes the informer cannot see, then compaction: its resume RV is now too old.
    t.sim.closeAllWatches();
    t.sim.removeNode("node-3");
    t.sim.addNode("n9");
    t.sim.compact();

    await eventually(
      () => informer.list().some((n) => n.metadata?.name === "n9"),
      "relisted cache",
    );
    // Stopping the informer aborts its watch, which it reports as an error; only earlier errors count.
    const errorsWhileRunning = [...errors];
    await informer.stop();
    assert.deepEqual(informer.list().map((n) => n.metadata?.name).sort(), [
      "n9",
      "node-1",
      "node-2",
    ]);
    assert.deepEqual(deleted, ["node-3"]);
    assert.deepEqual(errorsWhileRunning, []);
    const lists = t.sim.requests.filter((r) => r.path === "/api/v1/nodes" && !r.watch).length;
    assert.equal(lists, listsBefore + 1);
    const expiredWatch = t.sim.requests.find((r) =>
      r.watch && r.status === (mode === "http" ? 410 : 200) &&
      Number(new URLSearchParams(r.query).get("resourceVersion")) < t.sim.resourceVersion - 1
    );
    assert.ok(expiredWatch, "a watch from the old resourceVersion was answered");
  });
}

Deno.test("startKubeSim() sends an in-stream ERROR 410 Status for a watch from a compacted resourceVersion", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const old = t.sim.resourceVersion;
  t.sim.addNode("n4");
  t.sim.compact();
  const response = await apiFetch(t.sim, "GET", `/api/v1/nodes?watch=true&resourceVersion=${old}`);
  assert.equal(response.status, 200);
  const event = JSON.parse(response.text.trim());
  assert.equal(event.type, "ERROR");
  assert.equal(event.object.code, 410);
  assert.equal(event.object.reason, "Expired");
  assert.match(event.object.message, /^too old resource version: /);
});

Deno.test("startKubeSim() ends a watch cleanly after timeoutSeconds", async () => {
  await using t = await startTestKubeSim();
  const rv = String(t.sim.resourceVersion);
  const ended = Promise.withResolvers<unknown>();
  await new k8s.Watch(t.kc).watch(
    "/api/v1/nodes",
    { resourceVersion: rv, timeoutSeconds: 1 },
    () => {},
    (error) => ended.resolve(error),
  );
  assert.equal(await ended.promise, null);
  assert.equal(t.sim.watchCount, 0);
});

Deno.test("startKubeSim() sends a BOOKMARK at the current resourceVersion on request", async () => {
  await using t = await startTestKubeSim();
  const seen: Seen[] = [];
  const ctrl = await new k8s.Watch(t.kc).watch(
    "/api/v1/nodes",
    { resourceVersion: String(t.sim.resourceVersion), allowWatchBookmarks: true },
    recorder(seen),
    () => {},
  );
  await eventually(() => t.sim.watchCount === 1, "watch open");
  t.sim.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } });
  t.sim.sendBookmarks();
  await eventually(() => seen.length === 1, "bookmark");
  ctrl.abort();
  assert.deepEqual(seen, [{ type: "BOOKMARK", name: "", rv: String(t.sim.resourceVersion) }]);
});

Deno.test("startKubeSim() bookmarks periodically when filtered changes moved the resourceVersion", async () => {
  await using t = await startTestKubeSim({ bookmarkIntervalMs: 50 });
  const seen: Seen[] = [];
  const ctrl = await new k8s.Watch(t.kc).watch(
    "/api/v1/nodes",
    {
      resourceVersion: String(t.sim.resourceVersion),
      allowWatchBookmarks: true,
      labelSelector: "pool=a",
    },
    recorder(seen),
    () => {},
  );
  await eventually(() => t.sim.watchCount === 1, "watch open");
  t.sim.addNode("other", { labels: { pool: "b" } });
  const rv = String(t.sim.resourceVersion);
  await eventually(() => seen.length > 0, "periodic bookmark");
  ctrl.abort();
  assert.deepEqual(seen[0], { type: "BOOKMARK", name: "", rv });
});

Deno.test("startKubeSim() filters lists by label selector operators", async () => {
  await using t = await startTestKubeSim();
  t.sim.addNode("a", { labels: { tier: "web", zone: "1" } });
  t.sim.addNode("b", { labels: { tier: "db", zone: "2" } });
  t.sim.addNode("c", { labels: { tier: "web" } });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const names = async (labelSelector: string) =>
    (await core.listNode({ labelSelector })).items.map((n) => n.metadata?.name).join(",");
  assert.equal(await names("tier=web"), "a,c");
  assert.equal(await names("tier==web,zone=1"), "a");
  assert.equal(await names("tier!=web"), "b");
  assert.equal(await names("zone in (1,2)"), "a,b");
  assert.equal(await names("zone notin (1)"), "b,c");
  assert.equal(await names("zone"), "a,b");
  assert.equal(await names("!zone"), "c");
  const bad = await apiFetch(
    t.sim,
    "GET",
    `/api/v1/nodes?labelSelector=${encodeURIComponent("zone in 1")}`,
  );
  assert.equal(bad.status, 400);
  assert.equal(bad.json().reason, "BadRequest");
});

Deno.test("startKubeSim() filters by field selector and refuses unsupported fields with 400", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const one = await core.listNode({ fieldSelector: "metadata.name=node-2" });
  assert.deepEqual(one.items.map((n) => n.metadata?.name), ["node-2"]);
  const others = await core.listNode({ fieldSelector: "metadata.name!=node-2" });
  assert.deepEqual(others.items.map((n) => n.metadata?.name), ["node-1", "node-3"]);
  const svc = await core.listServiceForAllNamespaces({
    fieldSelector: "metadata.namespace=default",
  });
  assert.deepEqual(svc.items.map((s) => s.metadata?.name), ["web"]);
  const nodeField = await apiFetch(
    t.sim,
    "GET",
    "/api/v1/nodes?fieldSelector=status.phase%3DReady",
  );
  assert.equal(nodeField.status, 400);
  assert.equal(nodeField.json().message, "field label not supported: status.phase");
  const svcField = await apiFetch(
    t.sim,
    "GET",
    "/api/v1/services?fieldSelector=spec.type%3DNodePort",
  );
  assert.equal(
    svcField.json().message,
    '"spec.type" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
});

Deno.test("startKubeSim() watch turns objects that stop or start matching a selector into DELETED and ADDED", async () => {
  await using t = await startTestKubeSim();
  t.sim.addNode("n1", { labels: { pool: "a" } });
  const seen: Seen[] = [];
  const ctrl = await new k8s.Watch(t.kc).watch(
    "/api/v1/nodes",
    { resourceVersion: String(t.sim.resourceVersion), labelSelector: "pool=a" },
    recorder(seen),
    () => {},
  );
  await eventually(() => t.sim.watchCount === 1, "watch open");
  const ref = { apiVersion: "v1", kind: "Node", name: "n1" };
  t.sim.patch(ref, { metadata: { labels: { pool: "b" } } });
  const leftAt = String(t.sim.resourceVersion);
  t.sim.patch(ref, { metadata: { labels: { pool: "a" } } });
  await eventually(() => seen.length === 2, "two events");
  ctrl.abort();
  assert.deepEqual(seen.map((e) => e.type), ["DELETED", "ADDED"]);
  assert.equal(seen[0]!.rv, leftAt);
});

Deno.test("startKubeSim() answers 401 Unauthorized without a valid bearer token", async () => {
  await using t = await startTestKubeSim();
  for (const token of [null, "wrong"]) {
    const response = await apiFetch(t.sim, "GET", "/api/v1/nodes", { token });
    assert.equal(response.status, 401);
    assert.deepEqual(response.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
  }
});

Deno.test("startKubeSim() fails the next list with an injected 500 and then recovers", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  t.sim.injectFailure({ method: "GET", pathPattern: "/api/v1/nodes", watch: false, status: 500 });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const error = await core.listNode().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof k8s.ApiException);
  assert.equal(error.code, 500);
  assert.equal(JSON.parse(error.body as string).reason, "InternalError");
  assert.equal((await core.listNode()).items.length, 3);
});

Deno.test("startKubeSim() pages lists with continue tokens and expires them after compaction", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const page1 = await core.listNode({ limit: 2 });
  assert.deepEqual(page1.items.map((n) => n.metadata?.name), ["node-1", "node-2"]);
  assert.equal(page1.metadata?.remainingItemCount, 1);
  t.sim.addNode("node-0");
  const page2 = await core.listNode({ limit: 2, _continue: page1.metadata?._continue });
  // The second page is consistent with the first: node-0, added later, is not in it.
  assert.deepEqual(page2.items.map((n) => n.metadata?.name), ["node-3"]);
  assert.equal(page2.metadata?.resourceVersion, page1.metadata?.resourceVersion);
  t.sim.compact();
  const stale = await apiFetch(
    t.sim,
    "GET",
    `/api/v1/nodes?limit=2&continue=${page1.metadata?._continue}`,
  );
  assert.equal(stale.status, 410);
  assert.equal(stale.json().reason, "Expired");
});

Deno.test("startKubeSim() lists as of an older resourceVersion with resourceVersionMatch=Exact", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  const before = t.sim.resourceVersion;
  t.sim.removeNode("node-1");
  t.sim.addNode("node-9");
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNode({
    resourceVersion: String(before),
    resourceVersionMatch: "Exact",
  });
  assert.equal(list.metadata?.resourceVersion, String(before));
  assert.deepEqual(list.items.map((n) => n.metadata?.name), ["node-1", "node-2", "node-3"]);
});

Deno.test("startKubeSim() answers 504 with Retry-After to a list at a resourceVersion it has not reached", async () => {
  await using t = await startTestKubeSim({ tooLargeRvWaitMs: 20 });
  const asked = t.sim.resourceVersion + 100;
  const response = await apiFetch(t.sim, "GET", `/api/v1/nodes?resourceVersion=${asked}`);
  assert.equal(response.status, 504);
  assert.equal(response.headers.get("Retry-After"), "1");
  assert.equal(
    response.json().message,
    `Timeout: Too large resource version: ${asked}, current: ${t.sim.resourceVersion}`,
  );
});

Deno.test("injectFailure() with drop cuts the connection after the headers", async () => {
  await using t = await startTestKubeSim({ seedDemo: true });
  t.sim.injectFailure({ pathPattern: "/api/v1/nodes", drop: true });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const error = await core.listNode().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof Error && !(error instanceof k8s.ApiException));
  assert.match(error.message, /Premature close/);
  assert.equal((await core.listNode()).items.length, 3);
});
