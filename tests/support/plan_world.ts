/**
 * A generated world for property tests of the planner: the cluster, one backend set's bindings and
 * what it holds, and the engine's records. `planOf` plans it; `applied` is the world after the
 * engine carries a plan out, so properties can plan again and check idempotence.
 */

import type { Binding } from "../../src/api/binding.ts";
import type { Backend, EndpointSliceInfo, NodeInfo, ServiceInfo } from "../../src/plan/model.ts";
import { type BackendSetPlan, planBackendSet } from "../../src/plan/plan_backend_set.ts";
import { BACKEND_SET, cluster, LB_ID, NOW } from "./plan_fixtures.ts";

export interface World {
  nodes: NodeInfo[];
  services: ServiceInfo[];
  slices: EndpointSliceInfo[];
  bindings: Binding[];
  actual: Backend[];
  owned: Map<string, Set<string>>;
  deregistering: Set<string>;
  drainedAt: Map<string, number>;
}

/** The plan for `world` at `now`. */
export function planOf(world: World, now = NOW): BackendSetPlan {
  return planBackendSet(cluster(world), {
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    bindings: world.bindings,
    actual: world.actual,
    owned: world.owned,
    deregistering: world.deregistering,
    drainedAt: world.drainedAt,
    now,
  });
}

/** The world after the engine applies `plan` at `now`: the write, the status records, the timers. */
export function applied(world: World, plan: BackendSetPlan, now: number): World {
  const owned = new Map<string, Set<string>>();
  const record = (lbr: string, list: readonly string[]) => {
    const set = owned.get(lbr) ?? new Set<string>();
    for (const key of list) set.add(key);
    owned.set(lbr, set);
  };
  for (const b of plan.bindings) record(b.binding.lbr, [...b.registered, ...b.draining]);
  for (const o of plan.orphans) record(o.lbr, [...o.registered, ...o.draining]);
  const drainedAt = new Map(world.drainedAt);
  for (const key of plan.drainTimers.forget) drainedAt.delete(key);
  for (const key of [...plan.drainTimers.startNow, ...plan.drainTimers.startOnWrite]) {
    drainedAt.set(key, now);
  }
  return { ...world, actual: plan.next, owned, drainedAt };
}
