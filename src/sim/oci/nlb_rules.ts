/**
 * NLB (20200501) backend set rules. UpdateBackendSet changes only the attributes the body carries;
 * `backends`, when sent, replaces the list. The merged set is checked as a whole (e.g. ipVersion).
 */
import { badRequest } from "./api_error.ts";
import { checkEnum, isObject, normaliseBackends } from "./_backends.ts";
import type { WireObject } from "./types.ts";

const POLICIES = ["FIVE_TUPLE", "THREE_TUPLE", "TWO_TUPLE"];
const IP_VERSIONS = ["IPV4", "IPV6"];
const HEALTH_PROTOCOLS = ["HTTP", "HTTPS", "TCP", "UDP", "DNS"];
const BOOLEANS = [
  "isPreserveSource",
  "isFailOpen",
  "isInstantFailoverEnabled",
  "isInstantFailoverTcpResetEnabled",
  "areOperationallyActiveBackendsPreferred",
];
const FLAGS = { backup: "isBackup", drain: "isDrain", offline: "isOffline" };

/** A new NLB backend set from its attributes, with OCI's defaults; throws 400. */
export function nlbBackendSet(name: string, attrs: WireObject): WireObject {
  if (!isObject(attrs.healthChecker)) {
    throw badRequest(
      `Cannot create backend set "${name}": healthChecker is missing`,
      "MissingParameter",
    );
  }
  return checked({
    policy: "FIVE_TUPLE",
    isPreserveSource: true,
    isFailOpen: false,
    isInstantFailoverEnabled: false,
    ipVersion: "IPV4",
    backends: [],
    ...attrs,
    name,
  });
}

/** The stored set after an update that carries only some attributes; throws 400. */
export function nlbUpdatedBackendSet(current: WireObject, body: unknown): WireObject {
  if (!isObject(body)) throw badRequest("Cannot parse the request body", "CannotParseRequest");
  const carried = Object.fromEntries(
    Object.entries(body).filter(([key, value]) => value !== null && key !== "name"),
  );
  return checked({ ...current, ...carried });
}

function checked(set: WireObject): WireObject {
  checkEnum("policy", set.policy, POLICIES);
  checkEnum("ipVersion", set.ipVersion, IP_VERSIONS);
  for (const field of BOOLEANS) {
    if (set[field] !== undefined && typeof set[field] !== "boolean") {
      throw badRequest(`Cannot read ${field} ${JSON.stringify(set[field])}: expected a boolean`);
    }
  }
  const { healthChecker } = set;
  if (!isObject(healthChecker)) throw badRequest("Cannot read healthChecker: expected an object");
  checkEnum("healthChecker.protocol", healthChecker.protocol, HEALTH_PROTOCOLS);
  if (healthChecker.protocol === "DNS" && !isObject(healthChecker.dns)) {
    throw badRequest(
      "Cannot read healthChecker.dns: a DNS health check needs it",
      "MissingParameter",
    );
  }
  const ipVersion = set.ipVersion as "IPV4" | "IPV6";
  return {
    ...set,
    backends: normaliseBackends(set.backends, { flags: FLAGS, allowTargetId: true, ipVersion }),
  };
}
