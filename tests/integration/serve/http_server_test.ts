import assert from "node:assert/strict";
import { startServe } from "../../../src/serve/http_server.ts";
import { createMetrics } from "../../../src/serve/metrics.ts";
import { parseExposition, valueOf } from "../../unit/serve/_exposition.ts";

const LOOPBACK = { hostname: "127.0.0.1", port: 0 };
const LB = "ocid1.networkloadbalancer.oc1..bbbb";

async function get(address: Deno.NetAddr | undefined, path: string, method = "GET") {
  assert.ok(address, "the server is listening");
  const response = await fetch(`http://127.0.0.1:${address.port}${path}`, { method });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A port that was free a moment ago (for tests that need the same port twice). */
function freePort(): number {
  const listener = Deno.listen(LOOPBACK);
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("startServe() serves GET /metrics as Prometheus text with the recorded series", async () => {
  const metrics = createMetrics();
  metrics.reconcile("written");
  metrics.setBackends(LB, "tcp-443", { active: 2, draining: 1 });
  metrics.ociRequest("replace_backends", "throttled", 0.3);
  const serving = await startServe({
    metricsAddr: LOOPBACK,
    healthAddr: null,
    metrics,
    health: { ready: () => true },
  });
  try {
    const response = await get(serving.addresses.metrics, "/metrics");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const parsed = parseExposition(response.text);
    assert.equal(valueOf(parsed, "lbregistrar_reconciles_total", { result: "written" }), 1);
    const set = { load_balancer: LB, backend_set: "tcp-443" };
    assert.equal(valueOf(parsed, "lbregistrar_backends", { ...set, state: "active" }), 2);
    assert.equal(valueOf(parsed, "lbregistrar_backends", { ...set, state: "draining" }), 1);
    assert.equal(
      valueOf(parsed, "lbregistrar_oci_requests_total", {
        operation: "replace_backends",
        outcome: "throttled",
      }),
      1,
    );
    assert.ok((valueOf(parsed, "process_resident_memory_bytes") ?? 0) > 0);
    assert.equal(serving.addresses.health, undefined, "health is off");
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() answers /readyz 503 with the reason, then 200 once the check passes", async () => {
  let synced = false;
  const serving = await startServe({
    metricsAddr: null,
    healthAddr: LOOPBACK,
    metrics: createMetrics({ processMetrics: false }),
    health: { ready: () => synced ? true : { ok: false, reason: "reflectors not synced: nodes" } },
  });
  try {
    const before = await get(serving.addresses.health, "/readyz");
    assert.equal(before.status, 503);
    assert.equal(before.text, "reflectors not synced: nodes\n");
    assert.equal(before.headers.get("content-type"), "text/plain; charset=utf-8");
    synced = true;
    const after = await get(serving.addresses.health, "/readyz");
    assert.deepEqual([after.status, after.text], [200, "ok\n"]);
    assert.equal(serving.addresses.metrics, undefined, "metrics are off");
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() answers /healthz 200 while alive and 503 when a liveness check fails", async () => {
  let live: boolean | "throw" = true;
  const serving = await startServe({
    metricsAddr: null,
    healthAddr: LOOPBACK,
    metrics: createMetrics({ processMetrics: false }),
    health: {
      ready: () => false,
      live: () => {
        if (live === "throw") throw new Error("engine loop exited");
        return live;
      },
    },
  });
  try {
    const alive = await get(serving.addresses.health, "/healthz");
    assert.deepEqual([alive.status, alive.text], [200, "ok\n"]);
    live = false;
    assert.equal((await get(serving.addresses.health, "/healthz")).status, 503);
    live = "throw";
    const failed = await get(serving.addresses.health, "/healthz");
    assert.deepEqual([failed.status, failed.text], [503, "check failed: engine loop exited\n"]);
    assert.equal(
      (await get(serving.addresses.health, "/readyz")).status,
      503,
      "ready stays separate",
    );
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() fails /healthz while the event loop lags", async () => {
  const serving = await startServe({
    metricsAddr: null,
    healthAddr: LOOPBACK,
    metrics: createMetrics({ processMetrics: false }),
    health: { ready: () => true, maxEventLoopLagMs: 500, eventLoopProbeMs: 1_000 },
  });
  try {
    assert.equal((await get(serving.addresses.health, "/healthz")).status, 200);
    const until = performance.now() + 1_500;
    while (performance.now() < until) {
      // Busy-wait: keeps timers from running, as a stuck event loop would.
    }
    const lagging = await get(serving.addresses.health, "/healthz");
    assert.equal(lagging.status, 503);
    assert.match(lagging.text, /^event loop lags \d+ ms, wanted at most 500 ms\n$/);
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() keeps metrics and health on their own listeners", async () => {
  const serving = await startServe({
    metricsAddr: LOOPBACK,
    healthAddr: LOOPBACK,
    metrics: createMetrics({ processMetrics: false }),
    health: { ready: () => true },
  });
  try {
    const { metrics, health } = serving.addresses;
    assert.notEqual(metrics?.port, health?.port);
    assert.equal((await get(metrics, "/metrics")).status, 200);
    assert.equal((await get(metrics, "/healthz")).status, 404);
    assert.equal((await get(health, "/readyz")).status, 200);
    assert.equal((await get(health, "/metrics")).status, 404);
    const post = await get(health, "/readyz", "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() serves all three paths on one listener when both addresses are the same", async () => {
  const address = { hostname: "127.0.0.1", port: freePort() };
  const serving = await startServe({
    metricsAddr: address,
    healthAddr: address,
    metrics: createMetrics({ processMetrics: false }),
    health: { ready: () => true },
  });
  try {
    assert.equal(serving.addresses.metrics?.port, address.port);
    assert.equal(serving.addresses.health, serving.addresses.metrics);
    for (const path of ["/metrics", "/healthz", "/readyz"]) {
      assert.equal((await get(serving.addresses.metrics, path)).status, 200, path);
    }
  } finally {
    await serving.close();
  }
});

Deno.test("startServe() with both addresses off starts nothing", async () => {
  let asked = false;
  const serving = await startServe({
    metricsAddr: null,
    healthAddr: null,
    metrics: createMetrics({ processMetrics: false }),
    health: { ready: () => (asked = true) },
  });
  assert.deepEqual(serving.addresses, {});
  await serving.close();
  assert.equal(asked, false);
});

Deno.test("startServe() names the flag when a port is taken, and leaves nothing running", async () => {
  using busy = Deno.listen(LOOPBACK);
  const port = (busy.addr as Deno.NetAddr).port;
  await assert.rejects(
    startServe({
      metricsAddr: LOOPBACK,
      healthAddr: { hostname: "127.0.0.1", port },
      metrics: createMetrics({ processMetrics: false }),
      health: { ready: () => true },
    }),
    new RegExp(`^Error: Cannot listen on --health-addr 127\\.0\\.0\\.1:${port}: `),
  );
});
