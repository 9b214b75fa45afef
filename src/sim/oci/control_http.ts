/**
 * The control API over HTTP, under `/_sim`, so another process can drive the simulator:
 * `GET /_sim/requests`, `GET /_sim/counters`, and `POST /_sim/<method>` with a JSON array of arguments
 * (or one object, or nothing), answering `{ "result": ... }`. Control calls are not signed or recorded.
 */
import type { OciSimControl } from "./types.ts";

/** The control methods reachable over HTTP. */
export const CONTROL_METHODS = [
  "registerKey",
  "addLoadBalancer",
  "addBackendSet",
  "getBackendSet",
  "setBackends",
  "inject",
  "dropNextConnections",
  "addLatency",
  "failNextWorkRequests",
  "hangNextWorkRequests",
  "completeWorkRequest",
  "requests",
  "counters",
  "reset",
] as const satisfies readonly (keyof OciSimControl)[];

type ControlMethod = typeof CONTROL_METHODS[number];

/** The path prefix of the control API. */
export const CONTROL_PREFIX = "/_sim/";

/** Answers one control request. */
export async function serveControl(
  request: Request,
  url: URL,
  control: OciSimControl,
): Promise<Response> {
  const name = url.pathname.slice(CONTROL_PREFIX.length);
  if (!(CONTROL_METHODS as readonly string[]).includes(name)) {
    return json(404, { code: "NotFound", message: `No control method "${name}"` });
  }
  const readOnly = name === "requests" || name === "counters";
  if (request.method !== "POST" && !(readOnly && request.method === "GET")) {
    return json(405, { code: "MethodNotAllowed", message: `Use POST for ${name}` });
  }
  try {
    const text = await request.text();
    const parsed: unknown = text.trim() === "" ? [] : JSON.parse(text);
    const args = Array.isArray(parsed) ? parsed : [parsed];
    const method = control[name as ControlMethod] as (...args: unknown[]) => unknown;
    return json(200, { result: method(...args) ?? null });
  } catch (error) {
    return json(400, { code: "InvalidParameter", message: (error as Error).message });
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}
