/**
 * The backend port of a Binding: a fixed number, or the NodePort of one port of a Service.
 *
 * | case                                             | reason               |
 * |--------------------------------------------------|----------------------|
 * | fixed port outside 1–65535                       | InvalidSpec          |
 * | Service absent                                   | ServiceNotFound      |
 * | type not NodePort or LoadBalancer (ClusterIP...) | NodePortNotAllocated |
 * | no port with that name / number                  | NodePortNotAllocated |
 * | matching port has no nodePort (0 or absent)      | NodePortNotAllocated |
 *
 * A Service that exists but offers no NodePort for the wanted port is "NodePortNotAllocated" in every
 * shape: the cluster has no node port to send traffic to, and the message says which shape it is.
 * LoadBalancer Services are accepted (the original rejected them although they carry nodePorts).
 * A number matches `port` (the Service port, as in the original), a string matches `name`; a string
 * of digits that names no port also matches by number, since YAML quoting turns 80 into "80".
 * Of several matches TCP wins; otherwise the first match is used (an NLB listener can be UDP).
 */

import type { PortSource } from "../api/binding.ts";
import type { ConditionReason } from "../api/conditions.ts";
import type { ServiceInfo, ServicePortInfo } from "./model.ts";
import { namespacedKey } from "./cluster.ts";

/** A resolved backend port, or why there is none. */
export type NodePortResult =
  | { ok: true; port: number; service?: string }
  | { ok: false; reason: ConditionReason; message: string; service?: string };

const NODE_PORT_TYPES: ReadonlySet<string> = new Set(["NodePort", "LoadBalancer"]);

/** Resolves the backend port of `source` against Services keyed "namespace/name". */
export function resolveNodePort(
  services: ReadonlyMap<string, ServiceInfo>,
  source: PortSource,
): NodePortResult {
  if (source.kind === "fixed") {
    const { nodePort } = source;
    if (isPort(nodePort)) return { ok: true, port: nodePort };
    return {
      ok: false,
      reason: "InvalidSpec",
      message: `Cannot use nodePort ${
        JSON.stringify(nodePort)
      }: wanted a whole number from 1 to 65535`,
    };
  }
  const service = namespacedKey(source.namespace, source.name);
  const what = `Cannot resolve NodePort for service "${service}" port ${quote(source.port)}`;
  const fail = (reason: ConditionReason, detail: string): NodePortResult => ({
    ok: false,
    reason,
    message: `${what}: ${detail}`,
    service,
  });
  const found = services.get(service);
  if (!found) return fail("ServiceNotFound", "the service does not exist");
  if (!NODE_PORT_TYPES.has(found.type)) {
    return fail("NodePortNotAllocated", `type is ${found.type}, wanted NodePort or LoadBalancer`);
  }
  const match = matchPort(found.ports, source.port);
  if (!match) {
    const available = found.ports.length === 0
      ? "the service has no ports"
      : `the service has ${found.ports.map(describePort).join(", ")}`;
    const wanted = typeof source.port === "number"
      ? `no port ${source.port}`
      : `no port named "${source.port}"`;
    return fail("NodePortNotAllocated", `${wanted}, ${available}`);
  }
  if (!isPort(match.nodePort)) {
    const hint = found.type === "LoadBalancer" ? " (is allocateLoadBalancerNodePorts false?)" : "";
    return fail("NodePortNotAllocated", `${describePort(match)} has no nodePort allocated${hint}`);
  }
  return { ok: true, port: match.nodePort, service };
}

function matchPort(
  ports: readonly ServicePortInfo[],
  wanted: number | string,
): ServicePortInfo | undefined {
  let matches = typeof wanted === "number"
    ? ports.filter((p) => p.port === wanted)
    : ports.filter((p) => p.name === wanted);
  if (matches.length === 0 && typeof wanted === "string" && /^[0-9]+$/.test(wanted)) {
    matches = ports.filter((p) => p.port === Number(wanted));
  }
  return matches.find((p) => p.protocol === "TCP") ?? matches[0];
}

function isPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

function describePort(port: ServicePortInfo): string {
  const spec = `${port.port}/${port.protocol}`;
  return port.name ? `"${port.name}" (${spec})` : spec;
}

function quote(port: number | string): string {
  return typeof port === "number" ? String(port) : `"${port}"`;
}
