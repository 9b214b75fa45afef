/** The verbs on resource URLs: list, watch, get, create, update, patch, delete, deletecollection. */

import { negotiateObject } from "./accept.ts";
import type { FieldValidation } from "./custom_schema.ts";
import { isObject } from "./json_value.ts";
import { listObjects } from "./list_query.ts";
import type { ObjectStore } from "./object_store.ts";
import type { DeleteOptions, Operations, WriteOptions } from "./operations.ts";
import type { ResourceTarget } from "./request_target.ts";
import { jsonResponse } from "./respond.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource_type.ts";
import { decodeProtobufBody, isProtobufContentType } from "./protobuf_body.ts";
import { badRequest, methodNotSupported, notAcceptable, resourceNotFound } from "./status_error.ts";
import { type IncludeObject, toPartial, toPartialList, toTable } from "./table.ts";
import { type WatchDeps, watchResponse } from "./watch_route.ts";

/** What the resource routes need. */
export interface ResourceDeps extends WatchDeps {
  store: ObjectStore;
  ops: Operations;
  now: () => number;
  /** How long a list waits for a future resourceVersion before 504. */
  tooLargeRvWaitMs: number;
}

function writeOptions(query: URLSearchParams, subresource: string | undefined): WriteOptions {
  const validation = query.get("fieldValidation");
  return {
    subresource: subresource === "status" ? "status" : undefined,
    dryRun: query.getAll("dryRun").includes("All"),
    fieldValidation: validation === "Strict" || validation === "Warn" || validation === "Ignore"
      ? validation as FieldValidation
      : undefined,
  };
}

/** A request body as text (JSON, patches) and as the raw bytes (protobuf is binary). */
export interface RequestBody {
  text: string;
  bytes: Uint8Array;
}

// kubectl sends built-in kinds as protobuf on create and does not retry as JSON on a 415.
function requestObject(body: RequestBody, request: Request, rt: ResourceType): unknown {
  if (body.bytes.length > 0 && isProtobufContentType(request.headers.get("Content-Type"))) {
    return decodeProtobufBody(body.bytes, rt);
  }
  return jsonBody(body.text, rt);
}

