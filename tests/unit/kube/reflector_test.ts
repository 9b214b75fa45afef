import assert from "node:assert/strict";
import type { KubeRequest, KubeResponse } from "../../../src/kube/_http.ts";
import type { OpenWatch, WatchEnd, WatchEvent } from "../../../src/kube/_watch.ts";
import type { NodeInfo } from "../../../src/plan/model.ts";
import { projectNode } from "../../../src/kube/projections.ts";
import { createReflector } from "../../../src/kube/reflector.ts";
import { rawNode } from "./_raw.ts";

/** A scripted API server: list answers in order, and watches the test drives by hand. */
function fakeServer() {
  const lists: (() => KubeResponse)[] = [];
  const listCalls: string[] = [];
  const watches: {
    query: Record<string, string>;
    send: (event: WatchEvent) => void;
    end: (end: WatchEnd) => void;
  }[] = [];
  let watchOpened: () => void = () => {};
  const request: KubeRequest = (_method, path) => {
    listCalls.push(path);
    const next = lists.shift();
    if (!next) return Promise.reject(new Error("no list answer scripted"));
    return Promise.resolve(next());
  };
  const openWatch: OpenWatch = (_path, query, onEvent) => {
    let end: (end: WatchEnd) => void = () => {};
    const done = new Promise<WatchEnd>((resolve) => (end = resolve));
    watches.push({ query, send: onEvent, end });
    watchOpened();
    return { done, abort: () => end({ kind: "error", error: new Error("aborted") }) };
  };
  return {
    request,
    openWatch,
    listCalls,
    watches,
    answerList(resourceVersion: string, items: unknown[]) {
      lists.push(() => ({
        status: 200,
        text: JSON.stringify({ kind: "NodeList", metadata: { resourceVersion }, items }),
      }));
    },
    failList(status: number) {
      lists.push(() => ({
        status,
        text: JSON.stringify({ kind: "Status", message: "boom", code: status }),
      }));
    },
    /** Resolves when watch number `n` (1-based) is open. */
    async watchNumber(n: number) {
      while (watches.length < n) await new Promise<void>((resolve) => (watchOpened = resolve));
      return watches[n - 1]!;
    },
  };
}

function nodeReflector(server: ReturnType<typeof fakeServer>) {
  const changes: { key: string; before?: NodeInfo; after?: NodeInfo }[] = [];
  const reflector = createReflector({
    resource: "nodes",
    listPath: "/api/v1/nodes",
    request: server.request,
    openWatch: server.openWatch,
    project: projectNode,
    onChange: (key, before, after) => changes.push({ key, before, after }),
    backoff: () => 1,
    minHealthyWatchMs: 0,
  });
  return { reflector, changes };
}

Deno.test("createReflector() emits nothing for a heartbeat and one change for a label edit", async () => {
  const server = fakeServer();
  server.answerList("10", [rawNode("n1")]);
  const { reflector, changes } = nodeReflector(server);
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  const watch = await server.watchNumber(1);
  assert.equal(reflector.hasSynced(), true);
  assert.equal(watch.query.resourceVersion, "10");
  changes.length = 0;
  watch.send({
    type: "MODIFIED",
    object: rawNode("n1", { resourceVersion: "11", heartbeat: "later" }),
  });
  assert.equal(changes.length, 0);
  watch.send({
    type: "MODIFIED",
    object: rawNode("n1", { resourceVersion: "12", labels: { pool: "b" } }),
  });
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0]?.after?.labels, { pool: "b" });
  controller.abort();
  await running;
});

Deno.test("createReflector() is not synced before its first list succeeds", async () => {
  const server = fakeServer();
  server.failList(500);
  server.answerList("10", []);
  const { reflector } = nodeReflector(server);
  assert.equal(reflector.hasSynced(), false);
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  await server.watchNumber(1);
  assert.equal(reflector.hasSynced(), true);
  assert.equal(server.listCalls.length, 2);
  controller.abort();
  await running;
});

Deno.test("createReflector() re-lists on 410 and emits deletions it missed", async () => {
  const server = fakeServer();
  server.answerList("10", [rawNode("n1"), rawNode("n2")]);
  server.answerList("20", [rawNode("n1")]);
  const { reflector, changes } = nodeReflector(server);
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  const first = await server.watchNumber(1);
  changes.length = 0;
  first.send({
    type: "ERROR",
    object: { kind: "Status", code: 410, reason: "Expired" } as WatchEvent["object"],
  });
  const second = await server.watchNumber(2);
  assert.equal(second.query.resourceVersion, "20");
  assert.deepEqual(changes.map((c) => [c.key, c.after === undefined]), [["n2", true]]);
  assert.deepEqual([...reflector.store.keys()], ["n1"]);
  controller.abort();
  await running;
});

Deno.test("createReflector() resumes from the last resourceVersion after a watch closes", async () => {
  const server = fakeServer();
  server.answerList("10", []);
  const { reflector } = nodeReflector(server);
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  const first = await server.watchNumber(1);
  first.send({ type: "ADDED", object: rawNode("n1", { resourceVersion: "15" }) });
  first.send({ type: "BOOKMARK", object: { metadata: { resourceVersion: "18" } } });
  first.end({ kind: "closed" });
  const second = await server.watchNumber(2);
  assert.equal(second.query.resourceVersion, "18");
  assert.equal(server.listCalls.length, 1);
  controller.abort();
  await running;
});

Deno.test("createReflector() restarts the watch after a failure instead of stopping", async () => {
  const server = fakeServer();
  server.answerList("10", []);
  const { reflector, changes } = nodeReflector(server);
  const controller = new AbortController();
  const running = reflector.run(controller.signal);
  const first = await server.watchNumber(1);
  first.end({
    kind: "error",
    error: Object.assign(new Error("Internal Server Error"), { statusCode: 500 }),
  });
  const second = await server.watchNumber(2);
  assert.equal(second.query.resourceVersion, "10");
  second.send({ type: "ADDED", object: rawNode("n3", { resourceVersion: "11" }) });
  assert.equal(changes.at(-1)?.key, "n3");
  controller.abort();
  await running;
});
