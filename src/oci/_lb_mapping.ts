/**
 * Classic Load Balancer (`oci-loadbalancer`) models ↔ project types. Pure.
 *
 * UpdateBackendSet replaces the whole set: anything left out of the body is reset by OCI. So the PUT
 * carries every attribute read (policy, healthChecker, sslConfiguration, both session persistence
 * blocks, backendMaxConnections), each converted field by field to its *Details type, which also
 * leaves out what the read model has and the write model lacks.
 */

import type * as lb from "oci-loadbalancer";
import type { Backend } from "../plan/model.ts";
import { copyFields, objectField, unusableBackend, weightOf } from "./_copy_fields.ts";

type BackendSet = lb.models.BackendSet;
type UpdateBackendSetDetails = lb.models.UpdateBackendSetDetails;

/** A classic backend set as read, split into the project's backends and the opaque rest. */
export interface LbReadBackendSet {
  backends: Backend[];
  /** One line per backend that could not be used (dropped from `backends`). */
  skipped: string[];
  attributes: Record<string, unknown>;
}

/** Splits a classic BackendSet read from OCI; never throws, whatever the answer holds. */
export function fromLbBackendSet(set: Partial<BackendSet> | null | undefined): LbReadBackendSet {
  const backends: Backend[] = [];
  const skipped: string[] = [];
  const list: unknown = set?.backends;
  (Array.isArray(list) ? list : []).forEach((raw: unknown, index) => {
    const problem = unusableBackend(raw, index);
    if (problem !== undefined) {
      skipped.push(problem);
      return;
    }
    backends.push(fromLbBackend(raw as unknown as Record<string, unknown>));
  });
  const attributes: Record<string, unknown> = copyFields<BackendSet>(set, ATTRIBUTE_FIELDS);
  return { backends, skipped, attributes };
}

/** The attributes of a classic backend set other than its name and backends. */
const ATTRIBUTE_FIELDS = [
  "policy",
  "healthChecker",
  "sslConfiguration",
  "sessionPersistenceConfiguration",
  "lbCookieSessionPersistenceConfiguration",
  "backendMaxConnections",
] as const satisfies readonly (keyof BackendSet)[];

function fromLbBackend(raw: Record<string, unknown>): Backend {
  const backend: Backend = {
    ipAddress: raw.ipAddress as string,
    port: raw.port as number,
    weight: weightOf(raw),
    drain: raw.drain === true,
    backup: raw.backup === true,
    offline: raw.offline === true,
  };
  if (typeof raw.maxConnections === "number") backend.maxConnections = raw.maxConnections;
  return backend;
}

/**
 * The full UpdateBackendSetDetails for `backends` with every attribute from `attributes`, or a
 * sentence saying which required attribute the read lacked.
 */
export function toLbUpdateDetails(
  attributes: Readonly<Record<string, unknown>>,
  backends: readonly Backend[],
): UpdateBackendSetDetails | string {
  const policy = attributes.policy;
  if (typeof policy !== "string" || policy === "") return "the backend set as read has no policy";
  const healthChecker = copyFields<lb.models.HealthCheckerDetails>(
    objectField(attributes, "healthChecker"),
    HEALTH_CHECKER_FIELDS,
  );
  if (typeof healthChecker.protocol !== "string") {
    return "the backend set as read has no health checker protocol";
  }
  const details: UpdateBackendSetDetails = {
    policy,
    backends: backends.map(toLbBackendDetails),
    healthChecker: healthChecker as lb.models.HealthCheckerDetails,
  };
  if (typeof attributes.backendMaxConnections === "number") {
    details.backendMaxConnections = attributes.backendMaxConnections;
  }
  const ssl = objectField(attributes, "sslConfiguration");
  if (ssl !== undefined) details.sslConfiguration = toSslDetails(ssl);
  const session = objectField(attributes, "sessionPersistenceConfiguration");
  if (session !== undefined) {
    details.sessionPersistenceConfiguration = copyFields<
      lb.models.SessionPersistenceConfigurationDetails
    >(session, [
      "cookieName",
      "disableFallback",
    ]) as lb.models.SessionPersistenceConfigurationDetails;
  }
  const lbCookie = objectField(attributes, "lbCookieSessionPersistenceConfiguration");
  if (lbCookie !== undefined) {
    details.lbCookieSessionPersistenceConfiguration = copyFields<
      lb.models.LBCookieSessionPersistenceConfigurationDetails
    >(lbCookie, LB_COOKIE_FIELDS);
  }
  return details;
}

/** Backend → BackendDetails; flags the operator does not manage are sent as carried. */
export function toLbBackendDetails(backend: Backend): lb.models.BackendDetails {
  const details: lb.models.BackendDetails = {
    ipAddress: backend.ipAddress,
    port: backend.port,
    weight: backend.weight,
    backup: backend.backup,
    drain: backend.drain,
    offline: backend.offline,
  };
  if (backend.maxConnections !== undefined) details.maxConnections = backend.maxConnections;
  return details;
}

/** SSLConfiguration (read) → SSLConfigurationDetails (write), field by field. */
function toSslDetails(ssl: Record<string, unknown>): lb.models.SSLConfigurationDetails {
  const details = copyFields<lb.models.SSLConfigurationDetails>(ssl, SSL_FIELDS);
  // The read enum has an SDK-only UNKNOWN_VALUE that the write enum lacks and OCI would refuse.
  const preference: unknown = details.serverOrderPreference;
  if (typeof preference !== "string" || !SERVER_ORDER_PREFERENCES.has(preference)) {
    delete details.serverOrderPreference;
  }
  return details;
}

const HEALTH_CHECKER_FIELDS = [
  "protocol",
  "urlPath",
  "port",
  "returnCode",
  "retries",
  "timeoutInMillis",
  "intervalInMillis",
  "responseBodyRegex",
  "isForcePlainText",
] as const satisfies readonly (keyof lb.models.HealthCheckerDetails)[];

const SSL_FIELDS = [
  "verifyDepth",
  "verifyPeerCertificate",
  "hasSessionResumption",
  "trustedCertificateAuthorityIds",
  "certificateIds",
  "certificateName",
  "protocols",
  "cipherSuiteName",
  "serverOrderPreference",
] as const satisfies readonly (keyof lb.models.SSLConfigurationDetails)[];

const SERVER_ORDER_PREFERENCES: ReadonlySet<string> = new Set(["ENABLED", "DISABLED"]);

const LB_COOKIE_FIELDS = [
  "cookieName",
  "disableFallback",
  "domain",
  "path",
  "maxAgeInSeconds",
  "isSecure",
  "isHttpOnly",
] as const satisfies readonly (keyof lb.models.LBCookieSessionPersistenceConfigurationDetails)[];
