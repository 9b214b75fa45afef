/**
 * The operator's HTTP endpoints: `GET /metrics` on --metrics-addr, `/healthz` and `/readyz` on
 * --health-addr. Either address may be off (null); one address given for both serves all three.
 */

import { getLogger, type Logger } from "../log.ts";
import { type LoopLagMonitor, startLoopLagMonitor } from "./loop_lag.ts";

/** Where to listen (what --metrics-addr and --health-addr parse to). */
export interface ServeAddress {
  readonly hostname: string;
  readonly port: number;
}

/** A check's verdict: true/false, or false with a short reason for the 503 body. */
export type CheckResult = boolean | { ok: boolean; reason?: string };

/** What /healthz and /readyz ask. */
export interface HealthChecks {
  /** /readyz is 200 while this passes (the operator: reflectors synced, leader or standby). */
  ready: () => CheckResult;
  /** An extra liveness check; /healthz also fails while the event loop lags. */
  live?: () => CheckResult;
  /** /healthz fails while timers run later than this. @default 10000 */
  maxEventLoopLagMs?: number;
  /** Period of the event-loop probe. @default 1000 */
  eventLoopProbeMs?: number;
}

/** The part of `Metrics` the server scrapes. */
export interface MetricsSource {
  exposition(): Promise<string>;
  readonly contentType: string;
}

/** Options of `startServe`. */
export interface ServeOptions {
  metricsAddr: ServeAddress | null;
  healthAddr: ServeAddress | null;
  metrics: MetricsSource;
  health: HealthChecks;
  /** @default getLogger("serve") */
  logger?: Logger;
}

/** The running servers. */
export interface Serving {
  /** Where each endpoint group really listens (port 0 resolved); absent when off. */
  readonly addresses: { readonly metrics?: Deno.NetAddr; readonly health?: Deno.NetAddr };
  /** Stops listening, lets requests in flight finish, and stops the event-loop probe. */
  close(): Promise<void>;
}

type Route = (request: Request) => Promise<Response> | Response;

const TEXT = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };

/** Starts the listeners for the addresses that are not off; throws if one cannot bind. */
export async function startServe(options: ServeOptions): Promise<Serving> {
  const { metricsAddr, healthAddr, metrics, health, logger = getLogger("serve") } = options;
  const { maxEventLoopLagMs = 10_000, eventLoopProbeMs = 1000 } = health;
  const loopLag: LoopLagMonitor | undefined = healthAddr
    ? startLoopLagMonitor({ intervalMs: eventLoopProbeMs })
    : undefined;

  const metricsRoutes: Record<string, Route> = {
    "/metrics": async () => {
      try {
        const body = await metrics.exposition();
        return new Response(body, {
          headers: { "Content-Type": metrics.contentType, "Cache-Control": "no-store" },
        });
      } catch (error) {
        logger.error("Cannot collect metrics: {error}", { error });
        return new Response(`Cannot collect metrics: ${messageOf(error)}\n`, {
          status: 500,
          headers: TEXT,
        });
      }
    },
  };
  const healthRoutes: Record<string, Route> = {
    "/healthz": () => {
      const lag = loopLag?.lagMs() ?? 0;
      if (lag > maxEventLoopLagMs) {
        return probeResponse({
          ok: false,
          reason: `event loop lags ${Math.round(lag)} ms, wanted at most ${maxEventLoopLagMs} ms`,
        });
      }
      return probeResponse(health.live ? verdict(health.live) : { ok: true });
    },
    "/readyz": () => probeResponse(verdict(health.ready)),
  };

  const servers: Deno.HttpServer<Deno.NetAddr>[] = [];
  const listen = (address: ServeAddress, flags: string, routes: Record<string, Route>) => {
    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({
        hostname: address.hostname,
        port: address.port,
        onListen: () => {},
        onError: (error) => {
          logger.error("Cannot answer a request: {error}", { error });
          return new Response("Internal Server Error\n", { status: 500, headers: TEXT });
        },
      }, handler(routes));
    } catch (error) {
      throw new Error(
        `Cannot listen on ${flags} ${hostPort(address)}: ${messageOf(error)}`,
        { cause: error },
      );
    }
    servers.push(server);
    logger.info("Serving {paths} on {address}", {
      paths: Object.keys(routes).join(", "),
      address: `http://${hostPort(server.addr)}`,
    });
    return server;
  };

  try {
    const shared = metricsAddr && healthAddr && metricsAddr.port !== 0 &&
      metricsAddr.port === healthAddr.port && metricsAddr.hostname === healthAddr.hostname;
    const metricsServer = shared
      ? listen(metricsAddr, "--metrics-addr and --health-addr", {
        ...metricsRoutes,
        ...healthRoutes,
      })
      : metricsAddr && listen(metricsAddr, "--metrics-addr", metricsRoutes);
    const healthServer = shared
      ? metricsServer
      : healthAddr && listen(healthAddr, "--health-addr", healthRoutes);
    return {
      addresses: {
        ...(metricsServer ? { metrics: metricsServer.addr } : {}),
        ...(healthServer ? { health: healthServer.addr } : {}),
      },
      close: () => closeAll(servers, loopLag),
    };
  } catch (error) {
    // One listener up and the other refused: do not leave the first one (or the probe) running.
    await closeAll(servers, loopLag);
    throw error;
  }
}

async function closeAll(servers: Deno.HttpServer[], loopLag: LoopLagMonitor | undefined) {
  loopLag?.stop();
  await Promise.all(servers.map((server) => server.shutdown()));
}

function handler(routes: Record<string, Route>) {
  return (request: Request): Promise<Response> | Response => {
    const route = routes[new URL(request.url).pathname];
    if (!route) return new Response("404 page not found\n", { status: 404, headers: TEXT });
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Method Not Allowed\n", {
        status: 405,
        headers: { ...TEXT, Allow: "GET, HEAD" },
      });
    }
    return route(request);
  };
}

/** A check's result as `{ ok, reason }`; a check that throws fails with the error as reason. */
function verdict(check: () => CheckResult): { ok: boolean; reason?: string } {
  try {
    const result = check();
    return typeof result === "boolean" ? { ok: result } : result;
  } catch (error) {
    return { ok: false, reason: `check failed: ${messageOf(error)}` };
  }
}

function probeResponse(result: { ok: boolean; reason?: string }): Response {
  if (result.ok) return new Response("ok\n", { headers: TEXT });
  return new Response(`${result.reason ?? "not ok"}\n`, { status: 503, headers: TEXT });
}

function hostPort(address: { hostname: string; port: number }): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
