/** Shape helpers for stored objects: key order, body checks, the parts generation and no-op checks compare. */

import { isObject } from "./json_value.ts";
import {
  apiVersionOf,
  type KubeObject,
  type ObjectMeta,
  type ResourceType,
} from "./resource_type.ts";
import { badRequest } from "./status_error.ts";

/** Metadata a client may not change with an update. */
export const IMMUTABLE_META = [
  "name",
  "namespace",
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];
const META_ORDER = [
  "name",
  "generateName",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "labels",
  "annotations",
  "ownerReferences",
  "finalizers",
];

/** Metadata keys in the real server's order. */
export function orderedMeta(meta: ObjectMeta): ObjectMeta {
  const metadata: ObjectMeta = {};
  for (const key of META_ORDER) if (meta[key] !== undefined) metadata[key] = meta[key];
  for (const [key, value] of Object.entries(meta)) {
    if (!(key in metadata) && value !== undefined) metadata[key] = value;
  }
  return metadata;
}

/** Key order of the real server: kind, apiVersion, metadata, then the rest (served form). */
export function ordered(rt: ResourceType, obj: KubeObject, meta: ObjectMeta): KubeObject {
  const { kind: _k, apiVersion: _a, metadata: _m, ...rest } = obj;
  return { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata: orderedMeta(meta), ...rest };
}

/** A request body as an object with metadata; 400 when it is not an object. */
export function asObject(rt: ResourceType, body: unknown): KubeObject {
  if (!isObject(body)) {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: the body is not an object`,
    );
  }
  const metadata = isObject(body.metadata) ? body.metadata : {};
  return { ...body, metadata } as KubeObject;
}

/** Everything but metadata (and status when it is a subresource): what generation tracks. */
export function specOf(rt: ResourceType, obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, kind: _k, apiVersion: _a, ...rest } = obj;
  if (rt.hasStatus) delete rest.status;
  return rest;
}

/** The object without the fields a no-op check ignores (resourceVersion, managedFields). */
export function withoutRv(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
