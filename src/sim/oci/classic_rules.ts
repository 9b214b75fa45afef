/**
 * Classic LB (20170115) backend set rules. UpdateBackendSet is a full replacement: policy, backends and
 * healthChecker are required, and attributes left out (sslConfiguration, session persistence, ...) are gone.
 */
import { badRequest } from "./api_error.ts";
import { checkEnum, isObject, normaliseBackends } from "./_backends.ts";
import type { WireObject } from "./types.ts";

const POLICIES = ["ROUND_ROBIN", "LEAST_CONNECTIONS", "IP_HASH"];
const HEALTH_PROTOCOLS = ["HTTP", "TCP"];
const FLAGS = { backup: "backup", drain: "drain", offline: "offline" };

/** The backend set the server stores for this body (every attribute sent is kept); throws 400. */
export function classicBackendSet(name: string, body: unknown): WireObject {
  if (!isObject(body)) throw badRequest("Cannot parse the request body", "CannotParseRequest");
  for (const field of ["policy", "backends", "healthChecker"]) {
    if (body[field] === undefined || body[field] === null) {
      throw badRequest(
        `Cannot update backend set "${name}": ${field} is missing (the classic API replaces the whole set)`,
        "MissingParameter",
      );
    }
  }
  checkEnum("policy", body.policy, POLICIES);
  const { healthChecker, backendMaxConnections } = body;
  if (!isObject(healthChecker)) throw badRequest("Cannot read healthChecker: expected an object");
  checkEnum("healthChecker.protocol", healthChecker.protocol, HEALTH_PROTOCOLS);
  if (
    backendMaxConnections !== undefined &&
    (!Number.isInteger(backendMaxConnections) || (backendMaxConnections as number) < 0)
  ) {
    throw badRequest(`Cannot read backendMaxConnections ${JSON.stringify(backendMaxConnections)}`);
  }
  return {
    ...body,
    name,
    backends: normaliseBackends(body.backends, { flags: FLAGS, allowTargetId: false }),
    // What OCI reports for fields the request left out.
    healthChecker: {
      port: 0,
      returnCode: 200,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
      responseBodyRegex: "",
      ...(healthChecker.protocol === "HTTP" ? { urlPath: "/" } : {}),
      ...healthChecker,
    },
  };
}
