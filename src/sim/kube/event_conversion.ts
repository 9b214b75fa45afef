/** Conversion between core/v1 Events (the storage form) and events.k8s.io/v1 Events. */

import type { KubeObject } from "./resource_type.ts";

// events.k8s.io/v1 field → core/v1 field, as the real conversion maps them.
const RENAMES: ReadonlyArray<readonly [string, string]> = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["reportingController", "reportingComponent"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
];

const SHARED = ["metadata", "eventTime", "series", "related", "action", "reason", "type"];
const SERVED_ORDER = [
  "metadata",
  "eventTime",
  "series",
  "reportingController",
  "reportingInstance",
  "action",
  "reason",
  "regarding",
  "related",
  "note",
  "type",
  "deprecatedSource",
  "deprecatedFirstTimestamp",
  "deprecatedLastTimestamp",
  "deprecatedCount",
];

/** A stored core/v1 Event as events.k8s.io/v1 serves it. */
export function coreEventToEventsV1(core: KubeObject): KubeObject {
  const fields: Record<string, unknown> = {};
  for (const key of SHARED) if (key in core) fields[key] = core[key];
  for (const [served, stored] of RENAMES) if (stored in core) fields[served] = core[stored];
  if ("reportingInstance" in core) fields.reportingInstance = core.reportingInstance;
  const out: KubeObject = {
    kind: "Event",
    apiVersion: "events.k8s.io/v1",
    metadata: core.metadata,
  };
  for (const key of SERVED_ORDER) {
    if (key === "metadata") continue;
    const value = fields[key] ?? defaultServed(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** An events.k8s.io/v1 Event in the core/v1 storage form. */
export function eventsV1ToCoreEvent(event: KubeObject): KubeObject {
  const out: KubeObject = { kind: "Event", apiVersion: "v1", metadata: event.metadata };
  for (const key of SHARED) if (key in event && key !== "metadata") out[key] = event[key];
  for (const [served, stored] of RENAMES) if (served in event) out[stored] = event[served];
  if ("reportingInstance" in event) out.reportingInstance = event.reportingInstance;
  return out;
}

function defaultServed(key: string): unknown {
  switch (key) {
    case "deprecatedSource":
    case "regarding":
      return {};
    case "eventTime":
    case "deprecatedFirstTimestamp":
    case "deprecatedLastTimestamp":
      return null;
    default:
      return undefined;
  }
}
