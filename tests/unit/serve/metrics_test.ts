import assert from "node:assert/strict";
import { register as globalRegistry } from "prom-client";
import { createMetrics } from "../../../src/serve/metrics.ts";
import { NO_METRICS } from "../../../src/serve/metrics_recorder.ts";
import { parseExposition, valueOf } from "./_exposition.ts";

const LB = "ocid1.loadbalancer.oc1..aaaa";

Deno.test("createMetrics() declares every lbregistrar_ series with HELP and TYPE", async () => {
  const metrics = createMetrics({ processMetrics: false });
  const { types, help } = parseExposition(await metrics.exposition());
  const expected: Record<string, string> = {
    lbregistrar_reconciles_total: "counter",
    lbregistrar_plan_duration_seconds: "histogram",
    lbregistrar_sync_duration_seconds: "histogram",
    lbregistrar_oci_requests_total: "counter",
    lbregistrar_oci_request_duration_seconds: "histogram",
    lbregistrar_work_requests_total: "counter",
    lbregistrar_work_request_duration_seconds: "histogram",
    lbregistrar_backends: "gauge",
    lbregistrar_drift_repairs_total: "counter",
    lbregistrar_last_successful_sync_timestamp_seconds: "gauge",
    lbregistrar_watch_restarts_total: "counter",
    lbregistrar_lane_queue_depth: "gauge",
    lbregistrar_leader: "gauge",
    lbregistrar_build_info: "gauge",
  };
  for (const [name, type] of Object.entries(expected)) {
    assert.equal(types.get(name), type, name);
    assert.ok((help.get(name) ?? "").length > 10, `HELP of ${name}`);
  }
  assert.deepEqual([...types.keys()].filter((name) => !(name in expected)), []);
});

Deno.test("createMetrics() starts the result series at zero, so rate() works from the start", async () => {
  const parsed = parseExposition(await createMetrics({ processMetrics: false }).exposition());
  for (const result of ["in_sync", "written", "held", "failed"]) {
    assert.equal(valueOf(parsed, "lbregistrar_reconciles_total", { result }), 0, result);
    assert.equal(valueOf(parsed, "lbregistrar_sync_duration_seconds_count", { result }), 0);
  }
  for (const outcome of ["succeeded", "failed", "timeout", "error"]) {
    assert.equal(valueOf(parsed, "lbregistrar_work_requests_total", { outcome }), 0, outcome);
  }
});

Deno.test("createMetrics() records what the engine reports, with in_sync-style labels", async () => {
  const metrics = createMetrics({ processMetrics: false });
  metrics.reconcile("in-sync");
  metrics.reconcile("in-sync");
  metrics.reconcile("failed");
  metrics.observePlan(0.002);
  metrics.observeSync(1.5, "written");
  metrics.ociRequest("get_backend_set", "ok", 0.04);
  metrics.ociRequest("replace_backends", "conflict", 0.2);
  metrics.workRequest("succeeded", 3);
  metrics.setBackends(LB, "bs1", { active: 3, draining: 1 });
  metrics.driftRepaired(LB, "bs1");
  metrics.lastSuccessfulSync(1_795_000_000);
  metrics.watchRestart("nodes");
  metrics.laneQueueDepth(4);
  metrics.setLeader(true);
  const parsed = parseExposition(await metrics.exposition());
  const value = (name: string, labels: Record<string, string> = {}) =>
    valueOf(parsed, name, labels);
  assert.equal(value("lbregistrar_reconciles_total", { result: "in_sync" }), 2);
  assert.equal(value("lbregistrar_reconciles_total", { result: "failed" }), 1);
  assert.equal(value("lbregistrar_plan_duration_seconds_count"), 1);
  assert.equal(value("lbregistrar_plan_duration_seconds_bucket", { le: "0.0025" }), 1);
  assert.equal(value("lbregistrar_plan_duration_seconds_bucket", { le: "0.001" }), 0);
  assert.equal(value("lbregistrar_sync_duration_seconds_sum", { result: "written" }), 1.5);
  assert.equal(
    value("lbregistrar_oci_requests_total", { operation: "replace_backends", outcome: "conflict" }),
    1,
  );
  assert.equal(
    value("lbregistrar_oci_request_duration_seconds_bucket", {
      operation: "get_backend_set",
      le: "0.05",
    }),
    1,
  );
  assert.equal(value("lbregistrar_work_requests_total", { outcome: "succeeded" }), 1);
  assert.equal(value("lbregistrar_work_request_duration_seconds_bucket", { le: "2.5" }), 0);
  assert.equal(value("lbregistrar_work_request_duration_seconds_bucket", { le: "5" }), 1);
  const set = { load_balancer: LB, backend_set: "bs1" };
  assert.equal(value("lbregistrar_backends", { ...set, state: "active" }), 3);
  assert.equal(value("lbregistrar_backends", { ...set, state: "draining" }), 1);
  assert.equal(value("lbregistrar_drift_repairs_total", set), 1);
  assert.equal(value("lbregistrar_last_successful_sync_timestamp_seconds"), 1_795_000_000);
  assert.equal(value("lbregistrar_watch_restarts_total", { resource: "nodes" }), 1);
  assert.equal(value("lbregistrar_lane_queue_depth"), 4);
  assert.equal(value("lbregistrar_leader"), 1);
});

