/**
 * The OCI operations themselves, on an authenticated request: GET/PUT backend sets, GET load balancers,
 * GET/list work requests. Each returns a reply or throws `SimApiError`.
 */
import { badRequest, SimApiError } from "./api_error.ts";
import { classicBackendSet } from "./classic_rules.ts";
import type { Faults } from "./faults.ts";
import { nlbUpdatedBackendSet } from "./nlb_rules.ts";
import type { Recorder } from "./recorder.ts";
import type { ApiRoute } from "./router.ts";
import type { Store } from "./store.ts";
import type { LbKind, SimLoadBalancer, StoredBackendSet } from "./types.ts";
import {
  lbWorkRequestView,
  loadBalancerView,
  nlbWorkRequestErrorsView,
  nlbWorkRequestView,
} from "./wire_views.ts";
import type { WorkRequest, WorkRequests } from "./work_requests.ts";

/** What to answer; the pipeline adds `opc-request-id` and serialises `body`. */
export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  workRequestId?: string;
}

/** An authenticated API call. */
export interface ApiCall {
  route: ApiRoute;
  request: Request;
  url: URL;
  body: string;
  now: number;
}

interface Deps {
  store: Store;
  workRequests: WorkRequests;
  faults: Faults;
  recorder: Recorder;
}

/** OCI answers this when an NLB already has a work request running (seen in the wild). */
export const NLB_BUSY_MESSAGE =
  "Invalid State Transition of NLB lifeCycle state from Updating to Updating";

const NAMES: Record<LbKind, string> = { lb: "Load balancer", nlb: "Network load balancer" };

/** The operations, over the simulator's state. */
export function createApiHandlers({ store, workRequests, faults, recorder }: Deps) {
  function needLb(kind: LbKind, id: string | undefined): SimLoadBalancer {
    const lb = id === undefined ? undefined : store.get(id);
    if (!lb || lb.kind !== kind) {
      throw new SimApiError(404, undefined, `${NAMES[kind]} "${id}" not found or not authorized`);
    }
    return lb;
  }

  function needSet(lb: SimLoadBalancer, name: string | undefined): StoredBackendSet {
    const stored = name === undefined ? undefined : lb.backendSets.get(name);
    if (!stored) {
      throw new SimApiError(
        404,
        undefined,
        `Backend set "${name}" not found in ${NAMES[lb.kind].toLowerCase()} "${lb.id}"`,
      );
    }
    return stored;
  }

  function needWorkRequest({ route, now }: ApiCall): WorkRequest {
    const wr = route.workRequestId === undefined
      ? undefined
      : workRequests.get(route.workRequestId, now);
    if (!wr || wr.kind !== route.kind) {
      throw new SimApiError(
        404,
        undefined,
        `Work request "${route.workRequestId}" not found or not authorized`,
      );
    }
    return wr;
  }

  /** Checks in order: LB and set exist (404), body (400), if-match (412), LB not busy (409). */
  function updateBackendSet({ route, request, body, now }: ApiCall): ApiReply {
    const lb = needLb(route.kind, route.lbId);
    const stored = needSet(lb, route.backendSetName);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest("Cannot parse the request body: not JSON", "CannotParseRequest");
    }
    const next = lb.kind === "lb"
      ? classicBackendSet(route.backendSetName!, parsed)
      : nlbUpdatedBackendSet(stored.body, parsed);
    const ifMatch = request.headers.get("if-match");
    if (ifMatch !== null && ifMatch !== "*" && ifMatch !== stored.etag) {
      throw new SimApiError(
        412,
        undefined,
        `Backend set "${route.backendSetName}" has etag "${stored.etag}", if-match gave "${ifMatch}"`,
      );
    }
    const running = workRequests.unfinished(lb, now);
    if (running) {
      recorder.countConflict(lb.id);
      throw new SimApiError(
        409,
        "Conflict",
        lb.kind === "nlb"
          ? NLB_BUSY_MESSAGE
          : `Load balancer "${lb.id}" has work request "${running.id}" in progress: try again when it has finished`,
      );
    }
    const wr = workRequests.accept(lb, { next, outcome: faults.takeOutcome(lb.id), now });
    recorder.countMutation(lb.id);
    return { status: 202, headers: { "opc-work-request-id": wr.id }, workRequestId: wr.id };
  }

  function listWorkRequests(call: ApiCall): ApiReply {
    const { route, url, now } = call;
    if (route.kind === "lb") {
      const lb = needLb("lb", route.lbId);
      const items = workRequests.list({ lbId: lb.id }, now).map((wr) => lbWorkRequestView(wr, now));
      return paged(items, url, (page) => page);
    }
    const compartmentId = url.searchParams.get("compartmentId");
    if (!compartmentId) {
      throw badRequest("Cannot list work requests: compartmentId is missing", "MissingParameter");
    }
    const items = workRequests.list({ compartmentId }, now)
      .filter((wr) => wr.kind === "nlb")
      .map((wr) => nlbWorkRequestView(wr, now));
    return paged(items, url, (page) => ({ items: page }));
  }

  /** Replies to an authenticated call. */
  function handle(call: ApiCall): ApiReply {
    const { route, now } = call;
    switch (route.operation) {
      case "getLoadBalancer":
      case "getNetworkLoadBalancer": {
        const lb = needLb(route.kind, route.lbId);
        const updating = workRequests.unfinished(lb, now) !== undefined;
        return { status: 200, body: loadBalancerView(lb, updating), headers: { etag: lb.etag } };
      }
      case "getBackendSet": {
        const lb = needLb(route.kind, route.lbId);
        // Settles the LB: a work request that has come due stores its set before this read.
        workRequests.unfinished(lb, now);
        const stored = needSet(lb, route.backendSetName);
        return { status: 200, body: stored.body, headers: { etag: stored.etag } };
      }
      case "updateBackendSet":
        return updateBackendSet(call);
      case "getWorkRequest": {
        const wr = needWorkRequest(call);
        const view = wr.kind === "lb" ? lbWorkRequestView(wr, now) : nlbWorkRequestView(wr, now);
        return { status: 200, body: view };
      }
      case "listWorkRequests":
        return listWorkRequests(call);
      case "listWorkRequestErrors":
        return { status: 200, body: nlbWorkRequestErrorsView(needWorkRequest(call), now) };
    }
  }

  /** The LB a call concerns (work-request calls resolve it through the work request). */
  function lbIdOf(route: ApiRoute, now: number): string | undefined {
    if (route.lbId !== undefined) return route.lbId;
    if (route.workRequestId === undefined) return undefined;
    return workRequests.get(route.workRequestId, now)?.lbId;
  }

  return { handle, lbIdOf };
}

function paged(items: unknown[], url: URL, wrap: (page: unknown[]) => unknown): ApiReply {
  const limit = Number(url.searchParams.get("limit") ?? items.length) || items.length;
  const start = Number(url.searchParams.get("page") ?? 0) || 0;
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return {
    status: 200,
    body: wrap(page),
    headers: more ? { "opc-next-page": String(start + limit) } : {},
  };
}
