/**
 * Raw API objects (plain JSON) → the small projections the planner reads (src/plan/model.ts). Only
 * these are kept in memory; everything else of an object is dropped as soon as it is projected.
 */
import { API_VERSION, KIND } from "../api/constants.ts";
import type { LBRegistrar, LBRegistrarSpec, LBRegistrarStatus, ObjectMeta } from "../api/types.ts";
import type {
  EndpointInfo,
  EndpointSliceInfo,
  NodeInfo,
  ServiceInfo,
  ServicePortInfo,
} from "../plan/model.ts";

/** Label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

/** The part of `metadata` every kind shares, as it arrives on the wire. */
export interface RawMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

/** Any API object, as it arrives on the wire. */
export interface RawObject {
  metadata?: RawMeta;
  [field: string]: unknown;
}

interface RawNode extends RawObject {
  spec?: { taints?: { key?: string }[] | null };
  status?: {
    conditions?: { type?: string; status?: string }[] | null;
    addresses?: { type?: string; address?: string }[] | null;
  };
}

interface RawService extends RawObject {
  spec?: {
    type?: string;
    ports?: { name?: string; port?: number; protocol?: string; nodePort?: number }[] | null;
  };
}

interface RawEndpointSlice extends RawObject {
  endpoints?:
    | {
      nodeName?: string;
      conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    }[]
    | null;
}

interface RawLBRegistrar extends RawObject {
  spec?: LBRegistrarSpec;
  status?: LBRegistrarStatus;
}

/** Set by `kubectl apply`: a second copy of the spec, never read by the operator. */
const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

function withoutLastApplied(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!annotations || !(LAST_APPLIED_ANNOTATION in annotations)) return annotations;
  const { [LAST_APPLIED_ANNOTATION]: _dropped, ...rest } = annotations;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** "namespace/name", or the bare name of a cluster-scoped object. */
export function objectKey(raw: RawObject): string {
  const meta = raw.metadata ?? {};
  return meta.namespace ? `${meta.namespace}/${meta.name ?? ""}` : meta.name ?? "";
}

/** What the planner needs of a Node: Ready means a Ready condition with status "True" (DESIGN §8). */
export function projectNode(object: RawObject): NodeInfo {
  const raw = object as RawNode;
  const meta = raw.metadata ?? {};
  return {
    name: meta.name ?? "",
    deleting: Boolean(meta.deletionTimestamp),
    labels: meta.labels ?? {},
    taints: (raw.spec?.taints ?? []).map((taint) => taint.key ?? ""),
    ready: (raw.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    addresses: (raw.status?.addresses ?? []).map((a) => ({
      type: a.type ?? "",
      address: a.address ?? "",
    })),
  };
}

/** What the planner needs of a Service: its type and ports with their NodePorts. */
export function projectService(object: RawObject): ServiceInfo {
  const raw = object as RawService;
  const meta = raw.metadata ?? {};
  return {
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    type: raw.spec?.type ?? "ClusterIP",
    ports: (raw.spec?.ports ?? []).map((p) => {
      const port: ServicePortInfo = { port: p.port ?? 0, protocol: p.protocol ?? "TCP" };
      if (p.name) port.name = p.name;
      if (p.nodePort) port.nodePort = p.nodePort;
      return port;
    }),
  };
}

/**
 * What the planner needs of an EndpointSlice, or undefined for a slice that names no Service.
 * Conditions follow the API's rules for absent values: ready → true, serving → ready,
 * terminating → false.
 */
export function projectEndpointSlice(object: RawObject): EndpointSliceInfo | undefined {
  const raw = object as RawEndpointSlice;
  const meta = raw.metadata ?? {};
  const serviceName = meta.labels?.[SERVICE_NAME_LABEL];
  if (!serviceName) return undefined;
  return {
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    serviceName,
    endpoints: (raw.endpoints ?? []).map((e) => {
      const ready = e.conditions?.ready ?? true;
      const endpoint: EndpointInfo = {
        ready,
        serving: e.conditions?.serving ?? ready,
        terminating: e.conditions?.terminating ?? false,
      };
      if (e.nodeName) endpoint.nodeName = e.nodeName;
      return endpoint;
    }),
  };
}

/** The LBRegistrar without managedFields and other metadata the operator never reads. */
export function projectLBRegistrar(object: RawObject): LBRegistrar {
  const raw = object as RawLBRegistrar;
  const meta = raw.metadata ?? {};
  const metadata: ObjectMeta = { name: meta.name ?? "" };
  if (meta.uid !== undefined) metadata.uid = meta.uid;
  if (meta.generation !== undefined) metadata.generation = meta.generation;
  if (meta.resourceVersion !== undefined) metadata.resourceVersion = meta.resourceVersion;
  if (meta.creationTimestamp) metadata.creationTimestamp = meta.creationTimestamp;
  if (meta.deletionTimestamp) metadata.deletionTimestamp = meta.deletionTimestamp;
  if (meta.labels) metadata.labels = meta.labels;
  const annotations = withoutLastApplied(meta.annotations);
  if (annotations) metadata.annotations = annotations;
  if (meta.finalizers?.length) metadata.finalizers = meta.finalizers;
  const lbr: LBRegistrar = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata,
    spec: raw.spec ?? ({} as LBRegistrarSpec),
  };
  if (raw.status) lbr.status = raw.status;
  return lbr;
}