Deno.test("createMetrics() forgetBackendSet() removes the series of that set only", async () => {
  const metrics = createMetrics({ processMetrics: false });
  metrics.setBackends(LB, "gone", { active: 2, draining: 0 });
  metrics.driftRepaired(LB, "gone");
  metrics.setBackends(LB, "kept", { active: 1, draining: 0 });
  metrics.forgetBackendSet(LB, "gone");
  const parsed = parseExposition(await metrics.exposition());
  const sets = parsed.samples.filter((s) => s.labels.backend_set !== undefined)
    .map((s) => `${s.name}/${s.labels.backend_set}/${s.labels.state ?? ""}`);
  assert.deepEqual(sets.sort(), [
    "lbregistrar_backends/kept/active",
    "lbregistrar_backends/kept/draining",
  ]);
});

Deno.test("createMetrics() uses a private registry each time, never the global one", async () => {
  const a = createMetrics();
  const b = createMetrics();
  a.reconcile("written");
  const parsedB = parseExposition(await b.exposition());
  assert.equal(valueOf(parsedB, "lbregistrar_reconciles_total", { result: "written" }), 0);
  assert.equal(globalRegistry.getSingleMetric("lbregistrar_reconciles_total"), undefined);
  assert.equal(globalRegistry.getSingleMetric("process_cpu_seconds_total"), undefined);
});

Deno.test("createMetrics() process series are the ones Deno can fill", async () => {
  const parsed = parseExposition(await createMetrics().exposition());
  for (
    const name of [
      "process_cpu_seconds_total",
      "process_start_time_seconds",
      "nodejs_heap_size_used_bytes",
    ]
  ) {
    assert.ok((valueOf(parsed, name) ?? 0) > 0, name);
  }
  assert.ok((valueOf(parsed, "process_resident_memory_bytes") ?? 0) > 1_000_000, "rss from Deno");
  assert.ok(parsed.types.has("nodejs_eventloop_lag_seconds"));
  for (
    const name of ["process_open_fds", "process_virtual_memory_bytes", "nodejs_gc_duration_seconds"]
  ) {
    assert.ok(!parsed.types.has(name), `${name} would always be 0 under Deno`);
  }
});

Deno.test("NO_METRICS accepts every recording call and records nothing", () => {
  NO_METRICS.reconcile("written");
  NO_METRICS.ociRequest("get_work_request", "ok", 1);
  NO_METRICS.setBackends(LB, "bs", { active: 1, draining: 0 });
  assert.ok(Object.isFrozen(NO_METRICS));
});
