/**
 * The CRD's rules (OpenAPI and CEL) again, for objects that bypassed them: stored before the CRD
 * changed, or read from a file. Returns every problem with its field path; never throws for user data.
 * Unknown fields are ignored and null reads as absent, as the API server does.
 */

import {
  asBoolean,
  asInteger,
  asList,
  asObject,
  asString,
  type Fields,
  jsonType,
  member,
  present,
  quote,
  stringProblem,
} from "./_checks.ts";
import { MAX_DRAIN_SECONDS, MAX_WEIGHT, MIN_WEIGHT } from "./constants.ts";
import { regionFromOcid } from "./ocid.ts";
import type { Problem } from "./problem.ts";
import { ENUM_RULES, PORT_NAME_PATTERN, SIZE_LIMITS, STRING_RULES } from "./spec_rules.ts";

const PORT_RANGE = { min: 1, max: 65535 };

/** Every problem of an LBRegistrar given as untrusted JSON; empty when the CRD would accept it. */
export function validateLBRegistrar(object: unknown): Problem[] {
  const problems: Problem[] = [];
  const root = asObject(object, "", problems);
  if (root === undefined) return problems;
  const metadata = member(root, "metadata");
  if (present(metadata, "metadata", problems)) {
    const fields = asObject(metadata, "metadata", problems);
    const name = fields === undefined ? undefined : member(fields, "name");
    if (fields !== undefined && present(name, "metadata.name", problems)) {
      asString(name, "metadata.name", { nonEmpty: true }, problems);
    }
  }
  const spec = member(root, "spec");
  if (present(spec, "spec", problems)) validateSpec(spec, problems);
  return problems;
}

/** Checks `spec`, appending to `problems`. */
function validateSpec(value: unknown, problems: Problem[]): void {
  const spec = asObject(value, "spec", problems);
  if (spec === undefined) return;
  const str = (key: keyof typeof STRING_RULES & `spec.${string}`): string | undefined => {
    const v = member(spec, key.slice("spec.".length));
    return v === undefined ? undefined : asString(v, key, STRING_RULES[key], problems);
  };
  const int = (key: string, range: { min: number; max: number }): number | undefined => {
    const v = member(spec, key);
    return v === undefined ? undefined : asInteger(v, `spec.${key}`, range, problems);
  };

  const loadBalancerId = present(member(spec, "loadBalancerId"), "spec.loadBalancerId", problems)
    ? str("spec.loadBalancerId")
    : undefined;
  const backendSetName = str("spec.backendSetName");
  const nodePort = int("nodePort", PORT_RANGE);
  const port = int("port", PORT_RANGE);
  int("weight", { min: MIN_WEIGHT, max: MAX_WEIGHT });
  int("drainSeconds", { min: 0, max: MAX_DRAIN_SECONDS });
  for (const key of ["addressType", "ipFamily", "ownership", "deletionPolicy"] as const) {
    const v = member(spec, key);
    if (v !== undefined) asString(v, `spec.${key}`, { oneOf: ENUM_RULES[`spec.${key}`] }, problems);
  }

  const serviceValue = member(spec, "service");
  const service = serviceValue === undefined
    ? undefined
    : validateServiceRef(serviceValue, "spec.service", problems);
  const servicesValue = member(spec, "services");
  const list = servicesValue === undefined
    ? undefined
    : asList(servicesValue, "spec.services", SIZE_LIMITS["spec.services"], problems);
  const services = list?.map((entry, i) =>
    validateServiceRef(entry, `spec.services[${i}]`, problems)
  );
  const apiKey = member(spec, "apiKey");
  if (apiKey !== undefined) validateApiKey(apiKey, loadBalancerId, problems);
  const selector = member(spec, "nodeSelector");
  if (selector !== undefined) validateSelector(selector, problems);

  checkPortSources({
    // Only an empty list counts as no services, as in the CRD's CEL rules.
    hasServices: servicesValue !== undefined &&
      !(Array.isArray(servicesValue) && servicesValue.length === 0),
    hasService: serviceValue !== undefined,
    hasFixedPort: member(spec, "nodePort") !== undefined || member(spec, "port") !== undefined,
    hasTopName: member(spec, "backendSetName") !== undefined,
    ...(nodePort === undefined ? {} : { nodePort }),
    ...(port === undefined ? {} : { port }),
    ...(service === undefined ? {} : { service }),
  }, problems);
  if (services !== undefined) {
    checkServiceBackendSets(
      services,
      member(spec, "backendSetName") !== undefined,
      backendSetName,
      problems,
    );
  }
}

/** What the CRD's cross-field rules on the port source look at. */
interface PortFacts {
  hasServices: boolean;
  hasService: boolean;
  hasFixedPort: boolean;
  hasTopName: boolean;
  nodePort?: number;
  port?: number;
  service?: ServiceRefFacts;
}

