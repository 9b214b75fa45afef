/** Service defaults and checks: cluster IP and NodePort allocation, port rules (wire notes §4). */

import { isObject } from "./json_value.ts";
import type { KubeObject } from "./resource_type.ts";
import {
  type FieldCause,
  forbiddenValue,
  invalidValue,
  notSupportedValue,
  requiredValue,
} from "./status_error.ts";

/** What the Service rules need from the rest of the simulator. */
export interface ServiceContext {
  /** Every stored Service. */
  services(): Iterable<KubeObject>;
  nodePortRange: readonly [number, number];
}

type Port = Record<string, unknown>;

const TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];

function usedNodePorts(ctx: ServiceContext, self: KubeObject): Set<number> {
  const used = new Set<number>();
  for (const svc of ctx.services()) {
    if (
      svc.metadata.namespace === self.metadata.namespace && svc.metadata.name === self.metadata.name
    ) continue;
    for (const port of portsOf(svc)) if (typeof port.nodePort === "number") used.add(port.nodePort);
  }
  return used;
}

function portsOf(svc: KubeObject): Port[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  return Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
}

function allocateClusterIp(ctx: ServiceContext): string {
  const used = new Set<string>();
  for (const svc of ctx.services()) {
    const spec = isObject(svc.spec) ? svc.spec : {};
    if (typeof spec.clusterIP === "string") used.add(spec.clusterIP);
  }
  for (let i = 10; i < 65_000; i++) {
    const ip = `10.96.${Math.floor(i / 256)}.${i % 256}`;
    if (!used.has(ip)) return ip;
  }
  throw new Error("BUG: cluster IP range exhausted");
}

function allocateNodePort(used: Set<number>, [low, high]: readonly [number, number]): number {
  const span = high - low + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = low + ((start + i) % span);
    if (!used.has(port)) return port;
  }
  throw new Error("BUG: node port range exhausted");
}

/** The Service with defaults and allocations applied, plus the causes of anything invalid. */
export function admitService(
  obj: KubeObject,
  old: KubeObject | undefined,
  ctx: ServiceContext,
): { object: KubeObject; causes: FieldCause[] } {
  const causes: FieldCause[] = [];
  const spec: Record<string, unknown> = isObject(obj.spec) ? { ...obj.spec } : {};
  const oldSpec = old && isObject(old.spec) ? old.spec : undefined;
  spec.type ??= "ClusterIP";
  const type = spec.type as string;
  if (!TYPES.includes(type)) causes.push(notSupportedValue("spec.type", type, TYPES));
  const withNodePorts = type === "NodePort" || type === "LoadBalancer";

  const used = usedNodePorts(ctx, obj);
  const oldPorts = oldSpec && Array.isArray(oldSpec.ports) ? oldSpec.ports.filter(isObject) : [];
  const rawPorts = Array.isArray(spec.ports) ? spec.ports : [];
  const ports: Port[] = rawPorts.filter(isObject).map((raw) => {
    const port: Port = { ...raw };
    port.protocol ??= "TCP";
    port.targetPort ??= port.port;
    return port;
  });
  ports.forEach((port, i) => {
    const field = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) causes.push(requiredValue(`${field}.name`));
    if (typeof port.port !== "number" || port.port < 1 || port.port > 65535) {
      causes.push(
        invalidValue(`${field}.port`, port.port ?? 0, "must be between 1 and 65535, inclusive"),
      );
    }
    if (!withNodePorts) {
      if (port.nodePort !== undefined && port.nodePort !== 0 && old === undefined) {
        causes.push(
          forbiddenValue(`${field}.nodePort`, `may not be used when \`type\` is '${type}'`),
        );
      }
      delete port.nodePort;
      return;
    }
    if (port.nodePort === undefined || port.nodePort === 0) {
      // Updates keep the port allocated before for the same port and protocol.
      const before = oldPorts.find((p) =>
        p.port === port.port && (p.protocol ?? "TCP") === port.protocol
      );
      if (before && typeof before.nodePort === "number") port.nodePort = before.nodePort;
    }
    if (typeof port.nodePort === "number") {
      const [low, high] = ctx.nodePortRange;
      const mine = oldPorts.some((p) => p.nodePort === port.nodePort);
      if (port.nodePort < low || port.nodePort > high) {
        causes.push(invalidValue(
          `${field}.nodePort`,
          port.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${low}-${high}`,
        ));
      } else if (used.has(port.nodePort) && !mine) {
        causes.push(
          invalidValue(`${field}.nodePort`, port.nodePort, "provided port is already allocated"),
        );
      }
    } else {
      port.nodePort = allocateNodePort(used, ctx.nodePortRange);
    }
    used.add(port.nodePort as number);
  });
  if (Array.isArray(spec.ports)) spec.ports = ports;

  if (type !== "ExternalName") {
    if (oldSpec?.clusterIP && (spec.clusterIP === undefined || spec.clusterIP === "")) {
      spec.clusterIP = oldSpec.clusterIP;
      spec.clusterIPs = oldSpec.clusterIPs;
    }
    if (spec.clusterIP === undefined || spec.clusterIP === "") {
      spec.clusterIP = allocateClusterIp(ctx);
    }
    spec.clusterIPs ??= [spec.clusterIP];
    spec.ipFamilies ??= ["IPv4"];
    spec.ipFamilyPolicy ??= "SingleStack";
    spec.internalTrafficPolicy ??= "Cluster";
  }
  spec.sessionAffinity ??= "None";
  if (withNodePorts) spec.externalTrafficPolicy ??= "Cluster";
  else delete spec.externalTrafficPolicy;

  const object: KubeObject = { ...obj, spec };
  if (!old) object.status = { loadBalancer: {} };
  return { object, causes };
}
