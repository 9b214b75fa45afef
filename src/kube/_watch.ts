/**
 * One watch request (newline-delimited JSON events) as a promise of how it ended. Over node:http(s)
 * when the connection allows (see `_connection.ts`): a busy watch delivers one small chunk per
 * event, and node:http reads those about four times cheaper than a fetch body stream does on Deno
 * 2.9. Over fetch for HTTPS with the default roots (node:tls would need --allow-sys for them), and
 * over client-node's `Watch` for configs only client-node can serve.
 */
import http from "node:http";
import https from "node:https";
import { assertDeclaredCall } from "./api_calls.ts";
import { type ClientNodeConnection, connectionOf, type NativeConnection } from "./_connection.ts";
import type { KubeConfigLike } from "./kubeconfig.ts";
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

/** Past the server's own `timeoutSeconds`, a silent stream is taken for a dead connection. */
const IDLE_GRACE_MS = 30_000;

/** An error for a watch refused with an HTTP status (client-node's shape: message, statusCode). */
export class WatchStatusError extends Error {
  override name = "WatchStatusError";
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

/** An `OpenWatch` bound to the current context of `kubeConfig`. */
export function createOpenWatch(kubeConfig: KubeConfigLike): OpenWatch {
  const connection = connectionOf(kubeConfig);
  return (path, query, onEvent) => {
    assertDeclaredCall("GET", path, { watch: true });
    if (connection.kind === "client-node") return clientNodeWatch(connection, path, query, onEvent);
    return connection.server.startsWith("http:") || connection.tls()
      ? nodeHttpWatch(connection, path, query, onEvent)
      : fetchWatch(connection, path, query, onEvent);
  };
}

function fetchWatch(
  connection: NativeConnection,
  path: string,
  query: Record<string, string>,
  onEvent: (event: WatchEvent) => void,
): WatchHandle {
  const url = watchUrl(connection, path, query);
  const controller = new AbortController();
  const idle = idleGuard(url, () => controller.abort(idleError(url)));
  const done = (async (): Promise<WatchEnd> => {
    try {
      const client = connection.client();
      const response = await fetch(url, {
        headers: connection.headers(),
        signal: controller.signal,
        ...(client ? { client } : {}),
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        return {
          kind: "error",
          error: new WatchStatusError(
            response.status,
            response.statusText || `HTTP ${response.status}`,
          ),
        };
      }
      // A plain reader, cancelled on abort: a piped stream (pipeThrough) can miss the abort and
      // hang once a large backlog has been read.
      const reader = response.body!.getReader();
      const cancel = () => void reader.cancel().catch(() => {});
      controller.signal.addEventListener("abort", cancel, { once: true });
      const decoder = new TextDecoder();
      let pending = "";
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done || controller.signal.aborted) break;
          idle.touch();
          pending += decoder.decode(value, { stream: true });
          let start = 0;
          let end = pending.indexOf("\n");
          while (end !== -1) {
            if (!controller.signal.aborted) deliver(pending.slice(start, end), onEvent);
            start = end + 1;
            end = pending.indexOf("\n", start);
          }
          pending = pending.slice(start);
        }
      } finally {
        controller.signal.removeEventListener("abort", cancel);
      }
      if (controller.signal.aborted) return { kind: "error", error: controller.signal.reason };
      deliver(pending + decoder.decode(), onEvent);
      return { kind: "closed" };
    } catch (error) {
      return { kind: "error", error: controller.signal.aborted ? controller.signal.reason : error };
    } finally {
      idle.stop();
    }
  })();
  return { done, abort: () => controller.abort() };
}

