/** WATCH requests: initial state or replay from a resourceVersion, 410 handling, bookmarks, timeouts (wire notes §2). */

import { parseFieldSelector } from "./field_selector.ts";
import { parseLabelSelector } from "./label_selector.ts";
import { EXPIRED, type ObjectStore } from "./object_store.ts";
import { baseHeaders, statusResponse } from "./respond.ts";
import type { ResourceType } from "./resource_type.ts";
import { badRequest, failure, StatusError } from "./status_error.ts";
import { errorLine, eventLine, initialLines, type WatchScope } from "./watch_event.ts";
import type { WatchHub } from "./watch_hub.ts";

/** How an expired resourceVersion is reported to a watch: in-stream ERROR event (real) or HTTP 410. */
export type ExpiredWatchMode = "event" | "http";

/** What the watch route needs. */
export interface WatchDeps {
  store: ObjectStore;
  hub: WatchHub;
  expiredMode: () => ExpiredWatchMode;
}

function flag(value: string | null): boolean {
  return value === "true" || value === "1";
}

function forbidden(field: string, message: string): StatusError {
  return new StatusError(
    failure(
      422,
      "Invalid",
      `ListOptions.meta.k8s.io "" is invalid: ${field}: Forbidden: ${message}`,
      {
        group: "meta.k8s.io",
        kind: "ListOptions",
        causes: [{ reason: "FieldValueForbidden", message: `Forbidden: ${message}`, field }],
      },
    ),
  );
}

/** Opens a watch on one resource (optionally one namespace, or one name for the legacy path). */
export function watchResponse(
  deps: WatchDeps,
  rt: ResourceType,
  namespace: string | undefined,
  name: string | undefined,
  query: URLSearchParams,
): Response {
  const { store, hub } = deps;
  if (query.has("sendInitialEvents")) {
    throw forbidden(
      "sendInitialEvents",
      "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled",
    );
  }
  if (query.has("resourceVersionMatch")) {
    throw forbidden(
      "resourceVersionMatch",
      "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
    );
  }
  const matchLabels = parseLabelSelector(query.get("labelSelector"));
  const matchFields = parseFieldSelector(rt, query.get("fieldSelector"));
  const scope: WatchScope = {
    rt,
    namespace,
    filter: (obj) =>
      (name === undefined || obj.metadata.name === name) && matchLabels(obj.metadata.labels) &&
      matchFields(obj),
  };
  const timeoutText = query.get("timeoutSeconds");
  if (timeoutText !== null && !/^\d+$/.test(timeoutText)) {
    throw badRequest(`invalid timeoutSeconds: ${timeoutText}`);
  }
  // Without timeoutSeconds the real server picks 30-60 minutes (--min-request-timeout=1800).
  const timeoutMs = timeoutText !== null && Number(timeoutText) > 0
    ? Number(timeoutText) * 1000
    : (1800 + Math.floor(Math.random() * 1800)) * 1000;
  const rvText = query.get("resourceVersion") ?? "";
  if (rvText !== "" && !/^\d+$/.test(rvText)) {
    throw badRequest(`invalid resource version: ${rvText}`);
  }

  let first: Uint8Array[];
  let fromRv: number;
  let sentRv: number;
  if (rvText === "" || rvText === "0") {
    const objects = store.keys(rt.storage).map((key) => store.get(rt.storage, key)!);
    first = [initialLines(objects, scope)];
    fromRv = store.rv;
    sentRv = store.rv;
  } else {
    const asked = Number(rvText);
    const events = store.since(rt.storage, asked);
    if (events === EXPIRED) {
      const status = failure(
        410,
        "Expired",
        `too old resource version: ${asked} (${store.floor(rt.storage) + 1})`,
      );
      if (deps.expiredMode() === "http") return statusResponse(status);
      return new Response(errorLine(status), { status: 200, headers: baseHeaders() });
    }
    first = [];
    sentRv = asked;
    for (const event of events) {
      const line = eventLine(event, scope);
      if (line) {
        first.push(line);
        sentRv = event.rv;
      }
    }
    fromRv = Math.max(asked, store.rv);
  }
  // Bookmarks come only from cache-served watches, i.e. when a resourceVersion was given.
  const bookmarks = flag(query.get("allowWatchBookmarks")) && rvText !== "";
  const body = hub.open({
    ...scope,
    storage: rt.storage,
    fromRv,
    sentRv,
    first,
    bookmarks,
    timeoutMs,
  });
  return new Response(body, { status: 200, headers: baseHeaders() });
}
