/**
 * A reflector: list + watch of one resource, kept as small projections in a Map. Restarts on ANY
 * failure with jittered backoff (client-node 1.4.0's informer stops on non-410 errors, so we run our
 * own loop), re-lists on 410 Gone, and detects deletions missed while disconnected by diffing the
 * re-list against the store.
 */
import { getLogger, type Logger } from "../log.ts";
import { createBackoff, type KubeClock, realClock } from "./_backoff.ts";
import { errorFromResponse, isSuccess } from "./_classify.ts";
import { deepEqual } from "./_equal.ts";
import type { KubeRequest } from "./_http.ts";
import type { OpenWatch, WatchEnd, WatchEvent } from "./_watch.ts";
import { KubeError } from "./errors.ts";
import { objectKey, type RawObject } from "./projections.ts";

/** Options of `createReflector`; P is the projection kept per object. */
export interface ReflectorOptions<P> {
  /** Plural resource name, for logs and error messages ("nodes"). */
  resource: string;
  /** Collection path, e.g. "/api/v1/nodes". */
  listPath: string;
  request: KubeRequest;
  openWatch: OpenWatch;
  /** Projection of one raw object; undefined means "not of interest" (treated as absent). */
  project: (raw: RawObject) => P | undefined;
  /** Store key of a raw object. @default objectKey ("namespace/name" or name) */
  key?: (raw: RawObject) => string;
  /** Called once per real projection change (never for an equal projection). */
  onChange: (key: string, before: P | undefined, after: P | undefined) => void;
  /** Called once, after the first list has been applied. */
  onSynced?: () => void;
  /** Called each time a watch ends (timeout, close, error, 410) and the reflector goes on. */
  onWatchRestart?: (resource: string) => void;
  /** Server-side watch timeout; guards against half-open connections. @default 300 */
  timeoutSeconds?: number;
  /** List page size (`limit`). @default 500 */
  pageSize?: number;
  /** Delay before retry n (n ≥ 1). @default createBackoff() (500 ms → 30 s, jittered) */
  backoff?: (attempt: number) => number;
  /** A watch that delivered nothing and ended sooner than this counts as a failure. @default 1000 */
  minHealthyWatchMs?: number;
  /** Measures watch lifetimes and waits out the backoff. @default realClock */
  clock?: KubeClock;
  /** @default getLogger("kube") */
  logger?: Logger;
}

/** A running list+watch of one resource. */
export interface Reflector<P> {
  /** Live map of projections; read, never mutate. */
  readonly store: ReadonlyMap<string, P>;
  /** True once the first list has been applied. */
  hasSynced(): boolean;
  /** Lists and watches until `signal` aborts; resolves when every request has ended. */
  run(signal: AbortSignal): Promise<void>;
}

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: RawObject[] | null;
}

type WatchOutcome = { kind: "closed" | "expired" } | { kind: "error"; error: unknown };