/** The same watch over node:http(s), with the connection's CA and client certificate. */
function nodeHttpWatch(
  connection: NativeConnection,
  path: string,
  query: Record<string, string>,
  onEvent: (event: WatchEvent) => void,
): WatchHandle {
  const url = watchUrl(connection, path, query);
  let aborted = false;
  let request: http.ClientRequest | undefined;
  let settle: (end: WatchEnd) => void = () => {};
  const done = new Promise<WatchEnd>((resolve) => {
    let settled = false;
    settle = (end) => {
      if (settled) return;
      settled = true;
      idle.stop();
      resolve(end);
    };
  });
  const fail = (error: unknown) => {
    request?.destroy();
    settle({ kind: "error", error });
  };
  const idle = idleGuard(url, () => fail(idleError(url)));
  try {
    const tls = connection.tls();
    const options: https.RequestOptions = {
      method: "GET",
      headers: Object.fromEntries(connection.headers()),
      // A watch holds its connection for minutes: its own socket, never a pooled one.
      agent: false,
      ...(tls ?? {}),
    };
    const module = url.protocol === "https:" ? https : http;
    request = module.request(url, options, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        const status = response.statusCode ?? 0;
        return fail(new WatchStatusError(status, response.statusMessage || `HTTP ${status}`));
      }
      response.setEncoding("utf8");
      let pending = "";
      response.on("data", (chunk: string) => {
        idle.touch();
        pending += chunk;
        let start = 0;
        let end = pending.indexOf("\n");
        while (end !== -1) {
          if (!aborted) deliver(pending.slice(start, end), onEvent);
          start = end + 1;
          end = pending.indexOf("\n", start);
        }
        pending = pending.slice(start);
      });
      response.on("end", () => {
        if (!aborted) deliver(pending, onEvent);
        settle({ kind: "closed" });
      });
      response.on("error", fail);
      response.on("close", () => settle({ kind: "closed" }));
    });
    request.on("error", fail);
    request.end();
  } catch (error) {
    fail(error);
  }
  return {
    done,
    abort() {
      aborted = true;
      fail(new DOMException("The watch was aborted", "AbortError"));
    },
  };
}

function watchUrl(
  connection: NativeConnection,
  path: string,
  query: Record<string, string>,
): URL {
  const url = new URL(connection.server + path);
  url.searchParams.set("watch", "true");
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url;
}

function idleError(url: URL): Error {
  return new Error(
    `Watch of ${url.pathname} sent nothing for ${
      idleLimitMs(url)! / 1000
    } s: connection presumed dead`,
  );
}

/** The server ends a watch after `timeoutSeconds`; silence well past that means a dead connection. */
function idleLimitMs(url: URL): number | undefined {
  const timeoutSeconds = Number(url.searchParams.get("timeoutSeconds"));
  return timeoutSeconds > 0 ? timeoutSeconds * 1000 + IDLE_GRACE_MS : undefined;
}

/**
 * Calls `onIdle` once the stream has been silent past `idleLimitMs`. One timer per watch, re-armed
 * only when it fires: resetting a timer on every chunk of a busy stream costs more than the chunk.
 */
function idleGuard(url: URL, onIdle: () => void): { touch(): void; stop(): void } {
  const limit = idleLimitMs(url);
  let last = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (delay: number) => {
    timer = setTimeout(() => {
      const quiet = Date.now() - last;
      if (quiet < limit!) arm(limit! - quiet);
      else onIdle();
    }, delay);
  };
  if (limit !== undefined) arm(limit);
  return {
    touch: () => void (last = Date.now()),
    stop: () => clearTimeout(timer),
  };
}

/** Parses one line and hands it on; a line that is not JSON is skipped, as client-node does. */
function deliver(line: string, onEvent: (event: WatchEvent) => void): void {
  if (line.trim() === "") return;
  let event: { type?: unknown; object?: unknown };
  try {
    event = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof event.type === "string" && typeof event.object === "object" && event.object) {
    onEvent({ type: event.type, object: event.object as WatchEvent["object"] });
  }
}

function clientNodeWatch(
  connection: ClientNodeConnection,
  path: string,
  query: Record<string, string>,
  onEvent: (event: WatchEvent) => void,
): WatchHandle {
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
  (async () => {
    const { Watch } = await import("@kubernetes/client-node");
    const watch = new Watch(await connection.config());
    if (aborted) return settle({ kind: "error", error: new DOMException("Aborted", "AbortError") });
    const started = await watch.watch(
      path,
      query,
      (type, object) => {
        if (!aborted) onEvent({ type, object });
      },
      (error) => settle(error ? { kind: "error", error } : { kind: "closed" }),
    );
    controller = started;
    // Watch.watch hands out its controller only once the response has started.
    if (aborted) started.abort();
  })().catch((error) => settle({ kind: "error", error }));
  return {
    done,
    abort() {
      aborted = true;
      controller?.abort();
    },
  };
}
