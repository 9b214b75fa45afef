/** What a URL path addresses: a discovery document, an OpenAPI document, or a resource. */

import type { ResourceRegistry } from "./resource_registry.ts";
import type { ResourceType } from "./resource_type.ts";

/** A resource URL, split into its parts. */
export interface ResourceTarget {
  kind: "resource";
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The legacy `/watch/` path prefix was used. */
  watchPath: boolean;
}

/** Every kind of path the simulator answers. */
export type Target =
  | ResourceTarget
  | { kind: "root" | "version" | "health" | "api" | "apis" | "openapiIndex" }
  | { kind: "apiGroup"; group: string }
  | { kind: "groupVersion"; group: string; version: string }
  | { kind: "openapiGroupVersion"; group: string; version: string }
  | { kind: "control"; path: string }
  // Unknown group or resource in a CR group: `text/plain` 404 page not found.
  | { kind: "notFoundText" }
  // Unknown resource under a served group version: a 404 Status.
  | { kind: "notFoundStatus" };

const HEALTH = new Set(["healthz", "livez", "readyz"]);

/** Resolves a request path against the live resource table. */
export function resolveTarget(pathname: string, registry: ResourceRegistry): Target {
  let parts: string[];
  try {
    parts = pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
  } catch {
    return { kind: "notFoundText" };
  }
  const [first, second] = parts;
  if (parts.length === 0) return { kind: "root" };
  if (first === "_sim") return { kind: "control", path: `/${parts.slice(1).join("/")}` };
  if (parts.length === 1 && first === "version") return { kind: "version" };
  if (first !== undefined && HEALTH.has(first)) return { kind: "health" };
  if (first === "openapi" && second === "v3") {
    if (parts.length === 2) return { kind: "openapiIndex" };
    if (parts[2] === "api" && parts[3] === "v1" && parts.length === 4) {
      return { kind: "openapiGroupVersion", group: "", version: "v1" };
    }
    if (parts[2] === "apis" && parts.length === 5) {
      return { kind: "openapiGroupVersion", group: parts[3]!, version: parts[4]! };
    }
    return { kind: "notFoundText" };
  }
  if (first === "api") {
    if (parts.length === 1) return { kind: "api" };
    if (second !== "v1") return { kind: "notFoundText" };
    if (parts.length === 2) return { kind: "groupVersion", group: "", version: "v1" };
    return resourceTarget("", "v1", parts.slice(2), registry);
  }
  if (first === "apis") {
    if (parts.length === 1) return { kind: "apis" };
    if (parts.length === 2) return { kind: "apiGroup", group: second! };
    const [group, version] = [second!, parts[2]!];
    if (!registry.servesGroupVersion(group, version)) return { kind: "notFoundText" };
    if (parts.length === 3) return { kind: "groupVersion", group, version };
    return resourceTarget(group, version, parts.slice(3), registry);
  }
  return { kind: "notFoundText" };
}

function resourceTarget(
  group: string,
  version: string,
  rest: string[],
  registry: ResourceRegistry,
): Target {
  const notFound: Target = { kind: group === "" ? "notFoundStatus" : "notFoundText" };
  let watchPath = false;
  if (rest[0] === "watch") {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `/namespaces/NAME/status` is the Namespace's own subresource, not a namespaced collection.
  const namespaceSubresource = rest.length === 3 &&
    (rest[2] === "status" || rest[2] === "finalize");
  if (rest[0] === "namespaces" && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return notFound;
  const [plural, name, subresource] = rest;
  const rt = registry.byPath(group, version, plural!);
  if (!rt) return notFound;
  if (namespace !== undefined && !rt.namespaced) return notFound;
  if (subresource !== undefined && (subresource !== "status" || !rt.hasStatus)) return notFound;
  if (watchPath && subresource !== undefined) return notFound;
  return { kind: "resource", rt, namespace, name, subresource, watchPath };
}
