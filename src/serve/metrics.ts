/**
 * The operator's Prometheus metrics: one private prom-client Registry per call (never the global
 * one, so tests stay isolated) behind the `MetricsRecorder` methods the engine calls.
 */

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { VERSION } from "../version.ts";
import type { MetricsRecorder } from "./metrics_recorder.ts";
import { registerProcessMetrics } from "./process_metrics.ts";

/** Metrics to record into and to scrape. */
export interface Metrics extends MetricsRecorder {
  /** Every series, for `GET /metrics`. */
  readonly registry: Registry;
  /** The text exposition of every series. */
  exposition(): Promise<string>;
  /** Content type of `exposition()` (Prometheus text format 0.0.4). */
  readonly contentType: string;
}

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Also register process series (CPU, memory, event-loop lag, heap). @default true */
  processMetrics?: boolean;
}

/** Planning one backend set is pure CPU: 0.1 ms for a few nodes, tens of ms for thousands. */
const PLAN_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** A sync is a GET (tens of ms) up to a PUT plus a work request of minutes. */
const SYNC_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
/** One OCI API call: 10 ms in-region to the SDK's 30 s ceiling. */
const OCI_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A backend-set work request: usually seconds, at worst the 5 min --work-request-timeout. */
const WORK_REQUEST_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

/** A fresh registry holding every `lbregistrar_*` series (and, by default, the process series). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const { processMetrics = true } = options;
  const registry = new Registry();
  const registers = [registry];

  const reconciles = new Counter({
    name: "lbregistrar_reconciles_total",
    help: "Reconciles of one backend set, by result (in_sync, written, held, failed).",
    labelNames: ["result"] as const,
    registers,
  });
  const planDuration = new Histogram({
    name: "lbregistrar_plan_duration_seconds",
    help: "Time to plan one backend set (pure computation, no I/O).",
    buckets: PLAN_BUCKETS,
    registers,
  });
  const syncDuration = new Histogram({
    name: "lbregistrar_sync_duration_seconds",
    help: "Time to sync one backend set: read, plan, write and wait for the work request.",
    labelNames: ["result"] as const,
    buckets: SYNC_BUCKETS,
    registers,
  });
  const ociRequests = new Counter({
    name: "lbregistrar_oci_requests_total",
    help: "OCI API calls by operation and outcome (ok, or the class of failure).",
    labelNames: ["operation", "outcome"] as const,
    registers,
  });
  const ociDuration = new Histogram({
    name: "lbregistrar_oci_request_duration_seconds",
    help: "Latency of OCI API calls by operation, failures included.",
    labelNames: ["operation"] as const,
    buckets: OCI_BUCKETS,
    registers,
  });
  const workRequests = new Counter({
    name: "lbregistrar_work_requests_total",
    help: "OCI work requests waited for, by outcome (succeeded, failed, timeout, error).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const workRequestDuration = new Histogram({
    name: "lbregistrar_work_request_duration_seconds",
    help: "Time from an accepted backend-set update to the end of its work request.",
    buckets: WORK_REQUEST_BUCKETS,
    registers,
  });
  const backends = new Gauge({
    name: "lbregistrar_backends",
    help: "Backends in a backend set by state (active, draining), as last read or written.",
    labelNames: ["load_balancer", "backend_set", "state"] as const,
    registers,
  });
  const driftRepairs = new Counter({
    name: "lbregistrar_drift_repairs_total",
    help: "Backend sets found changed outside the operator and written back.",
    labelNames: ["load_balancer", "backend_set"] as const,
    registers,
  });
  const lastSuccess = new Gauge({
    name: "lbregistrar_last_successful_sync_timestamp_seconds",
    help: "When a full sync last ended with every backend set in sync (Unix time).",
    registers,
  });
  const watchRestarts = new Counter({
    name: "lbregistrar_watch_restarts_total",
    help: "Kubernetes watches that ended and were restarted, by resource.",
    labelNames: ["resource"] as const,
    registers,
  });
  const laneDepth = new Gauge({
    name: "lbregistrar_lane_queue_depth",
    help: "Backend sets waiting in per-load-balancer lanes for their turn.",
    registers,
  });
  const leader = new Gauge({
    name: "lbregistrar_leader",
    help: "1 while this process holds the leader Lease (always 1 without --leader-elect).",
    registers,
  });
  new Gauge({
    name: "lbregistrar_build_info",
    help: "Always 1; the labels name the operator and Deno versions.",
    labelNames: ["version", "deno"] as const,
    registers,
  }).set({ version: VERSION, deno: Deno.version.deno }, 1);
  if (processMetrics) registerProcessMetrics(registry);
  // Series that exist from the start, so rate() and absent() work before the first event.
  for (const result of ["in_sync", "written", "held", "failed"]) {
    reconciles.inc({ result }, 0);
    syncDuration.zero({ result });
  }
  for (const outcome of ["succeeded", "failed", "timeout", "error"]) {
    workRequests.inc({ outcome }, 0);
  }

  // Label values say in_sync, as Prometheus label values conventionally do; the engine says in-sync.
  const resultLabel = (result: string) => result.replaceAll("-", "_");
  return {
    registry,
    contentType: registry.contentType,
    exposition: () => registry.metrics(),
    reconcile: (result) => reconciles.inc({ result: resultLabel(result) }),
    observePlan: (seconds) => planDuration.observe(seconds),
    observeSync: (seconds, result) =>
      syncDuration.observe({ result: resultLabel(result) }, seconds),
    ociRequest(operation, outcome, seconds) {
      ociRequests.inc({ operation, outcome });
      ociDuration.observe({ operation }, seconds);
    },
    workRequest(outcome, seconds) {
      workRequests.inc({ outcome });
      workRequestDuration.observe(seconds);
    },
    setBackends(loadBalancerId, backendSet, counts) {
      const labels = { load_balancer: loadBalancerId, backend_set: backendSet };
      backends.set({ ...labels, state: "active" }, counts.active);
      backends.set({ ...labels, state: "draining" }, counts.draining);
    },
    driftRepaired: (loadBalancerId, backendSet) =>
      driftRepairs.inc({ load_balancer: loadBalancerId, backend_set: backendSet }),
    forgetBackendSet(loadBalancerId, backendSet) {
      const labels = { load_balancer: loadBalancerId, backend_set: backendSet };
      backends.remove({ ...labels, state: "active" });
      backends.remove({ ...labels, state: "draining" });
      driftRepairs.remove(labels);
    },
    lastSuccessfulSync: (epochSeconds) => lastSuccess.set(epochSeconds),
    watchRestart: (resource) => watchRestarts.inc({ resource }),
    laneQueueDepth: (depth) => laneDepth.set(depth),
    setLeader: (leading) => leader.set(leading ? 1 : 0),
  };
}
