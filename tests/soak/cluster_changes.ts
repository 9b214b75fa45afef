/**
 * The random but seeded stream of cluster changes: node joins and deletions, NotReady flaps, label
 * and taint changes, NodePort changes, EndpointSlice churn, LBRegistrar edits, heartbeats (which must
 * cost nothing) and backend sets changed by hand in OCI (drift, repaired at the next resync).
 * Bounds keep the world plausible (node count within ±10%, at most a few dozen nodes out at once).
 */

import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { KubeObject } from "../../src/sim/kube/resource_type.ts";
import type { OciSim, WireObject } from "../../src/sim/oci/oci_sim.ts";
import type { Random } from "./random.ts";
import {
  APP_NAMESPACE,
  endpoint,
  type EndpointState,
  foreignBackends,
  nodeLabels,
  POOLS,
  SERVICES,
  type SetRef,
  SLICES,
  ZONES,
} from "./world.ts";

/** Kinds of change, with their relative frequency. */
export const CHANGE_WEIGHTS = {
  join: 4,
  delete: 4,
  notReady: 10,
  label: 6,
  taint: 4,
  nodePort: 1,
  endpoints: 8,
  lbrEdit: 3,
  heartbeat: 5,
  drift: 1,
} as const;

export type ChangeKind = keyof typeof CHANGE_WEIGHTS;

/** Largest drainSeconds an LBRegistrar edit sets (the world starts at 1). */
export const MAX_DRAIN_SECONDS = 2;

const EXCLUDE = "node.kubernetes.io/exclude-from-external-load-balancers";
const TAINTS = ["ToBeDeletedByClusterAutoscaler", "karpenter.sh/disrupted"];
const LBR_API = "nodes.peppy-ratio.dev/v1alpha1";

/** What the change stream works on. */
export interface ChangeDeps {
  kube: KubeSim;
  oci: OciSim;
  random: Random;
  sets: readonly SetRef[];
  /** Initial node count; joins and deletions stay within ±10% of it. */
  nodeCount: number;
}

