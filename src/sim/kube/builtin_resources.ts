/** The built-in kinds the simulator serves, as resource table entries. */

import { coreEventToEventsV1, eventsV1ToCoreEvent } from "./event_conversion.ts";
import type { KubeObject, ResourceType } from "./resource_type.ts";

type Spec =
  & Pick<ResourceType, "group" | "version" | "kind" | "plural" | "namespaced">
  & Partial<ResourceType>;

/** A resource table entry with the defaults of a built-in kind filled in. */
export function resourceType(spec: Spec): ResourceType {
  return {
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    hasStatus: false,
    shortNames: [],
    categories: [],
    generation: false,
    custom: false,
    storage: spec.group === "" ? spec.plural : `${spec.plural}.${spec.group}`,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    extraFields: {},
    fieldSelectorStyle: "known",
    ...spec,
  };
}

/** A path inside an object as a field-selector string ("" when missing). */
export function fieldText(obj: KubeObject, path: string): string {
  let value: unknown = obj;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return "";
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? "" : String(value);
}

function fields(paths: string[]): Record<string, (obj: KubeObject) => string> {
  return Object.fromEntries(paths.map((path) => [path, (obj: KubeObject) => fieldText(obj, path)]));
}

const CORE_EVENT_FIELDS = {
  ...fields([
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "type",
  ]),
  source: (obj: KubeObject) => fieldText(obj, "source.component"),
};

const EVENTS_V1_FIELDS = {
  ...fields([
    "regarding.kind",
    "regarding.namespace",
    "regarding.name",
    "regarding.uid",
    "regarding.apiVersion",
    "regarding.resourceVersion",
    "regarding.fieldPath",
    "reason",
    "reportingController",
    "type",
  ]),
  "deprecatedSource": (obj: KubeObject) => fieldText(obj, "deprecatedSource.component"),
};

/** Every built-in kind, in discovery order. */
export function builtinResources(): ResourceType[] {
  return [
    resourceType({
      group: "",
      version: "v1",
      kind: "Namespace",
      plural: "namespaces",
      namespaced: false,
      hasStatus: true,
      shortNames: ["ns"],
      extraFields: fields(["status.phase"]),
      fieldSelectorStyle: "label",
    }),
    resourceType({
      group: "",
      version: "v1",
      kind: "Node",
      plural: "nodes",
      namespaced: false,
      hasStatus: true,
      shortNames: ["no"],
      extraFields: {
        "spec.unschedulable": (obj) =>
          fieldText(obj, "spec.unschedulable") === "true" ? "true" : "false",
      },
      fieldSelectorStyle: "label",
    }),
    resourceType({
      group: "",
      version: "v1",
      kind: "Service",
      plural: "services",
      namespaced: true,
      hasStatus: true,
      shortNames: ["svc"],
      categories: ["all"],
    }),
    resourceType({
      group: "",
      version: "v1",
      kind: "Secret",
      plural: "secrets",
      namespaced: true,
      extraFields: fields(["type"]),
      fieldSelectorStyle: "label",
    }),
    resourceType({
      group: "",
      version: "v1",
      kind: "Event",
      plural: "events",
      namespaced: true,
      shortNames: ["ev"],
      storage: "events",
      allowCreateOnUpdate: true,
      extraFields: CORE_EVENT_FIELDS,
      fieldSelectorStyle: "label",
    }),
    resourceType({
      group: "discovery.k8s.io",
      version: "v1",
      kind: "EndpointSlice",
      plural: "endpointslices",
      namespaced: true,
      generation: true,
    }),
    resourceType({
      group: "events.k8s.io",
      version: "v1",
      kind: "Event",
      plural: "events",
      namespaced: true,
      shortNames: ["ev"],
      storage: "events",
      allowCreateOnUpdate: true,
      extraFields: EVENTS_V1_FIELDS,
      fieldSelectorStyle: "label",
      toServed: coreEventToEventsV1,
      toStorage: eventsV1ToCoreEvent,
    }),
    resourceType({
      group: "coordination.k8s.io",
      version: "v1",
      kind: "Lease",
      plural: "leases",
      namespaced: true,
      allowCreateOnUpdate: true,
      allowUnconditionalUpdate: false,
    }),
    // Stored only (no controllers): enough for `kubectl apply -f deploy/install.yaml`.
    resourceType({
      group: "",
      version: "v1",
      kind: "ServiceAccount",
      plural: "serviceaccounts",
      namespaced: true,
      shortNames: ["sa"],
    }),
    // Stored only: `kubectl create configmap` sends one as protobuf.
    resourceType({
      group: "",
      version: "v1",
      kind: "ConfigMap",
      plural: "configmaps",
      namespaced: true,
      shortNames: ["cm"],
    }),
    resourceType({
      group: "apps",
      version: "v1",
      kind: "Deployment",
      plural: "deployments",
      namespaced: true,
      hasStatus: true,
      shortNames: ["deploy"],
      categories: ["all"],
      generation: true,
    }),
    ...["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"].map((kind) =>
      resourceType({
        group: "rbac.authorization.k8s.io",
        version: "v1",
        kind,
        plural: `${kind.toLowerCase()}s`,
        namespaced: !kind.startsWith("Cluster"),
      })
    ),
    resourceType({
      group: "apiextensions.k8s.io",
      version: "v1",
      kind: "CustomResourceDefinition",
      plural: "customresourcedefinitions",
      namespaced: false,
      hasStatus: true,
      shortNames: ["crd", "crds"],
      generation: true,
      allowUnconditionalUpdate: false,
    }),
  ];
}
