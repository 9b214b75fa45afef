/**
 * OpenAPI v3 as kubectl needs it (wire notes §1.4, §1.5): an index of group versions, and per group
 * version the operations (with `x-kubernetes-group-version-kind`, `x-kubernetes-action` and the
 * `fieldValidation` parameter `kubectl apply` checks for) plus schemas for `kubectl explain`.
 */

import type { ResourceRegistry } from "./resource_registry.ts";
import type { ResourceType } from "./resource_type.ts";

type Doc = Record<string, unknown>;

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const STATUS = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";

function param(name: string, where: "query" | "path", description: string): Doc {
  return {
    name,
    in: where,
    description,
    ...(where === "path" ? { required: true } : {}),
    schema: { type: "string", uniqueItems: true },
  };
}

const WRITE_PARAMS = [
  param("dryRun", "query", "When present, indicates that modifications should not be persisted."),
  param(
    "fieldManager",
    "query",
    "fieldManager is a name associated with the actor or entity that is making these changes.",
  ),
  param(
    "fieldValidation",
    "query",
    "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
  ),
];
const LIST_PARAMS = [
  "allowWatchBookmarks",
  "continue",
  "fieldSelector",
  "labelSelector",
  "limit",
  "resourceVersion",
  "resourceVersionMatch",
  "sendInitialEvents",
  "timeoutSeconds",
  "watch",
]
  .map((name) => param(name, "query", name));

/** The schema name of a kind: `io.k8s.api.core.v1.Node`, or the reversed group for other groups. */
export function schemaName(rt: ResourceType): string {
  if (rt.group === "") return `io.k8s.api.core.v1.${rt.kind}`;
  if (rt.group.endsWith(".k8s.io")) {
    return `io.k8s.api.${
      rt.group.slice(0, -".k8s.io".length).replace(/\./g, "_")
    }.${rt.version}.${rt.kind}`;
  }
  return `${rt.group.split(".").reverse().join(".")}.${rt.version}.${rt.kind}`;
}

function operation(
  rt: ResourceType,
  action: string,
  verb: string,
  parameters: Doc[],
  ref: string,
): Doc {
  const op: Doc = {
    operationId: `${verb}${rt.kind}`,
    parameters,
    responses: {
      "200": { description: "OK", content: { "application/json": { schema: { $ref: ref } } } },
    },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: rt.group, version: rt.version, kind: rt.kind },
  };
  if (verb === "create" || verb === "replace" || verb === "patch") {
    op.requestBody = { content: { "application/json": { schema: { $ref: ref } } }, required: true };
  }
  return op;
}

function paths(rt: ResourceType): Doc {
  const base = rt.group === "" ? `/api/${rt.version}` : `/apis/${rt.group}/${rt.version}`;
  const collection = rt.namespaced
    ? `${base}/namespaces/{namespace}/${rt.plural}`
    : `${base}/${rt.plural}`;
  const ref = `#/components/schemas/${schemaName(rt)}`;
  const statusRef = `#/components/schemas/${STATUS}`;
  const scope = rt.namespaced ? [param("namespace", "path", "object name and auth scope")] : [];
  const nameParam = [param("name", "path", `name of the ${rt.kind}`)];
  const out: Doc = {
    [collection]: {
      get: operation(rt, "list", "list", LIST_PARAMS, ref),
      post: operation(rt, "post", "create", WRITE_PARAMS, ref),
      delete: operation(rt, "deletecollection", "deleteCollection", LIST_PARAMS, statusRef),
      parameters: scope,
    },
    [`${collection}/{name}`]: {
      get: operation(rt, "get", "read", [], ref),
      put: operation(rt, "put", "replace", WRITE_PARAMS, ref),
      patch: operation(
        rt,
        "patch",
        "patch",
        [...WRITE_PARAMS, param("force", "query", "force")],
        ref,
      ),
      delete: operation(rt, "delete", "delete", [param("dryRun", "query", "dryRun")], statusRef),
      parameters: [...nameParam, ...scope],
    },
  };
  if (rt.hasStatus) {
    out[`${collection}/{name}/status`] = {
      get: operation(rt, "get", "read", [], ref),
      put: operation(rt, "put", "replace", WRITE_PARAMS, ref),
      patch: operation(rt, "patch", "patch", WRITE_PARAMS, ref),
      parameters: [...nameParam, ...scope],
    };
  }
  return out;
}

function schemaOf(rt: ResourceType): Doc {
  const gvk = [{ group: rt.group, version: rt.version, kind: rt.kind }];
  const base: Doc = rt.schema
    ? structuredClone(rt.schema)
    : { type: "object", properties: { spec: { type: "object" }, status: { type: "object" } } };
  const properties = (base.properties ?? {}) as Doc;
  base.properties = {
    apiVersion: {
      type: "string",
      description: "APIVersion defines the versioned schema of this representation of an object.",
    },
    kind: {
      type: "string",
      description: "Kind is a string value representing the REST resource this object represents.",
    },
    metadata: {
      allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }],
      description: "Standard object's metadata.",
    },
    ...properties,
  };
  base["x-kubernetes-group-version-kind"] = gvk;
  return base;
}

const SHARED_SCHEMAS: Doc = {
  [OBJECT_META]: {
    type: "object",
    description: "ObjectMeta is metadata that all persisted resources must have.",
    properties: {
      name: { type: "string" },
      generateName: { type: "string" },
      namespace: { type: "string" },
      uid: { type: "string" },
      resourceVersion: { type: "string" },
      generation: { type: "integer", format: "int64" },
      creationTimestamp: { type: "string", format: "date-time" },
      deletionTimestamp: { type: "string", format: "date-time" },
      labels: { type: "object", additionalProperties: { type: "string", default: "" } },
      annotations: { type: "object", additionalProperties: { type: "string", default: "" } },
      finalizers: { type: "array", items: { type: "string", default: "" } },
      ownerReferences: { type: "array", items: { type: "object" } },
    },
  },
  [STATUS]: {
    type: "object",
    description: "Status is a return value for calls that don't return other objects.",
  },
};

/** The OpenAPI v3 document of one group version. */
export function groupVersionDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Doc {
  const types = registry.all().filter((rt) => rt.group === group && rt.version === version);
  const schemas: Doc = { ...SHARED_SCHEMAS };
  let allPaths: Doc = {};
  for (const rt of types) {
    allPaths = { ...allPaths, ...paths(rt) };
    schemas[schemaName(rt)] = schemaOf(rt);
  }
  const title = types.some((rt) => rt.custom) ? "Kubernetes CRD Swagger" : "Kubernetes";
  return {
    openapi: "3.0.0",
    info: { title, version: "v0.1.0" },
    paths: allPaths,
    components: { schemas },
  };
}

/** FNV-1a over the text, as 16 upper-case hex digits (stands in for the real SHA-512 prefix). */
export function documentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, "0");
  return hex(a) + hex(b);
}

/** `/openapi/v3`: one entry per served group version with its hashed URL. */
export function openApiIndex(groupVersions: { path: string; hash: string }[]): Doc {
  return {
    paths: Object.fromEntries(
      groupVersions.map((
        { path, hash },
      ) => [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` }]),
    ),
  };
}
