/**
 * One LBRegistrar to the Bindings it asks for (DESIGN §3), applying defaults and the precedence
 * `services[]` > `service` > `nodePort` > `port`. Pure: never logs, never throws for user data.
 */

import type { Binding, PortSource } from "./binding.ts";
import {
  DEFAULT_ADDRESS_TYPE,
  DEFAULT_DRAIN_SECONDS,
  DEFAULT_IP_FAMILY,
  DEFAULT_OWNERSHIP,
  DEFAULT_WEIGHT,
} from "./constants.ts";
import { regionFromOcid } from "./ocid.ts";
import type { Problem } from "./problem.ts";
import type {
  ApiKeySpec,
  LabelSelector,
  LBRegistrar,
  LBRegistrarSpec,
  ServiceSpec,
} from "./types.ts";
import { validateLBRegistrar } from "./validate.ts";

/** Values normalise() fills in that the object does not say. */
export interface NormaliseDefaults {
  /** Namespace of `spec.apiKey.privateKey` when unset: the operator's own (DESIGN §8). */
  operatorNamespace: string;
}

/** Where an object's API key lives, defaults applied. */
export interface ApiKeyRef {
  user: string;
  fingerprint: string;
  tenancy: string;
  /** `spec.apiKey.region`, else the region in the load balancer OCID: an id or a short code. */
  region: string;
  secret: {
    namespace: string;
    name: string;
    key: string;
    /** Key of the same Secret holding the private key's passphrase. */
    passphraseKey?: string;
  };
}

/** The outcome of normalise(). */
export interface Normalised {
  /** Empty whenever `problems` is not: an invalid object changes nothing. */
  bindings: Binding[];
  problems: Problem[];
  /** Credentials of the object; undefined means the operator's default OCI auth. */
  apiKey?: ApiKeyRef;
  /** Region of the load balancer: `spec.apiKey.region`, else the region in its OCID. */
  region?: string;
}

/**
 * Most problems reported for one object. They end up joined in one condition message, which the
 * CRD caps at 32768 characters; each problem quotes at most 64 characters of user data.
 */
export const MAX_PROBLEMS = 20;

/** The Bindings, credentials and region `lbr` asks for, or the problems that stop it. */
export function normalise(lbr: LBRegistrar, defaults: NormaliseDefaults): Normalised {
  const problems = atMostMaxProblems(validateLBRegistrar(lbr));
  if (problems.length > 0) return { bindings: [], problems };
  // validateLBRegistrar() accepted it, so the types hold; nulls still read as absent.
  const spec = lbr.spec;
  const result: Normalised = {
    bindings: portSources(spec).map((choice) => binding(lbr.metadata.name, spec, choice)),
    problems,
  };
  const region = spec.apiKey?.region ?? regionFromOcid(spec.loadBalancerId);
  if (region !== undefined) result.region = region;
  const apiKey = orUndefined(spec.apiKey);
  // validate() demands a region when there is an API key, so "" is never used.
  if (apiKey !== undefined) result.apiKey = apiKeyRef(apiKey, region ?? "", defaults);
  return result;
}

/** The first problems, and one saying how many more there are when they exceed MAX_PROBLEMS. */
function atMostMaxProblems(problems: Problem[]): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const more = problems.length - (MAX_PROBLEMS - 1);
  return [
    ...problems.slice(0, MAX_PROBLEMS - 1),
    { field: "", message: `and ${more} more problems` },
  ];
}

/** One place a port comes from, with the service entry it belongs to. */
interface PortChoice {
  source: string;
  port: PortSource;
  ref?: ServiceSpec;
}

/** The port sources of `spec` by precedence: `services[]` > `service` > `nodePort` > `port`. */
function portSources(spec: LBRegistrarSpec): PortChoice[] {
  const services = spec.services ?? [];
  if (services.length > 0) {
    return services.map((ref, i) => ({
      source: `spec.services[${i}]`,
      port: servicePort(ref),
      ref,
    }));
  }
  const service = orUndefined(spec.service);
  if (service !== undefined) {
    return [{ source: "spec.service", port: servicePort(service), ref: service }];
  }
  // validate() made sure one of them is set and, when both are, that they are equal.
  const nodePort = spec.nodePort ?? spec.port ?? 0;
  return [{ source: "spec", port: { kind: "fixed", nodePort } }];
}

/** The port source of a service reference. */
function servicePort(ref: ServiceSpec): PortSource {
  return { kind: "service", namespace: ref.namespace, name: ref.name, port: ref.port };
}

/** The Binding for one port source; the entry's own weight and backend set win over the spec's. */
function binding(lbr: string, spec: LBRegistrarSpec, choice: PortChoice): Binding {
  const { ref } = choice;
  const selector = orUndefined(spec.nodeSelector);
  return {
    lbr,
    loadBalancerId: spec.loadBalancerId,
    backendSetName: nonEmpty(ref?.backendSetName) ?? spec.backendSetName ?? "",
    port: choice.port,
    weight: ref?.weight ?? spec.weight ?? DEFAULT_WEIGHT,
    filterByEndpoints: ref?.filterByEndpoints ?? false,
    ...(selector === undefined ? {} : { nodeSelector: cleanSelector(selector) }),
    addressType: spec.addressType ?? DEFAULT_ADDRESS_TYPE,
    ipFamily: spec.ipFamily ?? DEFAULT_IP_FAMILY,
    ownership: spec.ownership ?? DEFAULT_OWNERSHIP,
    drainSeconds: spec.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
    source: choice.source,
  };
}

/** The API key reference with the Secret's namespace defaulted to the operator's. */
function apiKeyRef(apiKey: ApiKeySpec, region: string, defaults: NormaliseDefaults): ApiKeyRef {
  const { privateKey } = apiKey;
  const passphraseKey = orUndefined(privateKey.passphraseKey);
  return {
    user: apiKey.user,
    fingerprint: apiKey.fingerprint,
    tenancy: apiKey.tenancy,
    region,
    secret: {
      namespace: nonEmpty(privateKey.namespace) ?? defaults.operatorNamespace,
      name: privateKey.secretKeyRef.name,
      key: privateKey.secretKeyRef.key,
      ...(passphraseKey === undefined ? {} : { passphraseKey }),
    },
  };
}

/** `selector` without the nulls the API server would have pruned. */
function cleanSelector(selector: LabelSelector): LabelSelector {
  const clean: LabelSelector = {};
  const labels = orUndefined(selector.matchLabels);
  if (labels !== undefined) {
    clean.matchLabels = Object.fromEntries(
      Object.entries(labels).filter(([, value]) => value !== null),
    );
  }
  const expressions = orUndefined(selector.matchExpressions);
  if (expressions !== undefined) {
    clean.matchExpressions = expressions.map(({ key, operator, values }) =>
      values === undefined || values === null ? { key, operator } : { key, operator, values }
    );
  }
  return clean;
}

/** `value`, with null read as absent as the API server does. */
function orUndefined<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** `value` unless it is absent or the empty string, which both mean "use the fallback". */
function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}
