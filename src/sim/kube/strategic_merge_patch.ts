/**
 * Strategic merge patch for built-in kinds: a merge patch whose lists merge by key where the Go types
 * say so (`patchMergeKey`), plus the `$patch`, `$setElementOrder`, `$deleteFromPrimitiveList` and
 * `$retainKeys` directives. Lists without a strategy (taints, EndpointSlice endpoints) are replaced.
 */

import { deepEqual, isObject } from "./json_value.ts";

type ListStrategy = { mergeKey: string } | { primitive: true };

const BY_TYPE = { mergeKey: "type" };
const PRIMITIVE = { primitive: true } as const;

// `Kind:path` (or `*:path` for every kind) → list strategy, from the patch tags of the Go API types.
const STRATEGIES: Record<string, ListStrategy> = {
  "*:metadata.finalizers": PRIMITIVE,
  "*:metadata.ownerReferences": { mergeKey: "uid" },
  "Node:spec.podCIDRs": PRIMITIVE,
  "Node:status.conditions": BY_TYPE,
  "Node:status.addresses": BY_TYPE,
  "Node:status.volumesAttached": { mergeKey: "name" },
  "Service:spec.ports": { mergeKey: "port" },
  "Service:status.conditions": BY_TYPE,
  "Namespace:status.conditions": BY_TYPE,
  "CustomResourceDefinition:status.conditions": BY_TYPE,
};

// Pod-template lists, wherever they appear.
const BY_SUFFIX: Record<string, ListStrategy> = {
  containers: { mergeKey: "name" },
  initContainers: { mergeKey: "name" },
  volumes: { mergeKey: "name" },
  env: { mergeKey: "name" },
  volumeMounts: { mergeKey: "mountPath" },
  imagePullSecrets: { mergeKey: "name" },
};

function strategyFor(kind: string, path: string): ListStrategy | undefined {
  const last = path.slice(path.lastIndexOf(".") + 1);
  return STRATEGIES[`${kind}:${path}`] ?? STRATEGIES[`*:${path}`] ?? BY_SUFFIX[last];
}

const DIRECTIVE = "$patch";
const RETAIN_KEYS = "$retainKeys";
const ORDER_PREFIX = "$setElementOrder/";
const DELETE_PREFIX = "$deleteFromPrimitiveList/";

/** `target` with a strategic merge patch applied, for an object of the given kind. */
export function strategicMergePatch(target: unknown, patch: unknown, kind: string): unknown {
  if (!isObject(patch)) return patch;
  return mergeMap(isObject(target) ? target : {}, patch, "", kind) ?? {};
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

// Returns undefined when the patch deletes the whole map (`$patch: delete`).
function mergeMap(
  original: Record<string, unknown>,
  patch: Record<string, unknown>,
  path: string,
  kind: string,
): Record<string, unknown> | undefined {
  const directive = patch[DIRECTIVE];
  if (directive === "delete") return undefined;
  if (directive === "replace") return stripDirectives(patch) as Record<string, unknown>;

  const out: Record<string, unknown> = { ...original };
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS) continue;
    if (key.startsWith(ORDER_PREFIX)) {
      if (Array.isArray(value)) orders.push([key.slice(ORDER_PREFIX.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_PREFIX)) {
      const listKey = key.slice(DELETE_PREFIX.length);
      const current = out[listKey];
      if (Array.isArray(current) && Array.isArray(value)) {
        out[listKey] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
      }
      continue;
    }
    if (value === null) {
      delete out[key];
    } else if (isObject(value)) {
      const merged = mergeMap(
        isObject(out[key]) ? out[key] as Record<string, unknown> : {},
        value,
        join(path, key),
        kind,
      );
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value)) {
      out[key] = mergeList(
        out[key],
        value,
        strategyFor(kind, join(path, key)),
        join(path, key),
        kind,
      );
    } else {
      out[key] = value;
    }
  }
  for (const [listKey, order] of orders) {
    const list = out[listKey];
    if (Array.isArray(list)) {
      out[listKey] = reorder(list, order, strategyFor(kind, join(path, listKey)));
    }
  }
  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  }
  return out;
}

function mergeList(
  original: unknown,
  patch: unknown[],
  strategy: ListStrategy | undefined,
  path: string,
  kind: string,
): unknown[] {
  const replaceAll = patch.some((item) => isObject(item) && item[DIRECTIVE] === "replace");
  if (!strategy || replaceAll) {
    return patch.filter((item) => !(isObject(item) && item[DIRECTIVE] === "replace")).map(
      stripDirectives,
    );
  }
  const out = Array.isArray(original) ? [...original] : [];
  if ("primitive" in strategy) {
    for (const item of patch) {
      if (!out.some((existing) => deepEqual(existing, item))) out.push(item);
    }
    return out;
  }
  const key = strategy.mergeKey;
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(item);
      continue;
    }
    const index = out.findIndex((existing) =>
      isObject(existing) && deepEqual(existing[key], item[key])
    );
    if (item[DIRECTIVE] === "delete") {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    const base = index >= 0 && isObject(out[index]) ? out[index] as Record<string, unknown> : {};
    const merged = mergeMap(base, item, path, kind) ?? {};
    if (index >= 0) out[index] = merged;
    else out.push(merged);
  }
  return out;
}

// Puts the listed elements first, in the given order; elements the patch did not mention keep their place after.
function reorder(list: unknown[], order: unknown[], strategy: ListStrategy | undefined): unknown[] {
  const identity = (item: unknown) =>
    strategy && "mergeKey" in strategy && isObject(item) ? item[strategy.mergeKey] : item;
  const remaining = [...list];
  const ordered: unknown[] = [];
  for (const wanted of order) {
    const index = remaining.findIndex((item) => deepEqual(identity(item), identity(wanted)));
    if (index >= 0) ordered.push(...remaining.splice(index, 1));
  }
  return [...ordered, ...remaining];
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith("$")) continue;
    out[key] = stripDirectives(inner);
  }
  return out;
}
