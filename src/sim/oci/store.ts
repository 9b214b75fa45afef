/** The load balancers the simulator knows and their backend sets, each with an etag bumped on change. */
import type { LbKind, LoadBalancerSpec, SimLoadBalancer, WireObject } from "./types.ts";

const DEFAULT_COMPARTMENT = "ocid1.compartment.oc1..simulated";

/** Load balancers by OCID. */
export interface Store {
  add(spec: LoadBalancerSpec): SimLoadBalancer;
  get(id: string): SimLoadBalancer | undefined;
  all(): IterableIterator<SimLoadBalancer>;
  /** Stores `body` as backend set `body.name` and gives it (and its LB) a new etag. */
  commit(lb: SimLoadBalancer, body: WireObject): void;
}

/** The API an OCID belongs to (DESIGN §8); throws for anything else. */
export function kindOf(ocid: string): LbKind {
  if (ocid.startsWith("ocid1.networkloadbalancer.")) return "nlb";
  if (ocid.startsWith("ocid1.loadbalancer.")) return "lb";
  throw new Error(
    `Cannot add load balancer "${ocid}": expected an OCID starting with ocid1.loadbalancer. or ocid1.networkloadbalancer.`,
  );
}

/** A fresh opaque etag. */
export function newEtag(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** An empty store. */
export function createStore(): Store {
  const lbs = new Map<string, SimLoadBalancer>();
  return {
    add({ id, compartmentId, displayName, workRequestDelayMs }) {
      const kind = kindOf(id);
      if (lbs.has(id)) throw new Error(`Cannot add load balancer "${id}": it exists already`);
      const lb: SimLoadBalancer = {
        id,
        kind,
        compartmentId: compartmentId ?? DEFAULT_COMPARTMENT,
        displayName: displayName ?? id.slice(id.lastIndexOf(".") + 1),
        workRequestDelayMs,
        timeCreated: new Date().toISOString(),
        etag: newEtag(),
        backendSets: new Map(),
      };
      lbs.set(id, lb);
      return lb;
    },
    get: (id) => lbs.get(id),
    all: () => lbs.values(),
    commit(lb, body) {
      lb.backendSets.set(String(body.name), { body, etag: newEtag() });
      lb.etag = newEtag();
    },
  };
}
