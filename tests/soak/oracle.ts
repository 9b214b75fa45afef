/**
 * The expected content of every backend set, worked out from the cluster objects with the rules of
 * DESIGN §4 and §8 written out again here, independently of src/plan (a checker that reused the
 * planner would agree with its bugs):
 * - a node is eligible when it exists without deletionTimestamp, lacks the exclude label (any value
 *   but "false"), matches the selector, carries no deletion taint, has an InternalIP and, with
 *   filterByEndpoints, runs a ready (or serving-terminating) endpoint of the Service;
 * - its backend is InternalIP:NodePort with the Binding's weight (merged: the highest), drained when
 *   the node is NotReady or only serving-terminating (merged: drained only if every Binding drains);
 * - when every desired backend is drained, none is (fail open);
 * - Shared sets keep their foreign backends; an empty desired set keeps what the set holds (fail
 *   static), so its expected content is "anything, but not empty".
 */

import type { KubeObject } from "../../src/sim/kube/resource_type.ts";
import type { WireObject } from "../../src/sim/oci/oci_sim.ts";
import { setKey } from "./world.ts";

const EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
const DELETION_TAINTS = new Set(["ToBeDeletedByClusterAutoscaler", "karpenter.sh/disrupted"]);

/** One expected backend. */
export interface ExpectedBackend {
  weight: number;
  drain: boolean;
}

/** The expected content of one set; `failStatic` when nothing is desired (any non-empty content). */
export interface ExpectedSet {
  backends: Map<string, ExpectedBackend>;
  failStatic: boolean;
  shared: boolean;
}

/** The cluster objects the oracle reads. */
export interface ClusterObjects {
  nodes: readonly KubeObject[];
  services: readonly KubeObject[];
  slices: readonly KubeObject[];
  registrars: readonly KubeObject[];
}

