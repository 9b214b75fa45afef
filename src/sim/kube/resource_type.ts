/** Shapes shared by the Kubernetes API simulator: stored objects and the resource table entry. */

/** The metadata the simulator reads and writes; everything else passes through untouched. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A column of the server-side Table, with the JSONPath (or getter) that fills it. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

/** How a field selector outside the supported set is reported (the real server has two styles). */
export type FieldSelectorStyle = "label" | "known";

/** One served resource: the simulator's routing, storage and semantics are driven by this table. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Has a `/status` subresource (status is split from the main resource). */
  hasStatus: boolean;
  shortNames: string[];
  categories: string[];
  /** `metadata.generation` is kept (and bumped on spec changes). */
  generation: boolean;
  /** Custom resource: list items carry kind/apiVersion, strategic merge is refused, /status resets metadata. */
  custom: boolean;
  /** Where objects live; two types may share it (core and events.k8s.io Events). */
  storage: string;
  /** PUT to a missing name creates it (Lease, Event). */
  allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion is accepted (not for CRs and Leases). */
  allowUnconditionalUpdate: boolean;
  /** Field selectors beyond metadata.name (and metadata.namespace when namespaced). */
  extraFields: Record<string, (obj: KubeObject) => string>;
  fieldSelectorStyle: FieldSelectorStyle;
  /** Table columns after Name; undefined means Name and Age. */
  columns?: PrinterColumn[];
  /** CRD `openAPIV3Schema` for custom resources (validation, defaults, OpenAPI). */
  schema?: Record<string, unknown>;
  /** Storage form to served form, when the two differ (events.k8s.io over core Events). */
  toServed?: (obj: KubeObject) => KubeObject;
  /** Served form to storage form. */
  toStorage?: (obj: KubeObject) => KubeObject;
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(rt: ResourceType): string {
  return rt.group === "" ? rt.version : `${rt.group}/${rt.version}`;
}

/** `plural.group` (or `plural` in the core group), as error messages name a resource. */
export function qualifiedResource(rt: ResourceType): string {
  return rt.group === "" ? rt.plural : `${rt.plural}.${rt.group}`;
}

/** `Kind.group` (or `Kind` in the core group), as 422 messages name a kind. */
export function qualifiedKind(rt: ResourceType): string {
  return rt.group === "" ? rt.kind : `${rt.kind}.${rt.group}`;
}

/** Storage key of one object: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
