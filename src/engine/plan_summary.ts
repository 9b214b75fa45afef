/** Short readings of a plan for logs, status messages and metrics. */

import type { BackendCounts } from "../serve/metrics_recorder.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";

/** Backends of the set by state: as written, or as read when nothing was written. */
export function countBackends(plan: BackendSetPlan, written: boolean): BackendCounts {
  const counts = { active: 0, draining: 0 };
  for (const entry of plan.entries) {
    const backend = written ? entry.next : entry.actual;
    if (backend) counts[backend.drain ? "draining" : "active"]++;
  }
  return counts;
}

/** "add 2, drain 1, remove 1" for logs and messages. */
export function summarise(plan: BackendSetPlan): string {
  const { added, drained, undrained, removed, reweighted } = plan.changes;
  const parts = [
    [added.length, "add"],
    [drained.length, "drain"],
    [undrained.length, "undrain"],
    [removed.length, "remove"],
    [reweighted.length, "reweight"],
  ].filter(([n]) => (n as number) > 0).map(([n, verb]) => `${verb} ${n}`);
  return parts.length > 0 ? parts.join(", ") : "no change";
}
