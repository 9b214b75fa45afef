/**
 * Every Kubernetes API call the operator makes, in one table. The request layer refuses any call
 * the table does not declare (`assertDeclaredCall`), and tests/unit/deploy/rbac_test.ts checks that
 * the shipped ClusterRole and Role grant exactly these calls, so code, table and RBAC cannot drift.
 */

import { GROUP, PLURAL } from "../api/constants.ts";

/** A Kubernetes authorization verb. */
export type KubeVerb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection";

/** One resource (or subresource) the operator calls, with the verbs it uses. */
export interface KubeApiCall {
  /** API group; "" is the core group. */
  readonly group: string;
  /** Plural resource name, e.g. "nodes". */
  readonly resource: string;
  readonly subresource?: "status" | "finalizers";
  readonly verbs: readonly KubeVerb[];
  /**
   * Which role grants it: the ClusterRole (any namespace, or cluster-scoped resources), or the
   * Role in the operator's own namespace.
   */
  readonly grantedBy: "ClusterRole" | "Role";
  /** Who makes the call, for the person reading a failed RBAC test. */
  readonly madeBy: string;
}

/** The calls, each resource once. */
export const KUBE_API_CALLS: readonly KubeApiCall[] = Object.freeze(
  [
    {
      group: "",
      resource: "nodes",
      verbs: ["list", "watch"],
      grantedBy: "ClusterRole",
      madeBy: "reflector (cluster.ts)",
    },
    {
      group: "",
      resource: "services",
      verbs: ["list", "watch"],
      grantedBy: "ClusterRole",
      madeBy: "reflector (cluster.ts)",
    },
    {
      group: "discovery.k8s.io",
      resource: "endpointslices",
      verbs: ["list", "watch"],
      grantedBy: "ClusterRole",
      madeBy: "reflector (cluster.ts)",
    },
    {
      group: GROUP,
      resource: PLURAL,
      // get: the finalizer writer re-reads after a 409; patch: it adds and removes the finalizer.
      verbs: ["get", "list", "watch", "patch"],
      grantedBy: "ClusterRole",
      madeBy: "reflector (cluster.ts), finalizer_writer.ts",
    },
    {
      group: GROUP,
      resource: PLURAL,
      subresource: "status",
      verbs: ["patch"],
      grantedBy: "ClusterRole",
      madeBy: "status_writer.ts",
    },
    {
      // Written in namespace "default" (DESIGN §8), which is not the operator's namespace: a Role
      // would have to live there, and kustomize's namespace setting would move it away.
      group: "",
      resource: "events",
      verbs: ["create", "patch"],
      grantedBy: "ClusterRole",
      madeBy: "event_recorder.ts",
    },
    {
      // Single GETs in --secret-namespaces (default: the operator's namespace); never list or watch.
      group: "",
      resource: "secrets",
      verbs: ["get"],
      grantedBy: "Role",
      madeBy: "secret_reader.ts",
    },
    {
      // Lease "oci-lb-registrar" in the operator's namespace (DESIGN §8).
      group: "coordination.k8s.io",
      resource: "leases",
      verbs: ["get", "create", "update"],
      grantedBy: "Role",
      madeBy: "serve/leader_election.ts",
    },
  ] satisfies KubeApiCall[],
);

/** What an API request asks the authorizer for, as the API server derives it from method and path. */
export interface KubeRequestAttributes {
  readonly verb: KubeVerb;
  readonly group: string;
  readonly resource: string;
  /** "" when the request names no subresource. */
  readonly subresource: string;
  /** "" for cluster-scoped requests. */
  readonly namespace: string;
}

/**
 * The attributes of a request to an API path such as `/api/v1/namespaces/ns/secrets/name` or
 * `/apis/group/version/plural/name/status?x=y`; `watch` marks a watch on a collection path.
 * Undefined for paths that are not resource requests (discovery, /version).
 */
export function requestAttributes(
  method: string,
  path: string,
  options: { watch?: boolean } = {},
): KubeRequestAttributes | undefined {
  const [pathPart = "", query = ""] = path.split("?", 2);
  const segments = pathPart.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 3) {
    [group, rest] = ["", segments.slice(2)];
  } else if (segments[0] === "apis" && segments.length >= 4) {
    [group, rest] = [segments[1]!, segments.slice(3)];
  } else return undefined;
  let namespace = "";
  if (rest[0] === "namespaces" && rest.length >= 3) [namespace, rest] = [rest[1]!, rest.slice(2)];
  const [resource, name, subresource = ""] = rest;
  if (resource === undefined) return undefined;
  const watch = options.watch === true || /(^|&)watch=(true|1)(&|$)/.test(query);
  const verb = verbOf(method.toUpperCase(), name !== undefined, watch);
  return verb ? { verb, group, resource, subresource, namespace } : undefined;
}

function verbOf(method: string, named: boolean, watch: boolean): KubeVerb | undefined {
  switch (method) {
    case "GET":
      return watch ? "watch" : named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return undefined;
  }
}

/** Whether `calls` declare the request described by `attributes`. */
export function isDeclaredCall(
  attributes: KubeRequestAttributes,
  calls: readonly KubeApiCall[] = KUBE_API_CALLS,
): boolean {
  return calls.some((call) =>
    call.group === attributes.group && call.resource === attributes.resource &&
    (call.subresource ?? "") === attributes.subresource && call.verbs.includes(attributes.verb)
  );
}

/**
 * Throws before a request the table does not declare is sent: such a call would be denied by the
 * shipped RBAC in a real cluster, so it is a bug in the code (or a missing row), caught in every test.
 */
export function assertDeclaredCall(
  method: string,
  path: string,
  options: { watch?: boolean } = {},
): void {
  const attributes = requestAttributes(method, path, options);
  if (attributes && isDeclaredCall(attributes)) return;
  const what = attributes
    ? `${attributes.verb} ${attributes.group || "core"}/${attributes.resource}${
      attributes.subresource ? `/${attributes.subresource}` : ""
    }`
    : "not a resource request";
  throw new Error(
    `BUG: API call not declared in KUBE_API_CALLS: ${method} ${path.split("?")[0]} (${what})`,
  );
}
