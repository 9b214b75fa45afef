/** Per-kind defaults and validation of the built-in kinds, applied on every create and update. */

import { admitCoreEvent, admitEventsV1Event } from "./event_rules.ts";
import { isObject } from "./json_value.ts";
import { microTimeProblem } from "./kube_time.ts";
import type { NameRule } from "./names.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "./resource_type.ts";
import { admitService, type ServiceContext } from "./service_rules.ts";
import {
  badRequest,
  type FieldCause,
  invalid,
  invalidValue,
  notSupportedValue,
  requiredValue,
} from "./status_error.ts";

type Admitted = { object: KubeObject; causes: FieldCause[] };

const NAME_RULES: Record<string, NameRule> = {
  "/Namespace": "label",
  "/Service": "label1035",
  "/Event": "path",
  "events.k8s.io/Event": "subdomain",
};

/** The name rule of a kind (most kinds use DNS subdomains). */
export function nameRuleOf(rt: ResourceType): NameRule {
  return NAME_RULES[`${rt.group}/${rt.kind}`] ?? "subdomain";
}

/**
 * The object with the kind's defaults applied; throws 422 (or 400 for undecodable values) when the
 * real server would refuse it. `old` is the stored object on updates.
 */
export function admitBuiltin(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  ctx: ServiceContext,
): KubeObject {
  const { object, causes } = admitKind(rt, obj, old, ctx);
  if (causes.length > 0) throw invalid(rt, obj.metadata.name ?? "", causes);
  return object;
}

function admitKind(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  ctx: ServiceContext,
): Admitted {
  switch (`${rt.group}/${rt.kind}`) {
    case "/Namespace":
      return { object: admitNamespace(obj), causes: [] };
    case "/Node":
      return { object: { ...obj, spec: isObject(obj.spec) ? obj.spec : {} }, causes: [] };
    case "/Service":
      return admitService(obj, old, ctx);
    case "/Secret":
      return { object: admitSecret(obj), causes: [] };
    case "/Event":
      return admitCoreEvent(obj);
    case "events.k8s.io/Event":
      return admitEventsV1Event(obj);
    case "discovery.k8s.io/EndpointSlice":
      return admitEndpointSlice(obj);
    case "coordination.k8s.io/Lease":
      return admitLease(obj);
    case "apiextensions.k8s.io/CustomResourceDefinition":
      return admitCrd(obj);
    default:
      return { object: obj, causes: [] };
  }
}

function admitNamespace(obj: KubeObject): KubeObject {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const status = isObject(obj.status) ? obj.status : {};
  return {
    ...obj,
    spec: { finalizers: ["kubernetes"], ...spec },
    status: { phase: "Active", ...status },
  };
}

