/**
 * core/v1 Events about LBRegistrars, written in namespace "default" (the only namespace the API
 * server accepts for a cluster-scoped involvedObject, DESIGN §8). A repeat of the same event within
 * the aggregation window patches `count` and `lastTimestamp` of the existing Event instead of
 * creating another, as `kubectl describe` shows them.
 */
import { createHash } from "node:crypto";
import { getLogger, type Logger } from "../log.ts";
import { API_VERSION, COMPONENT, EVENT_NAMESPACE, KIND } from "../api/constants.ts";
import type { LBRegistrar } from "../api/types.ts";
import { errorFromResponse, errorFromThrown, isSuccess } from "./_classify.ts";
import type { KubeRequest } from "./_http.ts";
import { kubeTime } from "./_time.ts";
import type { EventRecord } from "./port.ts";
import { MERGE_PATCH } from "./status_writer.ts";

/** Options of `createEventRecorder`. */
export interface EventRecorderOptions {
  request: KubeRequest;
  /** `reportingInstance` of every Event (the pod or host name). */
  instance: string;
  /** Repeats within this window are aggregated. @default 600_000 (10 min) */
  aggregateWindowMs?: number;
  /** Recent events remembered for aggregation (least recently used dropped first). @default 1000 */
  cacheSize?: number;
  /** @default Date.now */
  now?: () => number;
  /** @default getLogger("kube") */
  logger?: Logger;
}

interface Recent {
  eventName: string;
  count: number;
  lastSeenMs: number;
}

/** `recordEvent(lbr, event)`: creates or aggregates one Event; throws `KubeError` on failure. */
export function createEventRecorder(
  options: EventRecorderOptions,
): (lbr: LBRegistrar, event: EventRecord) => Promise<void> {
  const {
    request,
    instance,
    aggregateWindowMs = 600_000,
    cacheSize = 1000,
    now = Date.now,
    logger = getLogger("kube"),
  } = options;
  const recent = new Map<string, Recent>();
  // Calls for the same key run one after another, so two identical events never both create.
  const queues = new Map<string, Promise<void>>();
  let sequence = 0;
  const eventsPath = `/api/v1/namespaces/${EVENT_NAMESPACE}/events`;

  function remember(key: string, entry: Recent): void {
    recent.delete(key);
    recent.set(key, entry);
    while (recent.size > cacheSize) recent.delete(recent.keys().next().value as string);
  }

  async function aggregate(key: string, entry: Recent, stamp: string): Promise<boolean> {
    const action = `update event "${EVENT_NAMESPACE}/${entry.eventName}"`;
    const body = { count: entry.count + 1, lastTimestamp: stamp };
    let response;
    try {
      response = await request("PATCH", `${eventsPath}/${entry.eventName}`, {
        body,
        contentType: MERGE_PATCH,
      });
    } catch (error) {
      throw errorFromThrown(action, error);
    }
    if (response.status === 404) return false; // Expired (event TTL) or deleted: create anew.
    if (!isSuccess(response.status)) throw errorFromResponse(action, response);
    remember(key, { ...entry, count: body.count, lastSeenMs: now() });
    return true;
  }

  async function create(key: string, lbr: LBRegistrar, event: EventRecord): Promise<void> {
    const nowMs = now();
    const stamp = kubeTime(nowMs);
    const name = lbr.metadata.name;
    // client-go's naming: "<object>.<hex nanoseconds>"; the sequence keeps same-millisecond names apart.
    const eventName = `${name}.${
      (BigInt(nowMs) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16)
    }`;
    const body = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: eventName, namespace: EVENT_NAMESPACE },
      involvedObject: { apiVersion: API_VERSION, kind: KIND, name, uid: lbr.metadata.uid },
      reason: event.reason,
      message: event.message,
      type: event.type,
      source: { component: COMPONENT },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      reportingComponent: COMPONENT,
      reportingInstance: instance,
    };
    const action = `create event ${event.reason} for LBRegistrar "${name}"`;
    let response;
    try {
      response = await request("POST", eventsPath, { body });
    } catch (error) {
      throw errorFromThrown(action, error);
    }
    if (!isSuccess(response.status)) throw errorFromResponse(action, response);
    remember(key, { eventName, count: 1, lastSeenMs: nowMs });
  }

  async function record(key: string, lbr: LBRegistrar, event: EventRecord): Promise<void> {
    const entry = recent.get(key);
    if (entry && now() - entry.lastSeenMs < aggregateWindowMs) {
      if (await aggregate(key, entry, kubeTime(now()))) return;
    }
    await create(key, lbr, event);
    logger.debug("Recorded event {reason} for {lbr}", {
      reason: event.reason,
      lbr: lbr.metadata.name,
    });
  }

  return (lbr, event) => {
    // A digest, not the text: a message can list thousands of ip:port, and up to cacheSize keys
    // are kept for the aggregation window.
    const key = createHash("sha256").update(JSON.stringify([
      lbr.metadata.name,
      lbr.metadata.uid ?? "",
      event.type,
      event.reason,
      event.message,
    ])).digest("base64");
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => record(key, lbr, event));
    queues.set(key, next);
    const forget = () => {
      if (queues.get(key) === next) queues.delete(key);
    };
    next.then(forget, forget);
    return next;
  };
}
