/**
 * Process metrics that tell the truth under Deno. prom-client's default set reads /proc/self/*,
 * which Deno opens only with --allow-all: without it those gauges silently stay 0. So the set is
 * collected, the series Deno cannot fill are removed, and resident memory comes from Deno itself.
 */

import { collectDefaultMetrics, Gauge, type Registry } from "prom-client";

/**
 * Default series dropped: /proc readers (memory, open fds), libuv handle and request counts (always
 * 0 under Deno), GC durations (Deno emits no `gc` performance entries) and the Node.js version
 * (Deno's compatibility version, which misleads).
 */
const UNAVAILABLE_UNDER_DENO = [
  "process_resident_memory_bytes",
  "process_virtual_memory_bytes",
  "process_heap_bytes",
  "process_open_fds",
  "process_max_fds",
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_gc_duration_seconds",
  "nodejs_version_info",
];

/** Registers CPU, start time, event-loop lag, heap and resident-memory series on `registry`. */
export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of UNAVAILABLE_UNDER_DENO) registry.removeSingleMetric(name);
  new Gauge({
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    registers: [registry],
    collect() {
      this.set(Deno.memoryUsage().rss);
    },
  });
}