interface Binding {
  setKey: string;
  namespace: string;
  service: string;
  port: string | number;
  filterByEndpoints: boolean;
  weight: number;
  selector: Selector | undefined;
  shared: boolean;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Expected sets by set key, for every set some LBRegistrar names; foreign backends not included. */
export function expectedSets(cluster: ClusterObjects): Map<string, ExpectedSet> {
  const bindings = cluster.registrars.flatMap(bindingsOf);
  const bySet = new Map<string, Binding[]>();
  for (const binding of bindings) {
    bySet.set(binding.setKey, [...(bySet.get(binding.setKey) ?? []), binding]);
  }
  const result = new Map<string, ExpectedSet>();
  for (const [key, setBindings] of bySet) {
    const merged = new Map<string, ExpectedBackend>();
    for (const binding of setBindings) {
      for (const [ipPort, wanted] of desiredOf(binding, cluster)) {
        const other = merged.get(ipPort);
        merged.set(
          ipPort,
          other
            ? { weight: Math.max(other.weight, wanted.weight), drain: other.drain && wanted.drain }
            : wanted,
        );
      }
    }
    if ([...merged.values()].every((b) => b.drain)) {
      for (const backend of merged.values()) backend.drain = false;
    }
    result.set(key, {
      backends: merged,
      failStatic: merged.size === 0,
      shared: setBindings.some((b) => b.shared),
    });
  }
  return result;
}

/** The backends of one stored set as ip:port → weight and drain. */
export function storedBackends(body: WireObject): Map<string, ExpectedBackend> {
  const list = Array.isArray(body.backends) ? body.backends as WireObject[] : [];
  return new Map(list.map((b) => [
    `${b.ipAddress}:${b.port}`,
    { weight: Number(b.weight ?? 1), drain: Boolean(b.drain ?? b.isDrain ?? false) },
  ]));
}

/** Differences between a stored set and what is expected, one line each (empty: equal). */
export function differences(
  expected: ReadonlyMap<string, ExpectedBackend>,
  actual: ReadonlyMap<string, ExpectedBackend>,
): string[] {
  const lines: string[] = [];
  for (const [key, want] of expected) {
    const have = actual.get(key);
    if (!have) lines.push(`missing ${key}`);
    else if (have.weight !== want.weight || have.drain !== want.drain) {
      lines.push(`${key} is ${describe(have)}, expected ${describe(want)}`);
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) lines.push(`unexpected ${key}`);
  return lines;
}

function describe(b: ExpectedBackend): string {
  return `weight ${b.weight}${b.drain ? " drained" : ""}`;
}

function bindingsOf(lbr: KubeObject): Binding[] {
  const spec = lbr.spec as Record<string, unknown>;
  const lbId = String(spec.loadBalancerId);
  const entries = Array.isArray(spec.services)
    ? spec.services as Record<string, unknown>[]
    : spec.service
    ? [spec.service as Record<string, unknown>]
    : [];
  return entries.map((entry) => ({
    setKey: setKey(lbId, String(entry.backendSetName ?? spec.backendSetName)),
    namespace: String(entry.namespace),
    service: String(entry.name),
    port: entry.port as string | number,
    filterByEndpoints: entry.filterByEndpoints === true,
    weight: Number(entry.weight ?? spec.weight ?? 1),
    selector: spec.nodeSelector as Selector | undefined,
    shared: spec.ownership === "Shared",
  }));
}

function desiredOf(binding: Binding, cluster: ClusterObjects): Map<string, ExpectedBackend> {
  const wanted = new Map<string, ExpectedBackend>();
  const service = cluster.services.find((s) =>
    s.metadata.namespace === binding.namespace && s.metadata.name === binding.service
  );
  const ports = ((service?.spec as Record<string, unknown> | undefined)?.ports ?? []) as Record<
    string,
    unknown
  >[];
  const port = ports.find((p) =>
    typeof binding.port === "string" ? p.name === binding.port : p.port === binding.port
  );
  const nodePort = port?.nodePort;
  if (typeof nodePort !== "number") return wanted;
  const endpoints = binding.filterByEndpoints ? endpointStates(binding, cluster) : undefined;
  for (const node of cluster.nodes) {
    const name = node.metadata.name ?? "";
    if (!eligible(node, binding.selector)) continue;
    const state = endpoints?.get(name);
    if (endpoints && !state) continue;
    const ip = internalIp(node);
    if (!ip) continue;
    const drain = !isReady(node) || state === "terminating";
    wanted.set(`${ip}:${nodePort}`, { weight: binding.weight, drain });
  }
  return wanted;
}

function eligible(node: KubeObject, selector: Selector | undefined): boolean {
  if (node.metadata.deletionTimestamp) return false;
  const labels = (node.metadata.labels ?? {}) as Record<string, string>;
  const exclude = labels[EXCLUDE_LABEL];
  if (exclude !== undefined && exclude !== "false") return false;
  if (selector && !matches(labels, selector)) return false;
  const taints = ((node.spec as Record<string, unknown> | undefined)?.taints ?? []) as {
    key: string;
  }[];
  return !taints.some((t) => DELETION_TAINTS.has(t.key));
}

function matches(labels: Record<string, string>, selector: Selector): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const value = labels[key];
    const ok = operator === "In"
      ? value !== undefined && values.includes(value)
      : operator === "NotIn"
      ? value === undefined || !values.includes(value)
      : operator === "Exists"
      ? value !== undefined
      : value === undefined;
    if (!ok) return false;
  }
  return true;
}

function isReady(node: KubeObject): boolean {
  const conditions = ((node.status as Record<string, unknown> | undefined)?.conditions ?? []) as {
    type: string;
    status: string;
  }[];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function internalIp(node: KubeObject): string | undefined {
  const addresses = ((node.status as Record<string, unknown> | undefined)?.addresses ?? []) as {
    type: string;
    address: string;
  }[];
  return addresses.find((a) => a.type === "InternalIP")?.address;
}

/** Per node: "ready" if any endpoint there is ready, else "terminating" if one serves while terminating. */
function endpointStates(binding: Binding, cluster: ClusterObjects): Map<string, string> {
  const states = new Map<string, string>();
  for (const slice of cluster.slices) {
    const labels = slice.metadata.labels ?? {};
    if (slice.metadata.namespace !== binding.namespace) continue;
    if (labels["kubernetes.io/service-name"] !== binding.service) continue;
    const endpoints = (slice.endpoints ?? []) as {
      nodeName?: string;
      conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    }[];
    for (const { nodeName, conditions = {} } of endpoints) {
      if (!nodeName) continue;
      if (conditions.ready) states.set(nodeName, "ready");
      else if (conditions.serving && conditions.terminating && !states.has(nodeName)) {
        states.set(nodeName, "terminating");
      }
    }
  }
  return states;
}