/** The CRD's CEL rules on where the port and the backend set come from, in its order. */
function checkPortSources(facts: PortFacts, problems: Problem[]): void {
  const { hasServices, hasService, hasFixedPort, hasTopName, nodePort, port, service } = facts;
  if (hasService && hasServices) {
    problems.push({
      field: "spec.service",
      message:
        "service and services are exclusive: move the service into spec.services (spec.service is deprecated)",
    });
  }
  if (!hasServices && !hasService && !hasFixedPort) {
    problems.push({
      field: "spec.services",
      message:
        "a port source is required: set spec.services (recommended), spec.service or spec.nodePort",
    });
  }
  if (nodePort !== undefined && port !== undefined && nodePort !== port) {
    problems.push({
      field: "spec.port",
      message:
        `port is a deprecated alias of nodePort and must equal it when both are set: nodePort is ${nodePort}, port is ${port}`,
    });
  }
  if (hasFixedPort && !hasTopName && !hasService && !hasServices) {
    problems.push({
      field: "spec.backendSetName",
      message: "is required when the port comes from spec.nodePort or spec.port",
    });
  }
  if (service !== undefined && !hasTopName && !hasServices && !service.hasOwnName) {
    problems.push({
      field: "spec.backendSetName",
      message:
        "a backend set name is required: set spec.backendSetName or spec.service.backendSetName",
    });
  }
}

/** What the cross-field rules need of one service entry. */
interface ServiceRefFacts {
  /** Its own backendSetName is a non-empty string. */
  hasOwnName: boolean;
  /** Its own backendSetName when that is a non-empty string. */
  ownName?: string;
}

/** Checks one entry of `spec.services` (or `spec.service`) and returns what cross rules need. */
function validateServiceRef(
  value: unknown,
  path: string,
  problems: Problem[],
): ServiceRefFacts | undefined {
  const ref = asObject(value, path, problems);
  if (ref === undefined) return undefined;
  for (const key of ["name", "namespace"] as const) {
    const v = member(ref, key);
    if (present(v, `${path}.${key}`, problems)) {
      asString(v, `${path}.${key}`, STRING_RULES[`spec.services[].${key}`], problems);
    }
  }
  const port = member(ref, "port");
  if (present(port, `${path}.port`, problems)) validateServicePort(port, `${path}.port`, problems);
  const filter = member(ref, "filterByEndpoints");
  if (filter !== undefined) asBoolean(filter, `${path}.filterByEndpoints`, problems);
  const weight = member(ref, "weight");
  if (weight !== undefined) {
    asInteger(weight, `${path}.weight`, { min: MIN_WEIGHT, max: MAX_WEIGHT }, problems);
  }
  const nameValue = member(ref, "backendSetName");
  const ownName = nameValue === undefined ? undefined : asString(
    nameValue,
    `${path}.backendSetName`,
    STRING_RULES["spec.services[].backendSetName"],
    problems,
  );
  // An invalid name is reported above; it still counts as set, as in the CRD's CEL rules.
  const hasOwnName = typeof nameValue === "string" && nameValue !== "";
  return hasOwnName && ownName !== undefined ? { hasOwnName, ownName } : { hasOwnName };
}

/** The int-or-string `port` of a service reference (the CRD's CEL rule on it). */
function validateServicePort(port: unknown, path: string, problems: Problem[]): void {
  if (typeof port === "number") {
    asInteger(port, path, PORT_RANGE, problems);
    return;
  }
  if (typeof port !== "string") {
    problems.push({
      field: path,
      message: `must be a port number or a port name, got ${jsonType(port)}`,
    });
    return;
  }
  const message = stringProblem(port, {
    maxLength: SIZE_LIMITS["spec.services[].port"],
    pattern: PORT_NAME_PATTERN,
    shape: "a port number from 1 to 65535 or a port name (lowercase letters, digits and dashes)",
  });
  if (message !== undefined) problems.push({ field: path, message });
}

/**
 * Every entry of `spec.services` must resolve to a backend set (its own or the top-level one), and
 * no two to the same: the original let the last one silently win.
 */
function checkServiceBackendSets(
  services: (ServiceRefFacts | undefined)[],
  hasTopName: boolean,
  topName: string | undefined,
  problems: Problem[],
): void {
  const firstUse = new Map<string, number>();
  services.forEach((entry, i) => {
    if (entry === undefined) return;
    if (!entry.hasOwnName && !hasTopName) {
      problems.push({
        field: `spec.services[${i}].backendSetName`,
        message: "a backend set name is required when spec.backendSetName is not set",
      });
      return;
    }
    const resolved = entry.hasOwnName ? entry.ownName : topName;
    if (resolved === undefined) return;
    const first = firstUse.get(resolved);
    if (first === undefined) {
      firstUse.set(resolved, i);
      return;
    }
    problems.push({
      field: `spec.services[${i}].backendSetName`,
      message: `backend set ${
        quote(resolved)
      } is already filled by spec.services[${first}]: give each entry its own backend set`,
    });
  });
}

