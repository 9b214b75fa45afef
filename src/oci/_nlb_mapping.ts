/**
 * Network Load Balancer (`oci-networkloadbalancer`) models ↔ project types. Pure.
 *
 * NLB's UpdateBackendSet would accept a partial body, but DESIGN §8 re-sends every attribute read:
 * policy, the health checker with its dns block, isPreserveSource, isFailOpen, instant failover,
 * ipVersion and areOperationallyActiveBackendsPreferred.
 */

import type * as nlb from "oci-networkloadbalancer";
import type { Backend } from "../plan/model.ts";
import { copyFields, objectField, unusableBackend, weightOf } from "./_copy_fields.ts";

type BackendSet = nlb.models.BackendSet;
type UpdateBackendSetDetails = nlb.models.UpdateBackendSetDetails;

/** An NLB backend set as read, split into the project's backends and the opaque rest. */
export interface NlbReadBackendSet {
  backends: Backend[];
  /** One line per backend that could not be used (dropped from `backends`). */
  skipped: string[];
  attributes: Record<string, unknown>;
}

/** Splits an NLB BackendSet read from OCI; never throws, whatever the answer holds. */
export function fromNlbBackendSet(set: Partial<BackendSet> | null | undefined): NlbReadBackendSet {
  const backends: Backend[] = [];
  const skipped: string[] = [];
  const list: unknown = set?.backends;
  (Array.isArray(list) ? list : []).forEach((raw: unknown, index) => {
    const problem = unusableBackend(raw, index);
    if (problem !== undefined) {
      skipped.push(problem);
      return;
    }
    backends.push(fromNlbBackend(raw as unknown as Record<string, unknown>));
  });
  const attributes: Record<string, unknown> = copyFields<BackendSet>(set, ATTRIBUTE_FIELDS);
  return { backends, skipped, attributes };
}

/** The attributes of an NLB backend set other than its name and backends. */
const ATTRIBUTE_FIELDS = [
  "policy",
  "isPreserveSource",
  "isFailOpen",
  "isInstantFailoverEnabled",
  "isInstantFailoverTcpResetEnabled",
  "areOperationallyActiveBackendsPreferred",
  "ipVersion",
  "healthChecker",
] as const satisfies readonly (keyof BackendSet)[];

function fromNlbBackend(raw: Record<string, unknown>): Backend {
  const backend: Backend = {
    ipAddress: raw.ipAddress as string,
    port: raw.port as number,
    weight: weightOf(raw),
    drain: raw.isDrain === true,
    backup: raw.isBackup === true,
    offline: raw.isOffline === true,
  };
  if (typeof raw.name === "string" && raw.name !== "") backend.name = raw.name;
  if (typeof raw.targetId === "string" && raw.targetId !== "") backend.targetId = raw.targetId;
  return backend;
}

/** The full UpdateBackendSetDetails for `backends` with every attribute from `attributes`. */
export function toNlbUpdateDetails(
  attributes: Readonly<Record<string, unknown>>,
  backends: readonly Backend[],
): UpdateBackendSetDetails {
  const details: UpdateBackendSetDetails = copyFields<UpdateBackendSetDetails>(
    attributes,
    SCALAR_FIELDS,
  );
  details.backends = backends.map(toNlbBackendDetails);
  const healthChecker = objectField(attributes, "healthChecker");
  if (healthChecker !== undefined) {
    const checker = copyFields<nlb.models.HealthCheckerDetails>(
      healthChecker,
      HEALTH_CHECKER_FIELDS,
    );
    const dns = objectField(healthChecker, "dns");
    if (dns !== undefined) {
      checker.dns = copyFields<nlb.models.DnsHealthCheckerDetails>(
        dns,
        DNS_FIELDS,
      ) as nlb.models.DnsHealthCheckerDetails;
    }
    details.healthChecker = checker as nlb.models.HealthCheckerDetails;
  }
  return details;
}

/** Backend → NLB BackendDetails; name, targetId and flags are sent as carried. */
export function toNlbBackendDetails(backend: Backend): nlb.models.BackendDetails {
  const details: nlb.models.BackendDetails = {
    ipAddress: backend.ipAddress,
    port: backend.port,
    weight: backend.weight,
    isBackup: backend.backup,
    isDrain: backend.drain,
    isOffline: backend.offline,
  };
  if (backend.name !== undefined) details.name = backend.name;
  if (backend.targetId !== undefined) details.targetId = backend.targetId;
  return details;
}

const SCALAR_FIELDS = [
  "policy",
  "isPreserveSource",
  "isFailOpen",
  "isInstantFailoverEnabled",
  "isInstantFailoverTcpResetEnabled",
  "areOperationallyActiveBackendsPreferred",
  "ipVersion",
] as const satisfies readonly (keyof UpdateBackendSetDetails)[];

const HEALTH_CHECKER_FIELDS = [
  "protocol",
  "port",
  "retries",
  "timeoutInMillis",
  "intervalInMillis",
  "urlPath",
  "responseBodyRegex",
  "returnCode",
  "requestData",
  "responseData",
] as const satisfies readonly (keyof nlb.models.HealthCheckerDetails)[];

const DNS_FIELDS = [
  "transportProtocol",
  "domainName",
  "queryClass",
  "queryType",
  "rcodes",
] as const satisfies readonly (keyof nlb.models.DnsHealthCheckerDetails)[];
