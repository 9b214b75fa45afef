/** Server-side Table columns of the built-in kinds, as kube-apiserver's printers define them. */

import { isObject } from "./json_value.ts";
import { ageOf } from "./kube_time.ts";
import type { KubeObject, PrinterColumn } from "./resource_type.ts";

/** A column with the function that fills its cell. */
export interface CellColumn {
  column: PrinterColumn;
  cell: (obj: KubeObject, now: number) => unknown;
}

const NAME_DESCRIPTION =
  "Name must be unique within a namespace. Is required when creating resources, although " +
  "some resources may allow a client to request the generation of an appropriate name automatically. Name is " +
  "primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: " +
  "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const AGE_DESCRIPTION =
  "CreationTimestamp is a timestamp representing the server time when this object was " +
  "created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not " +
  "set this value. It is represented in RFC3339 form and is in UTC.";

function col(
  name: string,
  cell: CellColumn["cell"],
  priority = 0,
  type = "string",
  description = "",
): CellColumn {
  return {
    column: { name, type, format: name === "Name" ? "name" : "", description, priority },
    cell,
  };
}

/** The Name column every Table starts with. */
export const NAME_COLUMN = col(
  "Name",
  (obj) => obj.metadata.name ?? "",
  0,
  "string",
  NAME_DESCRIPTION,
);
/** The Age column (relative creation time). */
export const AGE_COLUMN = col(
  "Age",
  (obj, now) => ageOf(obj.metadata.creationTimestamp, now),
  0,
  "string",
  AGE_DESCRIPTION,
);

function record(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function nodeStatus(node: KubeObject): string {
  const ready = list(record(node.status).conditions).find((c) => c.type === "Ready");
  const parts = [ready === undefined ? "Unknown" : ready.status === "True" ? "Ready" : "NotReady"];
  if (record(node.spec).unschedulable === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/")) {
      roles.add(key.slice("node-role.kubernetes.io/".length));
    } else if (key === "kubernetes.io/role" && value) roles.add(value);
  }
  return roles.size === 0 ? "<none>" : [...roles].sort().join(",");
}

function nodeAddress(node: KubeObject, type: string): string {
  return String(
    list(record(node.status).addresses).find((a) => a.type === type)?.address ?? "<none>",
  );
}

function nodeInfo(node: KubeObject, field: string, missing = "<unknown>"): string {
  const value = record(record(node.status).nodeInfo)[field];
  return typeof value === "string" && value !== "" ? value : missing;
}

function serviceExternalIp(svc: KubeObject): string {
  const spec = record(svc.spec);
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
  switch (spec.type) {
    case "LoadBalancer": {
      const ingress = list(record(record(svc.status).loadBalancer).ingress).map((i) =>
        String(i.ip ?? i.hostname)
      );
      const all = [...ingress, ...external];
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return String(spec.externalName ?? "<none>");
    default:
      return external.length > 0 ? external.join(",") : "<none>";
  }
}

function servicePorts(svc: KubeObject): string {
  const ports = list(record(svc.spec).ports).map((p) => {
    const node = typeof p.nodePort === "number" ? `:${p.nodePort}` : "";
    return `${p.port}${node}/${p.protocol ?? "TCP"}`;
  });
  return ports.length > 0 ? ports.join(",") : "<none>";
}

function selector(value: unknown): string {
  const entries = Object.entries(record(value)).map(([k, v]) => `${k}=${v}`);
  return entries.length > 0 ? entries.sort().join(",") : "<none>";
}

function sliceEndpoints(slice: KubeObject): string {
  const addresses = list(slice.endpoints).flatMap((e) =>
    Array.isArray(e.addresses) ? e.addresses.map(String) : []
  );
  if (addresses.length === 0) return "<unset>";
  const shown = addresses.slice(0, 3).join(",");
  return addresses.length > 3 ? `${shown} + ${addresses.length - 3} more...` : shown;
}

function eventObject(event: KubeObject): string {
  const involved = record(event.involvedObject);
  return `${String(involved.kind ?? "").toLowerCase()}/${String(involved.name ?? "")}`;
}

const COLUMNS: Record<string, CellColumn[]> = {
  "/Node": [
    NAME_COLUMN,
    col("Status", nodeStatus),
    col("Roles", nodeRoles),
    AGE_COLUMN,
    col("Version", (n) => nodeInfo(n, "kubeletVersion", "")),
    col("Internal-IP", (n) => nodeAddress(n, "InternalIP"), 1),
    col("External-IP", (n) => nodeAddress(n, "ExternalIP"), 1),
    col("OS-Image", (n) => nodeInfo(n, "osImage"), 1),
    col("Kernel-Version", (n) => nodeInfo(n, "kernelVersion"), 1),
    col("Container-Runtime", (n) => nodeInfo(n, "containerRuntimeVersion"), 1),
  ],
  "/Service": [
    NAME_COLUMN,
    col("Type", (s) => String(record(s.spec).type ?? "ClusterIP")),
    col("Cluster-IP", (s) => String(record(s.spec).clusterIP ?? "<none>")),
    col("External-IP", serviceExternalIp),
    col("Port(s)", servicePorts),
    AGE_COLUMN,
    col("Selector", (s) => selector(record(s.spec).selector), 1),
  ],
  "/Namespace": [
    NAME_COLUMN,
    col("Status", (ns) => String(record(ns.status).phase ?? "")),
    AGE_COLUMN,
  ],
  "/Secret": [
    NAME_COLUMN,
    col("Type", (s) => String(s.type ?? "")),
    col("Data", (s) => Object.keys(record(s.data)).length, 0, "integer"),
    AGE_COLUMN,
  ],
  "/Event": [
    col("Last Seen", (e, now) => ageOf(e.lastTimestamp ?? e.eventTime, now)),
    col("Type", (e) => String(e.type ?? "")),
    col("Reason", (e) => String(e.reason ?? "")),
    col("Object", eventObject),
    col("Message", (e) => String(e.message ?? "")),
    col("Name", (e) => e.metadata.name ?? "", 1),
  ],
  "coordination.k8s.io/Lease": [
    NAME_COLUMN,
    col("Holder", (l) => String(record(l.spec).holderIdentity ?? "")),
    AGE_COLUMN,
  ],
  "discovery.k8s.io/EndpointSlice": [
    NAME_COLUMN,
    col("AddressType", (s) => String(s.addressType ?? "")),
    col("Ports", (s) => list(s.ports).map((p) => String(p.port ?? "")).join(",") || "<unset>"),
    col("Endpoints", sliceEndpoints),
    AGE_COLUMN,
  ],
  "apiextensions.k8s.io/CustomResourceDefinition": [
    NAME_COLUMN,
    col("Created At", (c) => String(c.metadata.creationTimestamp ?? ""), 0, "date"),
  ],
};

/** The Table columns of a built-in kind (Name and Age for kinds without their own). */
export function builtinColumns(group: string, kind: string): CellColumn[] {
  return COLUMNS[`${group}/${kind}`] ?? [NAME_COLUMN, AGE_COLUMN];
}
