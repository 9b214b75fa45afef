/** One watch request over client-node's `Watch` (node-fetch 2), as a promise of how it ended. */
import "./_quiet_deprecations.ts";
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import { assertDeclaredCall } from "./api_calls.ts";
import type { RawObject } from "./projections.ts";

/** One line of a watch stream; an ERROR event carries a `kind: Status` object. */
export interface WatchEvent {
  type: string;
  object: RawObject & { code?: number; reason?: string; message?: string };
}

/** How a watch ended: closed by the server (timeoutSeconds, restart) or failed (HTTP error, network, abort). */
export type WatchEnd = { kind: "closed" } | { kind: "error"; error: unknown };

/** A running watch: how it ends, and how to end it. */
export interface WatchHandle {
  done: Promise<WatchEnd>;
  /** Closes the stream; `done` then resolves (with an AbortError). */
  abort(): void;
}

/** Opens a watch on `path` (which may carry its own query, e.g. timeoutSeconds). */
export type OpenWatch = (
  path: string,
  query: Record<string, string>,
  onEvent: (event: WatchEvent) => void,
) => WatchHandle;

/** An `OpenWatch` bound to the current context of `kubeConfig`. */
export function createOpenWatch(kubeConfig: KubeConfig): OpenWatch {
  const watch = new Watch(kubeConfig);
  return (path, query, onEvent) => {
    assertDeclaredCall("GET", path, { watch: true });
    let controller: AbortController | undefined;
    let aborted = false;
    let settle: (end: WatchEnd) => void = () => {};
    const done = new Promise<WatchEnd>((resolve) => {
      let settled = false;
      settle = (end) => {
        if (settled) return;
        settled = true;
        resolve(end);
      };
    });
    watch.watch(
      path,
      query,
      (type, object) => {
        if (!aborted) onEvent({ type, object });
      },
      (error) => settle(error ? { kind: "error", error } : { kind: "closed" }),
    ).then(
      (started) => {
        controller = started;
        // Watch.watch hands out its controller only once the response has started.
        if (aborted) started.abort();
      },
      (error) => settle({ kind: "error", error }),
    );
    return {
      done,
      abort() {
        aborted = true;
        controller?.abort();
      },
    };
  };
}
