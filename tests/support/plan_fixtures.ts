/** Builders with defaults and overrides for planner tests: nodes, services, slices, backends, bindings. */

import type { Binding } from "../../src/api/binding.ts";
import type {
  Backend,
  EndpointInfo,
  EndpointSliceInfo,
  NodeAddress,
  NodeInfo,
  ServiceInfo,
  ServicePortInfo,
} from "../../src/plan/model.ts";
import { type ClusterIndex, indexCluster, namespacedKey } from "../../src/plan/cluster.ts";

export const LB_ID = "ocid1.loadbalancer.oc1.phx.aaaatest";
export const BACKEND_SET = "web";
export const NOW = 1_700_000_000_000;

/** A Node named `name`; its InternalIP defaults to 10.0.<n / 256>.<n % 256> for a name ending in n. */
export function node(
  name: string,
  overrides: Partial<Omit<NodeInfo, "name">> & { ip?: string } = {},
): NodeInfo {
  const { ip = defaultIp(name), ...rest } = overrides;
  const addresses: NodeAddress[] = [
    { type: "InternalIP", address: ip },
    { type: "Hostname", address: name },
  ];
  return { name, deleting: false, labels: {}, taints: [], ready: true, addresses, ...rest };
}

/** The default InternalIP of `node(name)`. */
export function defaultIp(name: string): string {
  const n = Number(/(\d+)$/.exec(name)?.[1] ?? "1");
  return `10.0.${Math.floor(n / 256)}.${n % 256}`;
}

/** A backend parsed from "ip:port" or "[ipv6]:port", active, weight 1. */
export function backend(ipPortText: string, overrides: Partial<Backend> = {}): Backend {
  const m = /^\[(.+)\]:(\d+)$/.exec(ipPortText) ?? /^(.*):(\d+)$/.exec(ipPortText);
  if (!m) throw new Error(`Cannot parse backend "${ipPortText}": use ip:port`);
  return {
    ipAddress: m[1] ?? "",
    port: Number(m[2]),
    weight: 1,
    drain: false,
    backup: false,
    offline: false,
    ...overrides,
  };
}

/** A Binding of LBRegistrar "web" to backend set "web" at fixed port 30080. */
export function binding(overrides: Partial<Binding> = {}): Binding {
  return {
    lbr: "web",
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    port: { kind: "fixed", nodePort: 30080 },
    weight: 1,
    filterByEndpoints: false,
    addressType: "InternalIP",
    ipFamily: "IPv4",
    ownership: "Exclusive",
    drainSeconds: 30,
    source: "spec",
    ...overrides,
  };
}

/** A Binding to port `port` of Service "namespace/name". */
export function serviceBinding(
  namespacedName: string,
  port: number | string,
  overrides: Partial<Binding> = {},
): Binding {
  const [namespace = "", name = ""] = namespacedName.split("/");
  return binding({
    port: { kind: "service", namespace, name, port },
    source: "spec.services[0]",
    ...overrides,
  });
}

/** A Service "namespace/name" of type NodePort with port "http" 80/TCP → nodePort 30080. */
export function service(
  namespacedName: string,
  overrides: Partial<Omit<ServiceInfo, "namespace" | "name">> = {},
): ServiceInfo {
  const [namespace = "", name = ""] = namespacedName.split("/");
  const ports: ServicePortInfo[] = [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }];
  return { namespace, name, type: "NodePort", ports, ...overrides };
}

/** An endpoint on `nodeName`, ready unless overridden. */
export function endpoint(
  nodeName: string | undefined,
  overrides: Partial<EndpointInfo> = {},
): EndpointInfo {
  return {
    ...(nodeName === undefined ? {} : { nodeName }),
    ready: true,
    serving: true,
    terminating: false,
    ...overrides,
  };
}

/** An EndpointSlice of Service "namespace/name". */
export function slice(
  namespacedName: string,
  endpoints: readonly EndpointInfo[],
  overrides: Partial<EndpointSliceInfo> = {},
): EndpointSliceInfo {
  const [namespace = "", serviceName = ""] = namespacedName.split("/");
  return { namespace, name: `${serviceName}-abcde`, serviceName, endpoints, ...overrides };
}

/** An indexed cluster of these nodes, services and slices. */
export function cluster(
  parts: {
    nodes?: readonly NodeInfo[];
    services?: readonly ServiceInfo[];
    slices?: readonly EndpointSliceInfo[];
  } = {},
): ClusterIndex {
  const slices = new Map<string, EndpointSliceInfo[]>();
  for (const s of parts.slices ?? []) {
    const key = namespacedKey(s.namespace, s.serviceName);
    slices.set(key, [...(slices.get(key) ?? []), s]);
  }
  return indexCluster({
    nodes: new Map((parts.nodes ?? []).map((n) => [n.name, n])),
    services: new Map((parts.services ?? []).map((s) => [namespacedKey(s.namespace, s.name), s])),
    slices,
  });
}

/** Nodes n1..n<count> with default addresses. */
export function nodes(count: number, overrides: Partial<Omit<NodeInfo, "name">> = {}): NodeInfo[] {
  return Array.from({ length: count }, (_, i) => node(`n${i + 1}`, overrides));
}

/** "ip:port" strings of the backends in a list, in order. */
export function keys(backends: readonly Backend[]): string[] {
  return backends.map((
    b,
  ) => (b.ipAddress.includes(":") ? `[${b.ipAddress}]:${b.port}` : `${b.ipAddress}:${b.port}`));
}
