/**
 * Turns whatever the OCI SDK threw into one `OciError` whose kind decides retries and whose message
 * tells a person which call failed, on what, and with OCI's own code and opc-request-id.
 *
 * | thrown                                            | kind                                   |
 * |---------------------------------------------------|----------------------------------------|
 * | OciError 409 (Conflict, IncorrectState)           | conflict                               |
 * | OciError 412                                      | precondition                           |
 * | OciError 429                                      | throttled                              |
 * | OciError 5xx, or a non-numeric status (breaker)   | transient                              |
 * | OciError 404 on a backend set call                | lb-not-found / backend-set-not-found   |
 * | OciError 404 on a work request                    | work-request-failed                    |
 * | OciError 401, 403                                 | auth                                   |
 * | OciError 400 and any other 4xx                    | invalid                                |
 * | SyntaxError (an answer that is not JSON)          | transient                              |
 * | plain object ("fetch failed", EOPENBREAKER), Error | transient                              |
 *
 * 404: OCI answers NotAuthorizedOrNotFound for a missing load balancer and for a missing backend set
 * alike, so the adapter looks the load balancer up and passes the answer as `context.notFound`.
 * Without it the message decides ("backend set" → backend set), else the load balancer is blamed.
 */

import { OciError, type OciErrorKind } from "./errors.ts";

/** Which adapter call failed. */
export type OciOperation = "read-backend-set" | "update-backend-set" | "read-work-request";

/** What the failed call was about, for the kind and the message. */
export interface OciCallContext {
  operation: OciOperation;
  loadBalancerId: string;
  backendSetName?: string;
  workRequestId?: string;
  /** For a 404: what a follow-up lookup found missing. */
  notFound?: "load-balancer" | "backend-set";
  /** For a 401: appended to the message (e.g. a fingerprint mismatch found locally). */
  authHint?: string;
}

/** The fields of the SDK's `common.OciError` this module reads (kept structural so tests need no SDK). */
interface SdkErrorShape {
  statusCode: unknown;
  serviceCode?: unknown;
  message?: unknown;
  opcRequestId?: unknown;
}

/** The SDK's OciError is a class; anything with a `statusCode` field is treated as one. */
function isSdkError(error: unknown): error is SdkErrorShape {
  return typeof error === "object" && error !== null && "statusCode" in error;
}

/** `Cannot update backend set "web" of load balancer "ocid1…"`: the start of every message. */
export function describeCall(context: OciCallContext): string {
  const lb = `load balancer "${context.loadBalancerId}"`;
  switch (context.operation) {
    case "read-backend-set":
      return `Cannot read backend set "${context.backendSetName ?? ""}" of ${lb}`;
    case "update-backend-set":
      return `Cannot update backend set "${context.backendSetName ?? ""}" of ${lb}`;
    case "read-work-request":
      return `Cannot read work request "${context.workRequestId ?? ""}" of ${lb}`;
  }
}

/** The `OciError` for `error` thrown by the SDK during the call described by `context`. */
export function classifyError(error: unknown, context: OciCallContext): OciError {
  if (error instanceof OciError) return error;
  const what = describeCall(context);
  if (error instanceof SyntaxError) {
    // The SDK parses a 2xx body itself: OCI (or a proxy in front of it) sent something else.
    return new OciError(`${what}: OCI answered with a body that is not JSON: ${error.message}`, {
      kind: "transient",
      cause: error,
    });
  }
  if (!isSdkError(error)) {
    const message = messageOf(error);
    return new OciError(`${what}: cannot reach OCI: ${message}`, {
      kind: "transient",
      cause: error,
    });
  }
  const status = typeof error.statusCode === "number" ? error.statusCode : undefined;
  const code = typeof error.serviceCode === "string" && error.serviceCode !== "None"
    ? error.serviceCode
    : undefined;
  const opcRequestId = typeof error.opcRequestId === "string" && error.opcRequestId !== "" &&
      error.opcRequestId !== "unknown"
    ? error.opcRequestId
    : undefined;
  const ociMessage = typeof error.message === "string" ? error.message : "";
  if (status === undefined) {
    // The SDK wraps an open circuit breaker as an OciError whose statusCode is "EOPENBREAKER".
    const message = `${what}: cannot reach OCI: ${String(error.statusCode)} ${ociMessage}`
      .trimEnd();
    return new OciError(message, { kind: "transient", code, cause: error });
  }
  const kind = kindOf(status, ociMessage, context);
  const head = `${status} ${code ?? STATUS_TEXT[status] ?? "Error"}`;
  const request = opcRequestId === undefined ? "" : ` (opc-request-id ${opcRequestId})`;
  const detail = ociMessage === "" ? "" : `: ${ociMessage}`;
  const message = `${what}: ${EXPLANATION[kind] ?? ""}${head}${request}${detail}${
    kind === "auth" && context.authHint ? `; ${context.authHint}` : ""
  }`;
  return new OciError(message, { kind, status, code, opcRequestId, cause: error });
}

function kindOf(status: number, message: string, context: OciCallContext): OciErrorKind {
  if (status === 409) return "conflict";
  if (status === 412) return "precondition";
  if (status === 429) return "throttled";
  if (status >= 500) return "transient";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return notFoundKind(message, context);
  return "invalid";
}

function notFoundKind(message: string, context: OciCallContext): OciErrorKind {
  if (context.operation === "read-work-request") return "work-request-failed";
  if (context.notFound === "backend-set") return "backend-set-not-found";
  if (context.notFound === "load-balancer") return "lb-not-found";
  return /backend ?set/i.test(message) ? "backend-set-not-found" : "lb-not-found";
}

/** What a person should read first, before OCI's own words. */
const EXPLANATION: Partial<Record<OciErrorKind, string>> = {
  "lb-not-found": "load balancer not found, or the credentials may not read it: ",
  "backend-set-not-found": "backend set not found on the load balancer: ",
  "work-request-failed": "work request not found: ",
  auth: "OCI refused the credentials (check tenancy, user, fingerprint and key): ",
};

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  412: "Precondition Failed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === "string" && message !== "" ? message : "unknown error";
    return typeof code === "string" && code !== "" && !text.includes(code)
      ? `${code}: ${text}`
      : text;
  }
  try {
    return String(error);
  } catch {
    // A thrown value whose toString is broken: say so rather than throw while classifying.
    return "an error that cannot be shown";
  }
}
