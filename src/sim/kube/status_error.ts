/** `kind: Status` failure bodies, exactly as the real API server writes them (wire notes §5). */

import { qualifiedKind, qualifiedResource, type ResourceType } from "./resource_type.ts";

/** A `metav1.Status` body. */
export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  /** Empty, except `continue` on an expired continue token. */
  metadata: Record<string, string>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** Absent on the Success body of a DELETE. */
  code?: number;
}

/** One entry of `details.causes`. */
export interface FieldCause {
  reason:
    | "FieldValueInvalid"
    | "FieldValueRequired"
    | "FieldValueForbidden"
    | "FieldValueTypeInvalid"
    | "FieldValueNotSupported"
    | "FieldValueTooLong"
    | "FieldValueTooMany"
    | "FieldValueDuplicate";
  message: string;
  field: string;
}

/** A request failure that the HTTP layer turns into a Status response. */
export class StatusError extends Error {
  override name = "StatusError";
  readonly status: KubeStatus;
  readonly headers: Record<string, string>;

  constructor(status: KubeStatus, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.status = status;
    this.headers = headers;
  }
}

/** A Failure Status body with the given fields. */
export function failure(
  code: number,
  reason: string | undefined,
  message: string | undefined,
  details?: Record<string, unknown>,
): KubeStatus {
  const body: KubeStatus = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    code,
  };
  if (message !== undefined) body.message = message;
  if (reason !== undefined) body.reason = reason;
  if (details !== undefined) body.details = details;
  // Keep the real key order: message, reason, details, code.
  const { code: c, ...rest } = body;
  return { ...rest, code: c };
}

function resourceDetails(rt: ResourceType, name?: string): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  if (name !== undefined) details.name = name;
  if (rt.group !== "") details.group = rt.group;
  details.kind = rt.plural;
  return details;
}

/** 404 for a missing object. */
export function notFound(rt: ResourceType, name: string): StatusError {
  return new StatusError(
    failure(
      404,
      "NotFound",
      `${qualifiedResource(rt)} "${name}" not found`,
      resourceDetails(rt, name),
    ),
  );
}

/** 404 for a missing namespace on create. */
export function namespaceNotFound(namespace: string): StatusError {
  return new StatusError(
    failure(404, "NotFound", `namespaces "${namespace}" not found`, {
      name: namespace,
      kind: "namespaces",
    }),
  );
}

/** 409 AlreadyExists on create. */
export function alreadyExists(rt: ResourceType, name: string): StatusError {
  return new StatusError(
    failure(
      409,
      "AlreadyExists",
      `${qualifiedResource(rt)} "${name}" already exists`,
      resourceDetails(rt, name),
    ),
  );
}

/** 409 Conflict for a stale resourceVersion. */
export function conflict(rt: ResourceType, name: string, why?: string): StatusError {
  const reason = why ??
    "the object has been modified; please apply your changes to the latest version and try again";
  return new StatusError(
    failure(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${reason}`,
      resourceDetails(rt, name),
    ),
  );
}

/** 422 Invalid with one or more field causes. */
export function invalid(rt: ResourceType, name: string, causes: FieldCause[]): StatusError {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  const details: Record<string, unknown> = { name };
  if (rt.group !== "") details.group = rt.group;
  details.kind = rt.kind;
  details.causes = causes;
  return new StatusError(
    failure(422, "Invalid", `${qualifiedKind(rt)} "${name}" is invalid: ${summary}`, details),
  );
}

/** 400 BadRequest with a message and no details. */
export function badRequest(message: string): StatusError {
  return new StatusError(failure(400, "BadRequest", message));
}

/** 410 Expired. */
export function expired(message: string): StatusError {
  return new StatusError(failure(410, "Expired", message));
}

/** 415 for a PATCH content type the resource does not accept. */
export function unsupportedPatch(accepted: string[]): StatusError {
  return new StatusError(
    failure(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${
        accepted.join(", ")
      }`,
    ),
  );
}

/** 415 for a request body in a format the simulator does not read (protobuf). */
export function unsupportedBody(): StatusError {
  return new StatusError(
    failure(
      415,
      "UnsupportedMediaType",
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
    ),
  );
}

/** 422 for a JSON patch that cannot be applied. */
export function patchRejected(): StatusError {
  return new StatusError(
    failure(422, "Invalid", "the server rejected our request due to an error in our request", {}),
  );
}

/** 404 for an unknown resource under a known group version. */
export function resourceNotFound(): StatusError {
  return new StatusError(
    failure(404, "NotFound", "the server could not find the requested resource", {}),
  );
}

/** 405 for a verb the resource does not serve. */
export function methodNotSupported(rt: ResourceType, verb: string): StatusError {
  return new StatusError(
    failure(
      405,
      "MethodNotAllowed",
      `${verb} is not supported on resources of kind "${rt.plural}"`,
      {},
    ),
  );
}

/** 406 for an Accept header the simulator cannot satisfy. */
export function notAcceptable(): StatusError {
  return new StatusError(
    failure(
      406,
      "NotAcceptable",
      "only the following media types are accepted: application/json, application/yaml",
    ),
  );
}

/** 401 without a valid bearer token. */
export function unauthorized(): KubeStatus {
  return failure(401, "Unauthorized", "Unauthorized");
}

/** A cause for a field with an invalid value, formatted like the Go field errors. */
export function invalidValue(field: string, value: unknown, detail: string): FieldCause {
  return {
    reason: "FieldValueInvalid",
    message: `Invalid value: ${goValue(value)}: ${detail}`,
    field,
  };
}

/** A cause for a missing required field. */
export function requiredValue(field: string, detail?: string): FieldCause {
  return {
    reason: "FieldValueRequired",
    message: detail ? `Required value: ${detail}` : "Required value",
    field,
  };
}

/** A cause for a forbidden field. */
export function forbiddenValue(field: string, detail: string): FieldCause {
  return { reason: "FieldValueForbidden", message: `Forbidden: ${detail}`, field };
}

/** A cause for a value outside an enum. */
export function notSupportedValue(field: string, value: unknown, supported: unknown[]): FieldCause {
  return {
    reason: "FieldValueNotSupported",
    message: `Unsupported value: ${goValue(value)}: supported values: ${
      supported.map(goValue).join(", ")
    }`,
    field,
  };
}

/** A value as Go's field errors print it: strings quoted, objects as their type name. */
export function goValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || value === undefined) return '"null"';
  if (Array.isArray(value)) return '"array"';
  if (typeof value === "object") return '"object"';
  return String(value);
}
