/** Discovery documents: legacy (`APIVersions`, `APIGroupList`, `APIResourceList`) and aggregated v2/v2beta1. */

import type { ResourceRegistry } from "./resource_registry.ts";
import type { ResourceType } from "./resource_type.ts";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const STATUS_VERBS = ["get", "patch", "update"];

/** Kubernetes version order: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    const stage = m[2] === undefined ? 0 : m[2] === "beta" ? 1 : 2;
    return [stage, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
}

interface Group {
  name: string;
  versions: string[];
}

/** Served API groups (core excluded) with their versions, preferred first. */
function groups(registry: ResourceRegistry): Group[] {
  const out = new Map<string, Set<string>>();
  for (const rt of registry.all()) {
    if (rt.group === "") continue;
    let versions = out.get(rt.group);
    if (!versions) out.set(rt.group, versions = new Set());
    versions.add(rt.version);
  }
  return [...out].map(([name, versions]) => ({
    name,
    versions: [...versions].sort(compareVersions),
  }));
}

function inVersion(registry: ResourceRegistry, group: string, version: string): ResourceType[] {
  return registry.all().filter((rt) => rt.group === group && rt.version === version);
}

/** `/api` as APIVersions. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** `/apis` as APIGroupList. */
export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groups(registry).map((g) => {
      const versions = g.versions.map((version) => ({
        groupVersion: `${g.name}/${version}`,
        version,
      }));
      return { name: g.name, versions, preferredVersion: versions[0] };
    }),
  };
}

/** `/apis/<group>` as APIGroup, or undefined for an unknown group. */
export function apiGroup(
  registry: ResourceRegistry,
  name: string,
): Record<string, unknown> | undefined {
  const group = groups(registry).find((g) => g.name === name);
  if (!group) return undefined;
  const versions = group.versions.map((version) => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { kind: "APIGroup", apiVersion: "v1", name, versions, preferredVersion: versions[0] };
}

/** `/api/v1` or `/apis/<group>/<version>` as APIResourceList. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> {
  const resources = inVersion(registry, group, version).flatMap((rt) => {
    const entry: Record<string, unknown> = {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: VERBS,
    };
    if (rt.shortNames.length > 0) entry.shortNames = rt.shortNames;
    if (rt.categories.length > 0) entry.categories = rt.categories;
    entry.storageVersionHash = storageVersionHash(rt);
    const status = {
      name: `${rt.plural}/status`,
      singularName: "",
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: STATUS_VERBS,
    };
    return rt.hasStatus ? [entry, status] : [entry];
  });
  const groupVersion = group === "" ? version : `${group}/${version}`;
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

function storageVersionHash(rt: ResourceType): string {
  let hash = 0x811c9dc5;
  for (const ch of `${rt.group}/${rt.version}/${rt.kind}`) {
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  }
  return btoa(
    String.fromCharCode(...new Uint8Array(new Uint32Array([hash >>> 0, hash ^ 0x5bd1e995]).buffer)),
  );
}

function aggregatedResource(rt: ResourceType): Record<string, unknown> {
  // Built-ins leave group and version of responseKind empty; CRs name them (wire notes §1.1).
  const responseKind = {
    group: rt.custom ? rt.group : "",
    version: rt.custom ? rt.version : "",
    kind: rt.kind,
  };
  const entry: Record<string, unknown> = {
    resource: rt.plural,
    responseKind,
    scope: rt.namespaced ? "Namespaced" : "Cluster",
    singularResource: rt.singular,
    verbs: VERBS,
  };
  if (rt.shortNames.length > 0) entry.shortNames = rt.shortNames;
  if (rt.categories.length > 0) entry.categories = rt.categories;
  if (rt.hasStatus) {
    entry.subresources = [{ subresource: "status", responseKind, verbs: STATUS_VERBS }];
  }
  return entry;
}

function aggregatedGroup(
  registry: ResourceRegistry,
  name: string,
  versions: string[],
): Record<string, unknown> {
  const metadata: Record<string, unknown> = name === ""
    ? { creationTimestamp: null }
    : { name, creationTimestamp: null };
  return {
    metadata,
    versions: versions.map((version) => ({
      version,
      resources: inVersion(registry, name, version).map(aggregatedResource),
      freshness: "Current",
    })),
  };
}

/** `/api` (core) or `/apis` (groups) as an aggregated APIGroupDiscoveryList. */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  core: boolean,
  version: "v2" | "v2beta1",
): Record<string, unknown> {
  const items = core
    ? [aggregatedGroup(registry, "", ["v1"])]
    : groups(registry).map((g) => aggregatedGroup(registry, g.name, g.versions));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