/** Applies one random change per call; returns its kind and a short description. */
export function createChangeStream(deps: ChangeDeps) {
  const { kube, oci, random, sets, nodeCount } = deps;
  const nodes = new Set<string>();
  for (let i = 0; i < nodeCount; i++) nodes.add(`node-${String(i).padStart(3, "0")}`);
  let nextNode = nodeCount;
  let endpointIndex = 10_000;
  const notReady = new Set<string>();
  const out = { excluded: new Set<string>(), tainted: new Set<string>() };
  const slack = Math.max(3, Math.round(nodeCount * 0.1));
  const outLimit = Math.max(2, Math.round(nodeCount * 0.05));

  const nodeRef = (name: string) => ({ apiVersion: "v1", kind: "Node", name });
  const someNode = () => random.pick([...nodes]);
  const lbrRef = (name: string) => ({ apiVersion: LBR_API, kind: "LBRegistrar", name });

  const changes: Record<ChangeKind, () => string | undefined> = {
    join() {
      if (nodes.size >= nodeCount + slack) return undefined;
      const name = `node-${String(nextNode++).padStart(3, "0")}`;
      const ready = notReady.size >= outLimit || random.chance(0.9);
      kube.addNode(name, { labels: nodeLabels(random), ready });
      nodes.add(name);
      if (!ready) notReady.add(name);
      return `node ${name} joined`;
    },
    delete() {
      if (nodes.size <= nodeCount - slack) return undefined;
      const name = someNode();
      kube.removeNode(name);
      nodes.delete(name);
      notReady.delete(name);
      out.excluded.delete(name);
      out.tainted.delete(name);
      return `node ${name} deleted`;
    },
    notReady() {
      const recover = notReady.size >= outLimit || (notReady.size > 0 && random.chance(0.5));
      const name = recover ? random.pick([...notReady]) : someNode();
      const ready = notReady.has(name);
      kube.setNodeReady(name, ready);
      if (ready) notReady.delete(name);
      else notReady.add(name);
      return `node ${name} ${ready ? "Ready" : "NotReady"}`;
    },
    label() {
      const name = someNode();
      const what = random.weighted({ zone: 3, pool: 3, exclude: 2 });
      if (what === "exclude") {
        const excluded = out.excluded.has(name);
        if (!excluded && out.excluded.size >= outLimit) return undefined;
        const value = excluded ? null : random.pick(["true", "", "yes"]);
        kube.patch(nodeRef(name), { metadata: { labels: { [EXCLUDE]: value } } });
        if (excluded) out.excluded.delete(name);
        else out.excluded.add(name);
        return `node ${name} ${excluded ? "no longer" : "now"} excluded from load balancers`;
      }
      const value = what === "zone" ? random.pick(ZONES) : random.pick(POOLS);
      kube.patch(nodeRef(name), { metadata: { labels: { [what]: value } } });
      return `node ${name} label ${what}=${value}`;
    },
    taint() {
      const tainted = out.tainted.size > 0 && (out.tainted.size >= outLimit || random.chance(0.5));
      const name = tainted ? random.pick([...out.tainted]) : someNode();
      const taints = tainted
        ? [{ key: "dedicated", value: "soak", effect: "PreferNoSchedule" }]
        : [{ key: random.pick(TAINTS), effect: "NoSchedule" }];
      kube.patch(nodeRef(name), { spec: { taints } });
      if (tainted) out.tainted.delete(name);
      else out.tainted.add(name);
      return `node ${name} ${tainted ? "untainted" : `tainted ${taints[0]!.key}`}`;
    },
    nodePort() {
      const service = random.pick(Object.keys(SERVICES));
      const object = kube.get({
        apiVersion: "v1",
        kind: "Service",
        namespace: APP_NAMESPACE,
        name: service,
      });
      if (!object) return undefined;
      const all = servicePorts(kube);
      const ports = (object.spec as { ports: Record<string, unknown>[] }).ports;
      const port = random.pick(ports);
      let nodePort = random.int(30000, 32767);
      while (all.has(nodePort)) nodePort = random.int(30000, 32767);
      port.nodePort = nodePort;
      kube.update(object);
      return `service ${service} port ${port.name} NodePort → ${nodePort}`;
    },
    endpoints() {
      const service = random.pick(Object.keys(SLICES));
      const name = random.pick(SLICES[service]!);
      const ref = {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        namespace: APP_NAMESPACE,
        name,
      };
      const slice = kube.get(ref);
      if (!slice) return undefined;
      const list = (slice.endpoints ?? []) as WireObject[];
      const readyCount = list.filter((e) => (e.conditions as { ready?: boolean })?.ready).length;
      const what = random.weighted({ move: 3, state: 4, add: 2, remove: 2 });
      let text: string;
      if (what === "add" || list.length === 0) {
        list.push(endpoint(someNode(), endpointIndex++, "ready"));
        text = "endpoint added";
      } else if (what === "remove" && readyCount > 8) {
        list.splice(random.int(0, list.length - 1), 1);
        text = "endpoint removed";
      } else if (what === "move") {
        const index = random.int(0, list.length - 1);
        list[index] = { ...list[index]!, nodeName: someNode() };
        text = "endpoint moved to another node";
      } else {
        const index = random.int(0, list.length - 1);
        const state: EndpointState = readyCount > 8
          ? random.pick(["ready", "ready", "terminating", "down"])
          : "ready";
        list[index] = endpoint(String(list[index]!.nodeName), endpointIndex++, state);
        text = `endpoint ${state}`;
      }
      kube.update({ ...slice, endpoints: list } as KubeObject);
      return `EndpointSlice ${name}: ${text}`;
    },
    lbrEdit() {
      const edit = random.weighted({ weight: 3, drain: 1, selector: 2, filter: 2, failStatic: 1 });
      if (edit === "weight") {
        const name = random.pick(["web-a", "web-a-general", "multi-d-z1", "tcp-c", "shared-b"]);
        const weight = random.int(1, 10);
        kube.patch(lbrRef(name), { spec: { weight } });
        return `LBRegistrar ${name} weight ${weight}`;
      }
      if (edit === "drain") {
        const name = random.pick(["web-a", "api-b", "tcp-c", "grpc-d"]);
        const drainSeconds = random.int(0, MAX_DRAIN_SECONDS);
        kube.patch(lbrRef(name), { spec: { drainSeconds } });
        return `LBRegistrar ${name} drainSeconds ${drainSeconds}`;
      }
      if (edit === "selector" || edit === "failStatic") {
        const name = random.pick(["grpc-d", "web-a-general"]);
        const pool = edit === "failStatic" ? "none" : random.pick(POOLS);
        kube.patch(lbrRef(name), { spec: { nodeSelector: { matchLabels: { pool } } } });
        return `LBRegistrar ${name} nodeSelector pool=${pool}`;
      }
      const name = random.pick(["web-a", "tcp-c"]);
      const lbr = kube.get(lbrRef(name));
      if (!lbr) return undefined;
      const services = (lbr.spec as { services: Record<string, unknown>[] }).services;
      const entry = services[0]!;
      entry.filterByEndpoints = !entry.filterByEndpoints;
      kube.patch(lbrRef(name), { spec: { services } });
      return `LBRegistrar ${name} filterByEndpoints ${entry.filterByEndpoints}`;
    },
    heartbeat() {
      const name = someNode();
      kube.heartbeat(name);
      return `node ${name} heartbeat`;
    },
    drift() {
      const set = random.pick(sets);
      const stored = oci.getBackendSet(set.lbId, set.name);
      if (!stored) return undefined;
      const backends = (stored.body.backends ?? []) as WireObject[];
      const isForeign = (b: WireObject) =>
        foreignBackends(set.name).some((f) => f.ipAddress === b.ipAddress && f.port === b.port);
      const own = backends.filter((b) => !isForeign(b));
      if (own.length > 2 && random.chance(0.6)) {
        const victim = random.pick(own);
        oci.setBackends(set.lbId, set.name, backends.filter((b) => b !== victim));
        return `drift: ${victim.ipAddress}:${victim.port} removed by hand from ${set.name}`;
      }
      if (set.name.endsWith("shared")) return undefined;
      const stray = { ipAddress: `10.99.0.${random.int(1, 250)}`, port: 31999, weight: 1 };
      if (backends.some((b) => b.ipAddress === stray.ipAddress)) return undefined;
      oci.setBackends(set.lbId, set.name, [...backends, stray]);
      return `drift: stray ${stray.ipAddress}:${stray.port} added by hand to ${set.name}`;
    },
  };

  return {
    /** Applies one change of a random kind; undefined when the drawn one did not apply. */
    apply(): { kind: ChangeKind; text: string } | undefined {
      const kind = random.weighted(CHANGE_WEIGHTS);
      const text = changes[kind]();
      return text === undefined ? undefined : { kind, text };
    },
    /** Undoes the fail-static edit, so every set has something to converge to at the end. */
    restoreSelectors() {
      for (const name of ["grpc-d", "web-a-general"]) {
        const lbr = kube.get(lbrRef(name));
        const pool = (lbr?.spec as { nodeSelector?: { matchLabels?: { pool?: string } } })
          ?.nodeSelector?.matchLabels?.pool;
        if (pool === "none") {
          kube.patch(lbrRef(name), {
            spec: { nodeSelector: { matchLabels: { pool: "general" } } },
          });
        }
      }
    },
  };
}

function servicePorts(kube: KubeSim): Set<number> {
  const used = new Set<number>();
  for (const name of Object.keys(SERVICES)) {
    const object = kube.get({ apiVersion: "v1", kind: "Service", namespace: APP_NAMESPACE, name });
    const ports = ((object?.spec as { ports?: { nodePort?: number }[] })?.ports) ?? [];
    for (const port of ports) if (port.nodePort) used.add(port.nodePort);
  }
  return used;
}
