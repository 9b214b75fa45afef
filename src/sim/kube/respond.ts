/** JSON responses with the headers of the real API server. */

import type { KubeStatus } from "./status_error.ts";

/** Headers every API answer carries. */
export function baseHeaders(contentType = "application/json"): Headers {
  return new Headers({
    "Content-Type": contentType,
    "Cache-Control": "no-cache, private",
    "Audit-Id": crypto.randomUUID(),
  });
}

/** A JSON answer; `warnings` become `Warning: 299 - "…"` headers as kubectl prints them. */
export function jsonResponse(
  body: unknown,
  status = 200,
  extra: Record<string, string> = {},
  warnings: string[] = [],
): Response {
  const headers = baseHeaders();
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  for (const warning of warnings) headers.append("Warning", `299 - ${JSON.stringify(warning)}`);
  return new Response(JSON.stringify(body), { status, headers });
}

/** A Status failure as its own HTTP status. */
export function statusResponse(status: KubeStatus, extra: Record<string, string> = {}): Response {
  return jsonResponse(status, status.code ?? 200, extra);
}

/** The `text/plain` 404 the real server gives for unknown groups and CR resources. */
export function pageNotFound(): Response {
  return new Response("404 page not found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
  });
}