/** Checks `spec.apiKey`. */
function validateApiKey(value: unknown, loadBalancerId: string | undefined, problems: Problem[]) {
  const apiKey = asObject(value, "spec.apiKey", problems);
  if (apiKey === undefined) return;
  for (const key of ["user", "fingerprint", "tenancy"] as const) {
    const v = member(apiKey, key);
    if (present(v, `spec.apiKey.${key}`, problems)) {
      asString(v, `spec.apiKey.${key}`, STRING_RULES[`spec.apiKey.${key}`], problems);
    }
  }
  const region = member(apiKey, "region");
  if (region !== undefined) {
    asString(region, "spec.apiKey.region", STRING_RULES["spec.apiKey.region"], problems);
  } else if (loadBalancerId !== undefined && regionFromOcid(loadBalancerId) === undefined) {
    problems.push({
      field: "spec.apiKey.region",
      message: `is required: spec.loadBalancerId ${
        quote(loadBalancerId)
      } carries no region to default it from`,
    });
  }
  const privateKey = member(apiKey, "privateKey");
  if (present(privateKey, "spec.apiKey.privateKey", problems)) {
    validatePrivateKey(privateKey, problems);
  }
}

/** Checks `spec.apiKey.privateKey`. */
function validatePrivateKey(value: unknown, problems: Problem[]): void {
  const path = "spec.apiKey.privateKey";
  const privateKey = asObject(value, path, problems);
  if (privateKey === undefined) return;
  for (const key of ["namespace", "passphraseKey"] as const) {
    const v = member(privateKey, key);
    if (v !== undefined) asString(v, `${path}.${key}`, STRING_RULES[`${path}.${key}`], problems);
  }
  const refValue = member(privateKey, "secretKeyRef");
  if (!present(refValue, `${path}.secretKeyRef`, problems)) return;
  const ref = asObject(refValue, `${path}.secretKeyRef`, problems);
  if (ref === undefined) return;
  for (const key of ["name", "key"] as const) {
    const v = member(ref, key);
    const field = `${path}.secretKeyRef.${key}` as const;
    if (present(v, field, problems)) asString(v, field, STRING_RULES[field], problems);
  }
  const optional = member(ref, "optional");
  if (optional !== undefined) asBoolean(optional, `${path}.secretKeyRef.optional`, problems);
}

/** Checks `spec.nodeSelector`, a LabelSelector. */
function validateSelector(value: unknown, problems: Problem[]): void {
  const selector = asObject(value, "spec.nodeSelector", problems);
  if (selector === undefined) return;
  const labelsValue = member(selector, "matchLabels");
  if (labelsValue !== undefined) validateMatchLabels(labelsValue, problems);
  const expressionsValue = member(selector, "matchExpressions");
  if (expressionsValue === undefined) return;
  const path = "spec.nodeSelector.matchExpressions";
  asList(expressionsValue, path, SIZE_LIMITS[path], problems)?.forEach((entry, i) =>
    validateRequirement(entry, `${path}[${i}]`, problems)
  );
}

/** Checks `spec.nodeSelector.matchLabels`, a map of label values. */
function validateMatchLabels(value: unknown, problems: Problem[]): void {
  const path = "spec.nodeSelector.matchLabels";
  const labels = asObject(value, path, problems);
  if (labels === undefined) return;
  // The API server prunes null map values too, before it counts or checks them.
  const keys = Object.keys(labels).filter((key) => labels[key] !== null);
  const most = SIZE_LIMITS[path];
  if (keys.length > most) {
    problems.push({
      field: path,
      message: `must have at most ${most} labels, got ${keys.length}`,
    });
    return;
  }
  for (const key of keys) {
    asString(labels[key], `${path}[${quote(key)}]`, STRING_RULES[`${path}{}`], problems);
  }
}

/** Checks one LabelSelectorRequirement. */
function validateRequirement(value: unknown, path: string, problems: Problem[]): void {
  const requirement: Fields | undefined = asObject(value, path, problems);
  if (requirement === undefined) return;
  const key = member(requirement, "key");
  if (present(key, `${path}.key`, problems)) {
    asString(
      key,
      `${path}.key`,
      STRING_RULES["spec.nodeSelector.matchExpressions[].key"],
      problems,
    );
  }
  const operatorValue = member(requirement, "operator");
  const operator = present(operatorValue, `${path}.operator`, problems)
    ? asString(
      operatorValue,
      `${path}.operator`,
      { oneOf: ENUM_RULES["spec.nodeSelector.matchExpressions[].operator"] },
      problems,
    )
    : undefined;
  const valuesValue = member(requirement, "values");
  const values = valuesValue === undefined ? undefined : asList(
    valuesValue,
    `${path}.values`,
    SIZE_LIMITS["spec.nodeSelector.matchExpressions[].values"],
    problems,
  );
  values?.forEach((v, i) =>
    asString(
      v,
      `${path}.values[${i}]`,
      STRING_RULES["spec.nodeSelector.matchExpressions[].values[]"],
      problems,
    )
  );
  if (operator === undefined || (valuesValue !== undefined && values === undefined)) return;
  const wantsValues = operator === "In" || operator === "NotIn";
  const count = values?.length ?? 0;
  if (wantsValues && count === 0) {
    problems.push({
      field: `${path}.values`,
      message: `values must not be empty when operator is ${operator}`,
    });
  } else if (!wantsValues && count > 0) {
    problems.push({
      field: `${path}.values`,
      message: `values must be empty when operator is ${operator}`,
    });
  }
}
