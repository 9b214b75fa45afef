/**
 * Raw API objects (plain JSON) → the small projections the planner reads (src/plan/model.ts). Only
 * these are kept in memory; everything else of an object is dropped as soon as it is projected.
 * Input is untrusted: a field of the wrong type reads as absent and a malformed list entry is
 * skipped, so one odd object (a CRD without schema, a status written by hand) never stops a
 * reflector or the engine. Well-formed objects are projected without copying what they hold.
 */
import { API_VERSION, KIND } from "../api/constants.ts";
import type {
  BackendSetStatus,
  Condition,
  LBRegistrar,
  LBRegistrarSpec,
  LBRegistrarStatus,
  ObjectMeta,
} from "../api/types.ts";
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

interface RawLBRegistrar extends RawObject {
  spec?: LBRegistrarSpec;
  status?: unknown;
}

type Fields = Record<string, unknown>;

const NO_FIELDS: Fields = {};

function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` when it is an object, else an empty one. */
function fieldsOf(value: unknown): Fields {
  return isFields(value) ? value : NO_FIELDS;
}

/** `value` when it is a list, else an empty one. */
function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/** `list` without the items `keep` refuses; the list itself when it keeps them all. */
function only<T>(list: readonly unknown[], keep: (item: unknown) => item is T): T[] {
  return list.every(keep) ? list as T[] : list.filter(keep);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** A map of strings (labels, annotations): the map itself, or a copy without other values. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isFields(value)) return undefined;
  for (const key in value) {
    if (typeof value[key] !== "string") {
      return Object.fromEntries(
        Object.entries(value).filter(([, v]) => typeof v === "string"),
      ) as Record<string, string>;
    }
  }
  return value as Record<string, string>;
}

/** The object's metadata with fields of the wrong type left out. */
function metaOf(object: unknown): RawMeta {
  const raw = fieldsOf(fieldsOf(object).metadata);
  const meta: RawMeta = {};
  if (typeof raw.name === "string") meta.name = raw.name;
  if (typeof raw.namespace === "string") meta.namespace = raw.namespace;
  if (typeof raw.uid === "string") meta.uid = raw.uid;
  if (typeof raw.generation === "number") meta.generation = raw.generation;
  if (typeof raw.resourceVersion === "string") meta.resourceVersion = raw.resourceVersion;
  if (typeof raw.creationTimestamp === "string") meta.creationTimestamp = raw.creationTimestamp;
  if (typeof raw.deletionTimestamp === "string") meta.deletionTimestamp = raw.deletionTimestamp;
  const labels = stringMap(raw.labels);
  if (labels) meta.labels = labels;
  const annotations = stringMap(raw.annotations);
  if (annotations) meta.annotations = annotations;
  if (Array.isArray(raw.finalizers)) meta.finalizers = only(raw.finalizers, isString);
  return meta;
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
  const meta = fieldsOf(fieldsOf(raw).metadata);
  const name = stringOr(meta.name, "");
  return typeof meta.namespace === "string" && meta.namespace !== ""
    ? `${meta.namespace}/${name}`
    : name;
}

/** What the planner needs of a Node: Ready means a Ready condition with status "True" (DESIGN §8). */
export function projectNode(object: RawObject): NodeInfo {
  const raw = fieldsOf(object);
  const meta = metaOf(raw);
  const status = fieldsOf(raw.status);
  return {
    name: meta.name ?? "",
    deleting: Boolean(meta.deletionTimestamp),
    labels: meta.labels ?? {},
    taints: listOf(fieldsOf(raw.spec).taints).map((taint) => stringOr(fieldsOf(taint).key, "")),
    ready: listOf(status.conditions).some((c) =>
      isFields(c) && c.type === "Ready" && c.status === "True"
    ),
    addresses: listOf(status.addresses).filter(isFields).map((a) => ({
      type: stringOr(a.type, ""),
      address: stringOr(a.address, ""),
    })),
  };
}

/** What the planner needs of a Service: its type and ports with their NodePorts. */
export function projectService(object: RawObject): ServiceInfo {
  const raw = fieldsOf(object);
  const meta = metaOf(raw);
  const spec = fieldsOf(raw.spec);
  return {
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    type: stringOr(spec.type, "ClusterIP"),
    ports: listOf(spec.ports).filter(isFields).map((p) => {
      const port: ServicePortInfo = {
        port: typeof p.port === "number" ? p.port : 0,
        protocol: stringOr(p.protocol, "TCP"),
      };
      if (typeof p.name === "string" && p.name !== "") port.name = p.name;
      if (typeof p.nodePort === "number" && p.nodePort !== 0) port.nodePort = p.nodePort;
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
  const raw = fieldsOf(object);
  const meta = metaOf(raw);
  const serviceName = meta.labels?.[SERVICE_NAME_LABEL];
  if (!serviceName) return undefined;
  return {
    namespace: meta.namespace ?? "",
    name: meta.name ?? "",
    serviceName,
    endpoints: listOf(raw.endpoints).filter(isFields).map((e) => {
      const conditions = fieldsOf(e.conditions);
      const ready = flag(conditions.ready, true);
      const endpoint: EndpointInfo = {
        ready,
        serving: flag(conditions.serving, ready),
        terminating: flag(conditions.terminating, false),
      };
      if (typeof e.nodeName === "string" && e.nodeName !== "") endpoint.nodeName = e.nodeName;
      return endpoint;
    }),
  };
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

/** The LBRegistrar without managedFields and other metadata the operator never reads. */
export function projectLBRegistrar(object: RawObject): LBRegistrar {
  const raw = fieldsOf(object) as RawLBRegistrar;
  const meta = metaOf(raw);
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
  const status = projectStatus(raw.status);
  if (status) lbr.status = status;
  return lbr;
}

/**
 * The status as far as the operator reads it (conditions, observedGeneration, backendSets): values
 * of the wrong type read as absent and malformed entries are dropped, so the next status write
 * replaces them. Other fields are kept as they are; the status writer clears or overwrites them.
 */
function projectStatus(value: unknown): LBRegistrarStatus | undefined {
  if (!isFields(value)) return undefined;
  const { conditions, observedGeneration, backendSets, ...rest } = value;
  const status: LBRegistrarStatus = rest;
  if (typeof observedGeneration === "number") status.observedGeneration = observedGeneration;
  if (Array.isArray(conditions)) status.conditions = only(conditions, isCondition);
  if (Array.isArray(backendSets)) {
    status.backendSets = backendSets.every(isBackendSetStatus)
      ? backendSets
      : backendSets.flatMap(backendSetStatus);
  }
  return status;
}

/** A condition with the fields the operator reads (type, status, lastTransitionTime) as strings. */
function isCondition(value: unknown): value is Condition {
  return isFields(value) && typeof value.type === "string" && typeof value.status === "string" &&
    typeof value.lastTransitionTime === "string";
}

const OPTIONAL_STRINGS = ["service", "lastWorkRequestId", "lastSyncTime", "message"] as const;

function isBackendSetStatus(value: unknown): value is BackendSetStatus {
  return isFields(value) && typeof value.loadBalancerId === "string" &&
    typeof value.name === "string" && Array.isArray(value.registered) &&
    value.registered.every(isString) && Array.isArray(value.draining) &&
    value.draining.every(isString) &&
    (value.port === undefined || typeof value.port === "number") &&
    OPTIONAL_STRINGS.every((key) => value[key] === undefined || typeof value[key] === "string");
}

/** One backend set entry with its fields of the wrong type left out; none without its identity. */
function backendSetStatus(value: unknown): BackendSetStatus[] {
  if (!isFields(value)) return [];
  const { loadBalancerId, name, port } = value;
  if (typeof loadBalancerId !== "string" || typeof name !== "string") return [];
  const entry: BackendSetStatus = {
    loadBalancerId,
    name,
    registered: only(listOf(value.registered), isString),
    draining: only(listOf(value.draining), isString),
  };
  if (typeof port === "number") entry.port = port;
  for (const key of OPTIONAL_STRINGS) {
    const text = value[key];
    if (typeof text === "string") entry[key] = text;
  }
  return [entry];
}