function jsonBody(text: string, rt: ResourceType): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: invalid JSON body`,
    );
  }
}

function objectAnswer(
  rt: ResourceType,
  obj: KubeObject,
  accept: string | null,
  now: number,
  status = 200,
  warnings: string[] = [],
) {
  const format = negotiateObject(accept);
  if (format === undefined) throw notAcceptable();
  if (format === "table") {
    return jsonResponse(
      toTable(rt, [obj], { resourceVersion: obj.metadata.resourceVersion ?? "" }, now),
      status,
    );
  }
  if (format === "metadata") return jsonResponse(toPartial(obj), status);
  return jsonResponse(obj, status, {}, warnings);
}

/** Answers one request on a resource URL. */
export async function resourceResponse(
  deps: ResourceDeps,
  target: ResourceTarget,
  request: Request,
  body: RequestBody,
  query: URLSearchParams,
): Promise<Response> {
  const { rt, namespace, name, subresource } = target;
  const { ops, now } = deps;
  const accept = request.headers.get("Accept");
  const isWatch = target.watchPath || query.get("watch") === "true" || query.get("watch") === "1";
  // A namespaced object can only be addressed inside its namespace.
  if (
    rt.namespaced && namespace === undefined && (name !== undefined || request.method === "POST")
  ) {
    throw resourceNotFound();
  }

  if (name === undefined) {
    switch (request.method) {
      case "GET":
        return isWatch
          ? watchResponse(deps, rt, namespace, undefined, query)
          : await listAnswer(deps, rt, namespace, query, accept);
      case "POST": {
        const result = ops.create(
          rt,
          namespace,
          requestObject(body, request, rt),
          writeOptions(query, undefined),
        );
        return objectAnswer(rt, result.object, accept, now(), 201, result.warnings);
      }
      case "DELETE":
        return await deleteCollection(deps, rt, namespace, query);
      default:
        throw methodNotSupported(rt, request.method);
    }
  }

  switch (request.method) {
    case "GET":
      if (isWatch) return watchResponse(deps, rt, namespace, name, query);
      return objectAnswer(rt, ops.get(rt, namespace, name), accept, now());
    case "PUT": {
      const result = ops.update(
        rt,
        namespace,
        name,
        requestObject(body, request, rt),
        writeOptions(query, subresource),
      );
      return objectAnswer(
        rt,
        result.object,
        accept,
        now(),
        result.created ? 201 : 200,
        result.warnings,
      );
    }
    case "PATCH": {
      const contentType = request.headers.get("Content-Type") ?? "";
      const result = ops.patch(
        rt,
        namespace,
        name,
        contentType,
        body.text,
        writeOptions(query, subresource),
      );
      return objectAnswer(
        rt,
        result.object,
        accept,
        now(),
        result.created ? 201 : 200,
        result.warnings,
      );
    }
    case "DELETE": {
      if (subresource !== undefined) throw methodNotSupported(rt, "DELETE");
      const parsed = requestObject(body, request, rt);
      const options: DeleteOptions = isObject(parsed) ? parsed as DeleteOptions : {};
      if (query.getAll("dryRun").includes("All")) options.dryRun = true;
      const result = ops.remove(rt, namespace, name, options);
      return jsonResponse(result, 200);
    }
    default:
      throw methodNotSupported(rt, request.method);
  }
}

async function listAnswer(
  deps: ResourceDeps,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
  accept: string | null,
): Promise<Response> {
  const format = negotiateObject(accept);
  if (format === undefined) throw notAcceptable();
  const limitText = query.get("limit");
  const page = await listObjects(deps.store, rt, {
    namespace,
    labelSelector: query.get("labelSelector"),
    fieldSelector: query.get("fieldSelector"),
    limit: limitText ? Number(limitText) : undefined,
    continueToken: query.get("continue"),
    resourceVersion: query.get("resourceVersion"),
    resourceVersionMatch: query.get("resourceVersionMatch"),
  }, deps.tooLargeRvWaitMs);
  const metadata: Record<string, unknown> = {};
  if (rt.custom) metadata.continue = page.continueToken ?? "";
  else if (page.continueToken) metadata.continue = page.continueToken;
  metadata.resourceVersion = page.resourceVersion;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  if (format === "table") {
    const include = (query.get("includeObject") ?? "Metadata") as IncludeObject;
    const tableMeta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
    if (page.continueToken) tableMeta.continue = page.continueToken;
    if (page.remainingItemCount !== undefined) {
      tableMeta.remainingItemCount = page.remainingItemCount;
    }
    return jsonResponse(toTable(rt, page.items, tableMeta, deps.now(), include));
  }
  if (format === "metadata") return jsonResponse(toPartialList(page.items, metadata));
  // Built-in list items carry no kind/apiVersion; custom resource items do (wire notes §2).
  const items = rt.custom
    ? page.items
    : page.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  return jsonResponse({ kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata, items });
}

async function deleteCollection(
  deps: ResourceDeps,
  rt: ResourceType,
  namespace: string | undefined,
  query: URLSearchParams,
): Promise<Response> {
  const page = await listObjects(deps.store, rt, {
    namespace,
    labelSelector: query.get("labelSelector"),
    fieldSelector: query.get("fieldSelector"),
  }, deps.tooLargeRvWaitMs);
  const dryRun = query.getAll("dryRun").includes("All");
  const deleted = page.items.map((obj) => {
    const result = deps.ops.remove(rt, obj.metadata.namespace, obj.metadata.name!, { dryRun });
    return result.kind === "Status" ? obj : result as KubeObject;
  });
  return jsonResponse({
    kind: rt.listKind,
    apiVersion: apiVersionOf(rt),
    metadata: { resourceVersion: String(deps.store.rv) },
    items: deleted,
  });
}
