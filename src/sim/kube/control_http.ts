/**
 * The control surface over HTTP, under `/_sim/`, so another process can drive the simulator:
 *
 * | method + path                         | body                                   | does |
 * |---------------------------------------|----------------------------------------|------|
 * | GET /_sim/state                       |                                        | rv, open watches, object counts |
 * | GET, DELETE /_sim/requests            |                                        | request log, or clear it |
 * | POST /_sim/failures, DELETE …         | {method?, pathPattern, regex?, watch?, status?, drop?, count?, message?} | inject (regex: pattern is a RegExp source), or clear |
 * | POST /_sim/latency                    | {ms}                                   | delay every API request |
 * | POST /_sim/compact                    |                                        | drop history (older RVs get 410) |
 * | POST /_sim/watches/close              |                                        | end every open watch |
 * | POST /_sim/bookmarks                  |                                        | BOOKMARK to every watch that allows them |
 * | PUT /_sim/expired-watch-mode          | {mode: "event" or "http"}              | how a watch learns of a too-old RV |
 * | POST /_sim/nodes                      | {name, ...NodeOptions}                 | addNode |
 * | DELETE /_sim/nodes/NAME               |                                        | removeNode |
 * | POST /_sim/nodes/NAME/ready           | {ready: boolean}                       | setNodeReady |
 * | POST /_sim/nodes/NAME/heartbeat       |                                        | heartbeat |
 * | POST /_sim/seed/demo                  |                                        | seedDemoCluster |
 * | POST /_sim/objects                    | {op, object?, ref?, patch?, patchType?, subresource?, namespace?, labelSelector?, fieldSelector?} | create, update, patch, delete, get or list |
 */

import type { FailureRule } from "./faults.ts";
import type { ObjectRef, PatchType, SimNodes, SimObjects } from "./control.ts";
import { isObject } from "./json_value.ts";
import type { NodeOptions } from "./node_object.ts";
import type { RequestRecord } from "./request_log.ts";
import { jsonResponse, statusResponse } from "./respond.ts";
import type { KubeObject } from "./resource_type.ts";
import { badRequest, failure, StatusError } from "./status_error.ts";
import type { ExpiredWatchMode } from "./watch_route.ts";

/** The simulator controls the HTTP surface exposes. */
export interface HttpControllable extends SimObjects, SimNodes {
  compact(): void;
  closeAllWatches(): void;
  sendBookmarks(): void;
  setExpiredWatchMode(mode: ExpiredWatchMode): void;
  injectFailure(rule: FailureRule): void;
  clearFailures(): void;
  injectLatency(ms: number): void;
  readonly requests: readonly RequestRecord[];
  clearRequests(): void;
  seedDemo(): unknown;
  state(): Record<string, unknown>;
}

async function body(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === "") return {};
  const value = JSON.parse(text);
  if (!isObject(value)) throw badRequest("the control request body must be a JSON object");
  return value;
}

const ok = (value: unknown = { ok: true }) => jsonResponse(value ?? null);

/** Answers one `/_sim/...` request. */
export async function controlResponse(
  sim: HttpControllable,
  path: string,
  request: Request,
): Promise<Response> {
  try {
    return await route(sim, path, request);
  } catch (error) {
    if (error instanceof StatusError) return statusResponse(error.status, error.headers);
    if (error instanceof SyntaxError) {
      return statusResponse(
        failure(400, "BadRequest", `Cannot parse the control request: ${error.message}`),
      );
    }
    throw error;
  }
}

async function route(sim: HttpControllable, path: string, request: Request): Promise<Response> {
  const method = request.method;
  const node = /^\/nodes\/([^/]+)(?:\/(ready|heartbeat))?$/.exec(path);
  if (node) {
    const name = decodeURIComponent(node[1]!);
    if (method === "DELETE" && !node[2]) return ok(sim.removeNode(name));
    if (method === "POST" && node[2] === "ready") {
      return ok(sim.setNodeReady(name, (await body(request)).ready === true));
    }
    if (method === "POST" && node[2] === "heartbeat") return ok(sim.heartbeat(name));
  }
  switch (`${method} ${path}`) {
    case "GET /state":
      return ok(sim.state());
    case "GET /requests":
      return ok(sim.requests);
    case "DELETE /requests":
      return ok(sim.clearRequests());
    case "POST /failures": {
      const rule = await body(request);
      const pattern = String(rule.pathPattern ?? "");
      sim.injectFailure(
        {
          ...rule,
          pathPattern: rule.regex === true ? new RegExp(pattern) : pattern,
        } as FailureRule,
      );
      return ok();
    }
    case "DELETE /failures":
      return ok(sim.clearFailures());
    case "POST /latency":
      return ok(sim.injectLatency(Number((await body(request)).ms ?? 0)));
    case "POST /compact":
      return ok(sim.compact());
    case "POST /watches/close":
      return ok(sim.closeAllWatches());
    case "POST /bookmarks":
      return ok(sim.sendBookmarks());
    case "PUT /expired-watch-mode": {
      const mode = (await body(request)).mode;
      if (mode !== "event" && mode !== "http") {
        throw badRequest(`Cannot set expired watch mode "${mode}": use event or http`);
      }
      return ok(sim.setExpiredWatchMode(mode));
    }
    case "POST /nodes": {
      const { name, ...options } = await body(request);
      return ok(sim.addNode(String(name), options as NodeOptions));
    }
    case "POST /seed/demo":
      return ok(sim.seedDemo());
    case "POST /objects":
      return ok(await objectOp(sim, await body(request)));
    default:
      return statusResponse(
        failure(404, "NotFound", `Cannot route "${method} /_sim${path}": no such control endpoint`),
      );
  }
}

async function objectOp(sim: SimObjects, input: Record<string, unknown>): Promise<unknown> {
  const ref = input.ref as ObjectRef;
  const subresource = input.subresource === "status" ? "status" : undefined;
  switch (input.op) {
    case "create":
      return sim.create(input.object as KubeObject);
    case "update":
      return sim.update(input.object as KubeObject, { subresource });
    case "patch":
      return sim.patch(ref, input.patch, {
        type: (input.patchType ?? "merge") as PatchType,
        subresource,
      });
    case "delete":
      return sim.delete(ref) ?? null;
    case "get":
      return sim.get(ref) ?? null;
    case "list":
      return await sim.list(String(input.apiVersion), String(input.kind), {
        namespace: input.namespace as string | undefined,
        labelSelector: input.labelSelector as string | undefined,
        fieldSelector: input.fieldSelector as string | undefined,
      });
    default:
      throw badRequest(
        `Cannot run object op "${input.op}": use create, update, patch, delete, get or list`,
      );
  }
}