/** A reflector for one resource. */
export function createReflector<P>(options: ReflectorOptions<P>): Reflector<P> {
  const {
    resource,
    listPath,
    request,
    openWatch,
    project,
    key = objectKey,
    onChange,
    onSynced,
    onWatchRestart,
    timeoutSeconds = 300,
    pageSize = 500,
    backoff = createBackoff(),
    minHealthyWatchMs = 1000,
    clock = realClock,
    logger = getLogger("kube"),
  } = options;
  const log = logger.with({ resource });
  const store = new Map<string, P>();
  let synced = false;
  const watchPath = `${listPath}${
    listPath.includes("?") ? "&" : "?"
  }timeoutSeconds=${timeoutSeconds}`;

  function apply(k: string, after: P | undefined): void {
    const before = store.get(k);
    if (after === undefined) {
      if (before === undefined) return;
      store.delete(k);
    } else {
      if (before !== undefined && deepEqual(before, after)) return;
      store.set(k, after);
    }
    onChange(k, before, after);
  }

  /** Lists every page, replaces the store (emitting what changed) and returns the list's RV. */
  async function relist(signal: AbortSignal): Promise<string> {
    const fresh = new Map<string, P>();
    let resourceVersion = "";
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (token) query.set("continue", token);
      const response = await request("GET", `${listPath}?${query}`, { signal });
      if (!isSuccess(response.status)) throw errorFromResponse(`list ${resource}`, response);
      const body = JSON.parse(response.text) as ListBody;
      for (const item of body.items ?? []) {
        const projection = project(item);
        if (projection !== undefined) fresh.set(key(item), projection);
      }
      resourceVersion = body.metadata?.resourceVersion ?? "";
      token = body.metadata?.continue || undefined;
    } while (token);
    for (const [k, projection] of fresh) apply(k, projection);
    for (const k of store.keys()) if (!fresh.has(k)) apply(k, undefined);
    log.debug("Listed {count} {resource} at resourceVersion {resourceVersion}", {
      count: fresh.size,
      resourceVersion,
    });
    return resourceVersion;
  }

  /** Watches from `from` until the stream ends; reports the last RV seen and how it ended. */
  async function watchFrom(
    from: string,
    signal: AbortSignal,
  ): Promise<{ outcome: WatchOutcome; resourceVersion: string; healthy: boolean }> {
    let resourceVersion = from;
    let sawEvent = false;
    let ended: WatchOutcome | undefined;
    const started = clock.now();
    const onEvent = ({ type, object }: WatchEvent) => {
      if (ended) return;
      if (type === "ERROR") {
        ended = object.code === 410 ? { kind: "expired" } : {
          kind: "error",
          error: new KubeError(`Cannot watch ${resource}: ${object.message ?? "error event"}`, {
            kind: "transient",
            status: object.code,
          }),
        };
        handle.abort();
        return;
      }
      sawEvent = true;
      const eventVersion = object.metadata?.resourceVersion;
      if (type === "ADDED" || type === "MODIFIED") apply(key(object), project(object));
      else if (type === "DELETED") apply(key(object), undefined);
      if (eventVersion) resourceVersion = eventVersion;
    };
    const handle = openWatch(
      watchPath,
      { resourceVersion: from, allowWatchBookmarks: "true" },
      onEvent,
    );
    const stop = () => handle.abort();
    signal.addEventListener("abort", stop, { once: true });
    const end = await handle.done;
    signal.removeEventListener("abort", stop);
    return {
      outcome: ended ?? outcomeOf(end),
      resourceVersion,
      healthy: sawEvent || clock.now() - started >= minHealthyWatchMs,
    };
  }

  async function run(signal: AbortSignal): Promise<void> {
    let resourceVersion: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let delay = 0;
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await relist(signal);
          if (!synced) {
            synced = true;
            onSynced?.();
          }
        }
        const watched = await watchFrom(resourceVersion, signal);
        if (signal.aborted) break;
        onWatchRestart?.(resource);
        resourceVersion = watched.resourceVersion;
        if (watched.healthy) failures = 0;
        const { outcome } = watched;
        if (outcome.kind === "expired") {
          // 410 Gone: the RV left the server's window. Re-list at once; back off only if it repeats.
          resourceVersion = undefined;
          failures++;
          delay = backoff(failures - 1);
          log.debug("Watch of {resource} expired; re-listing");
        } else if (outcome.kind === "error") {
          failures++;
          delay = backoff(failures);
          log.warn("Watch of {resource} failed, retrying in {delayMs} ms: {error}", {
            delayMs: delay,
            error: describe(outcome.error),
            attempt: failures,
          });
        } else if (!watched.healthy) {
          failures++;
          delay = backoff(failures);
        }
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        delay = backoff(failures);
        log.warn("List of {resource} failed, retrying in {delayMs} ms: {error}", {
          delayMs: delay,
          error: describe(error),
          attempt: failures,
        });
      }
      if (delay > 0) await clock.sleep(delay, signal).catch(() => {});
    }
  }

  return { store, hasSynced: () => synced, run };
}

/** A watch refused with HTTP 410 (rather than the in-stream ERROR event) also means "re-list". */
function outcomeOf(end: WatchEnd): WatchOutcome {
  if (end.kind === "closed") return end;
  const statusCode = (end.error as { statusCode?: unknown } | null)?.statusCode;
  return statusCode === 410 ? { kind: "expired" } : end;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
