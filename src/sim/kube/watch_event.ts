/** What one watcher receives for one change, encoded once and shared between watchers. */

import type { ChangeEvent } from "./event_ring.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource_type.ts";
import type { KubeStatus } from "./status_error.ts";

/** The audience of a watch: the served resource, namespace and selectors. */
export interface WatchScope {
  rt: ResourceType;
  namespace?: string;
  /** Label and field selectors over the served object. */
  filter: (served: KubeObject) => boolean;
}

const encoder = new TextEncoder();

/** The object as the given resource serves it (events.k8s.io converts core Events). */
export function served(rt: ResourceType, obj: KubeObject): KubeObject {
  return rt.toServed ? rt.toServed(obj) : obj;
}

function visible(scope: WatchScope, obj: KubeObject | undefined): boolean {
  if (!obj) return false;
  if (scope.namespace !== undefined && obj.metadata.namespace !== scope.namespace) return false;
  return scope.filter(served(scope.rt, obj));
}

/**
 * The watch line a scope gets for a change, or undefined when it gets none. An object that stops
 * matching the selectors arrives as DELETED (old content, new RV); one that starts matching as ADDED.
 */
export function eventLine(event: ChangeEvent, scope: WatchScope): Uint8Array | undefined {
  const now = event.type !== "DELETED" && visible(scope, event.object);
  const before = event.type === "ADDED" ? false : visible(scope, event.previous ?? event.object);
  let type: ChangeEvent["type"];
  let usePrevious = false;
  if (event.type === "DELETED") {
    if (!before) return undefined;
    type = "DELETED";
  } else if (now) {
    type = before || event.type === "ADDED" ? event.type : "ADDED";
  } else if (before) {
    type = "DELETED";
    usePrevious = true;
  } else {
    return undefined;
  }
  const cacheKey = `${apiVersionOf(scope.rt)}|${type}|${usePrevious ? "p" : "c"}`;
  event.lines ??= new Map();
  let line = event.lines.get(cacheKey);
  if (!line) {
    const base = usePrevious ? restamp(event.previous!, event.rv) : event.object;
    line = encoder.encode(
      `{"type":"${type}","object":${JSON.stringify(served(scope.rt, base))}}\n`,
    );
    event.lines.set(cacheKey, line);
  }
  return line;
}

function restamp(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/** Synthetic ADDED lines for the current objects a watch starts with, as one chunk. */
export function initialLines(objects: Iterable<KubeObject>, scope: WatchScope): Uint8Array {
  let text = "";
  for (const obj of objects) {
    if (!visible(scope, obj)) continue;
    text += `{"type":"ADDED","object":${JSON.stringify(served(scope.rt, obj))}}\n`;
  }
  return encoder.encode(text);
}

/** A BOOKMARK line carrying only kind, apiVersion and the resourceVersion. */
export function bookmarkLine(rt: ResourceType, rv: number): Uint8Array {
  const object = {
    kind: rt.kind,
    apiVersion: apiVersionOf(rt),
    metadata: { resourceVersion: String(rv) },
  };
  return encoder.encode(`{"type":"BOOKMARK","object":${JSON.stringify(object)}}\n`);
}

/** An in-stream ERROR line carrying a Status. */
export function errorLine(status: KubeStatus): string {
  return `{"type":"ERROR","object":${JSON.stringify(status)}}\n`;
}
