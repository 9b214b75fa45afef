/** Maps a method and path of the two OCI APIs to an operation and its path parameters. */
import type { LbKind, SimOperation } from "./types.ts";

/** A matched API call. */
export interface ApiRoute {
  operation: SimOperation;
  kind: LbKind;
  lbId?: string;
  backendSetName?: string;
  workRequestId?: string;
}

type Param = "lbId" | "backendSetName" | "workRequestId";

interface RouteDef {
  kind: LbKind;
  /** Literal segments, or `:param` placeholders. */
  pattern: string[];
  methods: Partial<Record<string, SimOperation>>;
}

const ROUTES: RouteDef[] = [
  {
    kind: "lb",
    pattern: ["20170115", "loadBalancers", ":lbId"],
    methods: { GET: "getLoadBalancer" },
  },
  {
    kind: "lb",
    pattern: ["20170115", "loadBalancers", ":lbId", "backendSets", ":backendSetName"],
    methods: { GET: "getBackendSet", PUT: "updateBackendSet" },
  },
  {
    kind: "lb",
    pattern: ["20170115", "loadBalancers", ":lbId", "workRequests"],
    methods: { GET: "listWorkRequests" },
  },
  {
    kind: "lb",
    pattern: ["20170115", "loadBalancerWorkRequests", ":workRequestId"],
    methods: { GET: "getWorkRequest" },
  },
  {
    kind: "nlb",
    pattern: ["20200501", "networkLoadBalancers", ":lbId"],
    methods: { GET: "getNetworkLoadBalancer" },
  },
  {
    kind: "nlb",
    pattern: ["20200501", "networkLoadBalancers", ":lbId", "backendSets", ":backendSetName"],
    methods: { GET: "getBackendSet", PUT: "updateBackendSet" },
  },
  { kind: "nlb", pattern: ["20200501", "workRequests"], methods: { GET: "listWorkRequests" } },
  {
    kind: "nlb",
    pattern: ["20200501", "workRequests", ":workRequestId"],
    methods: { GET: "getWorkRequest" },
  },
  {
    kind: "nlb",
    pattern: ["20200501", "workRequests", ":workRequestId", "errors"],
    methods: { GET: "listWorkRequestErrors" },
  },
];

/** The route for this call, or the status to answer when there is none (404 path, 405 method). */
export function matchApiRoute(method: string, pathname: string): ApiRoute | 404 | 405 {
  let segments: string[];
  try {
    segments = pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return 404;
  }
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    const operation = route.methods[method];
    return operation ? { operation, kind: route.kind, ...params } : 405;
  }
  return 404;
}

function matchPattern(pattern: string[], segments: string[]) {
  if (pattern.length !== segments.length) return undefined;
  const params: Partial<Record<Param, string>> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index]!;
    if (part.startsWith(":")) {
      if (segment === "") return undefined;
      params[part.slice(1) as Param] = segment;
    } else if (part !== segment) return undefined;
  }
  return params;
}