function admitSecret(obj: KubeObject): KubeObject {
  const data: Record<string, unknown> = isObject(obj.data) ? { ...obj.data } : {};
  for (const [key, value] of Object.entries(data)) {
    if (
      typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1
    ) {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0`,
      );
    }
    data[key] = value;
  }
  const { stringData, ...rest } = obj;
  // stringData is write-only: it is folded into data and never stored.
  if (isObject(stringData)) {
    for (const [key, value] of Object.entries(stringData)) {
      data[key] = btoa(String.fromCharCode(...new TextEncoder().encode(String(value))));
    }
  }
  const out: KubeObject = { ...rest, type: rest.type ?? "Opaque" };
  if (Object.keys(data).length > 0) out.data = data;
  return out;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function admitEndpointSlice(obj: KubeObject): Admitted {
  const causes: FieldCause[] = [];
  const addressType = obj.addressType;
  if (addressType === undefined || addressType === "") causes.push(requiredValue("addressType"));
  else if (!["IPv4", "IPv6", "FQDN"].includes(String(addressType))) {
    causes.push(notSupportedValue("addressType", addressType, ["IPv4", "IPv6", "FQDN"]));
  }
  const object: KubeObject = { ...obj };
  if (Array.isArray(obj.endpoints)) {
    object.endpoints = obj.endpoints.map((raw, i) => {
      const endpoint = isObject(raw) ? { ...raw } : {};
      const addresses = Array.isArray(endpoint.addresses) ? endpoint.addresses : [];
      if (addresses.length === 0) {
        causes.push(requiredValue(`endpoints[${i}].addresses`, "must contain at least 1 address"));
      }
      addresses.forEach((address, j) => {
        const ok = addressType === "IPv4"
          ? typeof address === "string" && IPV4.test(address)
          : addressType === "IPv6"
          ? typeof address === "string" && address.includes(":")
          : typeof address === "string" && address !== "";
        if (!ok) {
          const what = addressType === "FQDN" ? "a valid FQDN" : `a valid ${addressType} address`;
          causes.push(invalidValue(`endpoints[${i}].addresses[${j}]`, address, `must be ${what}`));
        }
      });
      endpoint.conditions = isObject(endpoint.conditions) ? endpoint.conditions : {};
      return endpoint;
    });
  } else if (!("endpoints" in obj)) object.endpoints = null;
  if (Array.isArray(obj.ports)) {
    object.ports = obj.ports.map((raw) => {
      const port = isObject(raw) ? { ...raw } : {};
      port.name ??= "";
      port.protocol ??= "TCP";
      return port;
    });
  } else if (!("ports" in obj)) object.ports = null;
  return { object, causes };
}

function admitLease(obj: KubeObject): Admitted {
  const spec = isObject(obj.spec) ? obj.spec : {};
  for (const field of ["acquireTime", "renewTime"]) {
    const problem = microTimeProblem(spec[field]);
    if (problem) throw badRequest(`Lease in version "v1" cannot be handled as a Lease: ${problem}`);
  }
  const causes: FieldCause[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === "number" && duration <= 0) {
    causes.push(invalidValue("spec.leaseDurationSeconds", duration, "must be greater than 0"));
  }
  const transitions = spec.leaseTransitions;
  if (typeof transitions === "number" && transitions < 0) {
    causes.push(
      invalidValue("spec.leaseTransitions", transitions, "must be greater than or equal to 0"),
    );
  }
  return { object: { ...obj, spec }, causes };
}

function admitCrd(obj: KubeObject): Admitted {
  const causes: FieldCause[] = [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const expected = `${String(names.plural ?? "")}.${String(spec.group ?? "")}`;
  if (obj.metadata.name !== expected) {
    causes.push(
      invalidValue("metadata.name", obj.metadata.name, `must be spec.names.plural+"."+spec.group`),
    );
  }
  if (!spec.group) causes.push(requiredValue("spec.group"));
  if (!names.kind) causes.push(requiredValue("spec.names.kind"));
  if (spec.scope !== "Namespaced" && spec.scope !== "Cluster") {
    causes.push(notSupportedValue("spec.scope", spec.scope ?? "", ["Cluster", "Namespaced"]));
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  if (versions.length === 0) causes.push(requiredValue("spec.versions"));
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    causes.push(
      invalidValue(
        "spec.versions",
        versions.map((v) => v.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  return { object: { ...obj, spec: { conversion: { strategy: "None" }, ...spec } }, causes };
}

/** 400 or 422 when the body's kind or apiVersion does not belong at this URL. */
export function checkKind(rt: ResourceType, body: KubeObject): void {
  if (body.kind !== undefined && body.kind !== rt.kind) {
    if (rt.custom) {
      throw invalid(rt, body.metadata?.name ?? "", [
        invalidValue("kind", body.kind, `must be ${rt.kind}`),
      ]);
    }
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: no kind "${body.kind}" is registered for version "${
        apiVersionOf(rt)
      }" in scheme`,
    );
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(rt) && rt.custom) {
    throw invalid(rt, body.metadata?.name ?? "", [
      invalidValue("apiVersion", body.apiVersion, `must be ${apiVersionOf(rt)}`),
    ]);
  }
}
