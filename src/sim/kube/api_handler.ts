/** The HTTP entry point: bearer-token auth, injected faults and latency, routing, request log. */

import { controlResponse, type HttpControllable } from "./control_http.ts";
import { droppedResponse, type Faults } from "./faults.ts";
import type { RequestLog } from "./request_log.ts";
import { resolveTarget, type Target } from "./request_target.ts";
import { pageNotFound, statusResponse } from "./respond.ts";
import { type RequestBody, type ResourceDeps, resourceResponse } from "./resource_routes.ts";
import type { ResourceRegistry } from "./resource_registry.ts";
import { failure, resourceNotFound, StatusError, unauthorized } from "./status_error.ts";

/** What the handler needs. */
export interface HandlerDeps {
  token: string;
  /** Accept requests that carry no Authorization header (a wrong token is still refused). */
  anonymous: boolean;
  registry: ResourceRegistry;
  discovery: (target: Target, request: Request, query: URLSearchParams) => Response | undefined;
  resources: ResourceDeps;
  faults: Faults;
  log: RequestLog;
  control: HttpControllable;
}

const MAX_LOGGED_BODY = 64 * 1024;

function authorized(request: Request, token: string, anonymous: boolean): boolean {
  const header = request.headers.get("Authorization");
  if (header === null) return anonymous;
  return header === `Bearer ${token}`;
}

/** A `Deno.serve` handler for the simulator. */
export function createApiHandler(deps: HandlerDeps): (request: Request) => Promise<Response> {
  const { registry, faults, log } = deps;

  const answer = async (
    target: Target,
    request: Request,
    body: RequestBody,
    url: URL,
    isWatch: boolean,
  ): Promise<Response> => {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    const injected = faults.take(request.method, url, isWatch);
    if (injected) {
      return injected.drop ? droppedResponse() : statusResponse(injected.status, injected.headers);
    }
    try {
      if (target.kind === "resource") {
        return await resourceResponse(deps.resources, target, request, body, url.searchParams);
      }
      if (target.kind === "notFoundStatus") throw resourceNotFound();
      if (target.kind === "notFoundText") return pageNotFound();
      return deps.discovery(target, request, url.searchParams) ?? pageNotFound();
    } catch (error) {
      if (error instanceof StatusError) return statusResponse(error.status, error.headers);
      const message = error instanceof Error ? error.message : String(error);
      return statusResponse(failure(500, "InternalError", `Internal error occurred: ${message}`));
    }
  };

  return async (request) => {
    const url = new URL(request.url);
    const target = resolveTarget(url.pathname, registry);
    const allowed = authorized(request, deps.token, deps.anonymous);
    if (target.kind === "control") {
      return allowed
        ? await controlResponse(deps.control, target.path, request)
        : statusResponse(unauthorized());
    }
    const query = url.searchParams;
    const isWatch = target.kind === "resource" &&
      (target.watchPath || query.get("watch") === "true" || query.get("watch") === "1");
    // Bytes first: a protobuf body does not survive a round trip through text.
    const bytes = request.method === "GET" || request.method === "HEAD"
      ? new Uint8Array()
      : new Uint8Array(await request.arrayBuffer());
    const body: RequestBody = { text: new TextDecoder().decode(bytes), bytes };
    const response = allowed
      ? await answer(target, request, body, url, isWatch)
      : statusResponse(unauthorized());
    log.record({
      time: Date.now(),
      method: request.method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      status: response.status,
      watch: isWatch,
      contentType: request.headers.get("Content-Type") ?? undefined,
      accept: request.headers.get("Accept") ?? undefined,
      userAgent: request.headers.get("User-Agent") ?? undefined,
      body: body.text === "" ? undefined : body.text.slice(0, MAX_LOGGED_BODY),
    });
    return response;
  };
}
