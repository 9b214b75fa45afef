/** Turns API answers and transport failures into `KubeError`s, classified once (style §11). */
import { KubeError, type KubeErrorKind } from "./errors.ts";
import type { KubeResponse } from "./_http.ts";

/** The `message` of a `kind: Status` body, or a short form of whatever else the server sent. */
export function statusMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body?.message === "string" && body.message !== "") return body.message;
  } catch {
    // Not JSON (e.g. "404 page not found" for an unknown group): fall through to the raw text.
  }
  const trimmed = text.trim().slice(0, 200);
  return trimmed === "" ? `HTTP ${status}` : trimmed;
}

/** The error kind for an HTTP status; anything not listed is worth retrying. */
export function kindForStatus(status: number): KubeErrorKind {
  if (status === 401 || status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "conflict";
  if (status === 400 || status === 415 || status === 422) return "invalid";
  return "transient";
}

/** A `KubeError` for a non-2xx answer to `action` ("patch status of LBRegistrar \"x\""). */
export function errorFromResponse(action: string, response: KubeResponse): KubeError {
  const message = statusMessage(response.status, response.text);
  return new KubeError(`Cannot ${action}: ${message} (HTTP ${response.status})`, {
    kind: kindForStatus(response.status),
    status: response.status,
  });
}

/** client-node's ApiException, recognised by shape so that client-node need not be imported. */
interface ApiExceptionLike {
  code: number;
  body: unknown;
}

function isApiException(error: unknown): error is Error & ApiExceptionLike {
  return error instanceof Error && error.name !== "KubeError" &&
    typeof (error as Partial<ApiExceptionLike>).code === "number" && "body" in error &&
    "headers" in error;
}

/** A `KubeError` for anything thrown while doing `action`: ApiException, fetch failure, abort, bug. */
export function errorFromThrown(action: string, error: unknown): KubeError {
  if (error instanceof KubeError) return error;
  if (isApiException(error)) {
    const text = typeof error.body === "string" ? error.body : JSON.stringify(error.body ?? "");
    const classified = errorFromResponse(action, { status: error.code, text });
    return new KubeError(classified.message, {
      kind: classified.kind,
      status: error.code,
      cause: error,
    });
  }
  // node-fetch FetchError (ECONNREFUSED, ECONNRESET, NotCapable …), AbortError, DNS failures.
  const message = error instanceof Error ? error.message : String(error);
  return new KubeError(`Cannot ${action}: ${message}`, { kind: "transient", cause: error });
}

/** True when a 2xx status came back. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
