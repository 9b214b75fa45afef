/** LIST semantics: selectors, resourceVersion rules, consistent pagination with continue tokens (wire notes §2). */

import { parseFieldSelector } from "./field_selector.ts";
import { parseLabelSelector } from "./label_selector.ts";
import { EXPIRED, type ObjectStore } from "./object_store.ts";
import type { KubeObject, ResourceType } from "./resource_type.ts";
import { badRequest, expired, failure, StatusError } from "./status_error.ts";
import { served } from "./watch_event.ts";

/** The list options of a request. */
export interface ListQuery {
  namespace?: string;
  labelSelector?: string | null;
  fieldSelector?: string | null;
  limit?: number;
  continueToken?: string | null;
  resourceVersion?: string | null;
  resourceVersionMatch?: string | null;
}

/** One page of a list, in served form. */
export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface Token {
  rv: number;
  start: string;
}

function encodeToken(token: Token): string {
  return btoa(JSON.stringify({ v: "meta.k8s.io/v1", rv: token.rv, start: token.start }));
}

function decodeToken(text: string): Token {
  try {
    const raw = JSON.parse(atob(text));
    if (typeof raw.rv === "number" && typeof raw.start === "string") {
      return { rv: raw.rv, start: raw.start };
    }
  } catch {
    // Fall through to the 400 below.
  }
  throw badRequest(`invalid continue token: ${text}`);
}

function listOptionsInvalid(message: string, field: string): StatusError {
  return new StatusError(
    failure(422, "Invalid", `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`, {
      group: "meta.k8s.io",
      kind: "ListOptions",
      causes: [{ reason: "FieldValueForbidden", message, field }],
    }),
  );
}

/** 504 for a resourceVersion the store has not reached. */
export function tooLargeRv(asked: number, current: number): StatusError {
  return new StatusError(
    failure(504, "Timeout", `Timeout: Too large resource version: ${asked}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    }),
    { "Retry-After": "1" },
  );
}

/** Lists one resource as the real server does; `waitMs` bounds the wait for a future resourceVersion. */
export async function listObjects(
  store: ObjectStore,
  rt: ResourceType,
  query: ListQuery,
  waitMs: number,
): Promise<ListPage> {
  const matchLabels = parseLabelSelector(query.labelSelector);
  const matchFields = parseFieldSelector(rt, query.fieldSelector);
  const rvText = query.resourceVersion ?? "";
  const match = query.resourceVersionMatch ?? "";
  if (match !== "" && rvText === "") {
    throw listOptionsInvalid(
      "resourceVersionMatch is forbidden unless resourceVersion is provided",
      "resourceVersionMatch",
    );
  }
  if (match === "Exact" && rvText === "0") {
    throw listOptionsInvalid(
      `resourceVersionMatch "Exact" is forbidden for resourceVersion "0"`,
      "resourceVersionMatch",
    );
  }
  if (rvText !== "" && !/^\d+$/.test(rvText)) {
    throw badRequest(`invalid resource version: ${rvText}`);
  }
  const asked = rvText === "" ? undefined : Number(rvText);

  let limit = query.limit && query.limit > 0 ? query.limit : undefined;
  let at = store.rv;
  let start = "";
  if (query.continueToken) {
    const token = decodeToken(query.continueToken);
    at = token.rv;
    start = token.start;
  } else if (asked !== undefined && asked > store.rv) {
    if (!(await store.waitForRv(asked, waitMs))) throw tooLargeRv(asked, store.rv);
    at = store.rv;
  } else if (match === "Exact" && asked !== undefined) {
    at = asked;
  }
  // resourceVersion=0 is served from the watch cache, which ignores limit.
  if (asked === 0 && !query.continueToken) limit = undefined;

  const snapshot = store.snapshotAt(rt.storage, at);
  if (snapshot === EXPIRED) {
    if (query.continueToken) {
      const error = expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new " +
          "list without the continue parameter, or use the continue token in this response to retry with the " +
          "inconsistent list.",
      );
      error.status.metadata.continue = encodeToken({ rv: store.rv, start });
      throw error;
    }
    throw expired("The resourceVersion for the provided list is too old.");
  }
  const keys = at >= store.rv ? store.keys(rt.storage) : [...snapshot.keys()].sort();
  const prefix = query.namespace ? `${query.namespace}/` : "";
  const items: KubeObject[] = [];
  let last = -1;
  let index = 0;
  for (; index < keys.length; index++) {
    const key = keys[index]!;
    if (key < start || (prefix && !key.startsWith(prefix))) continue;
    if (limit !== undefined && items.length >= limit) break;
    const obj = served(rt, snapshot.get(key)!);
    last = index;
    if (matchLabels(obj.metadata.labels) && matchFields(obj)) items.push(obj);
  }
  const page: ListPage = { items, resourceVersion: String(at) };
  const rest = keys.slice(last + 1).filter((key) => !prefix || key.startsWith(prefix));
  if (limit !== undefined && items.length >= limit && rest.length > 0) {
    page.continueToken = encodeToken({ rv: at, start: `${keys[last]}\u0000` });
    if (!query.labelSelector && !query.fieldSelector) page.remainingItemCount = rest.length;
  }
  return page;
}
