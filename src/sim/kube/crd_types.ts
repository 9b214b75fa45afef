/** What a CustomResourceDefinition registers: resource table entries and the status its controller sets. */

import { resourceType } from "./builtin_resources.ts";
import { isObject } from "./json_value.ts";
import type { KubeObject, PrinterColumn, ResourceType } from "./resource_type.ts";

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function pathValue(obj: unknown, jsonPath: string): string {
  let value: unknown = obj;
  for (const part of jsonPath.replace(/^\./, "").split(".")) {
    if (!isObject(value)) return "";
    value = value[part];
  }
  return value === undefined || value === null ? "" : String(value);
}

/** One resource table entry per served version of the CRD. */
export function crdResourceTypes(crd: KubeObject): ResourceType[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = String(spec.group ?? "");
  const kind = String(names.kind ?? "");
  const plural = String(names.plural ?? kind.toLowerCase() + "s");
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions.filter((v) => v.served !== false).map((v) => {
    const version = String(v.name);
    const apiVersion = `${group}/${version}`;
    const subresources = isObject(v.subresources) ? v.subresources : {};
    const schema = isObject(v.schema) && isObject(v.schema.openAPIV3Schema)
      ? v.schema.openAPIV3Schema
      : undefined;
    const columns = Array.isArray(v.additionalPrinterColumns)
      ? v.additionalPrinterColumns.filter(isObject).map((c): PrinterColumn => ({
        name: String(c.name),
        type: String(c.type ?? "string"),
        format: typeof c.format === "string" ? c.format : "",
        description: typeof c.description === "string"
          ? c.description
          : `Custom resource definition column (in JSONPath format): ${String(c.jsonPath)}`,
        priority: typeof c.priority === "number" ? c.priority : 0,
        jsonPath: String(c.jsonPath),
      }))
      : undefined;
    const selectable = Array.isArray(v.selectableFields) ? v.selectableFields.filter(isObject) : [];
    const extraFields = Object.fromEntries(selectable.map((f) => {
      const path = String(f.jsonPath ?? "");
      return [path.replace(/^\./, ""), (obj: KubeObject) => pathValue(obj, path)];
    }));
    return resourceType({
      group,
      version,
      kind,
      plural,
      listKind: typeof names.listKind === "string" ? names.listKind : `${kind}List`,
      singular: typeof names.singular === "string" ? names.singular : kind.toLowerCase(),
      namespaced: spec.scope === "Namespaced",
      hasStatus: isObject(subresources.status),
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      generation: true,
      custom: true,
      storage: `${plural}.${group}`,
      allowUnconditionalUpdate: false,
      extraFields,
      fieldSelectorStyle: "label",
      columns,
      schema,
      // Every version shares one storage; with conversion "None" only apiVersion changes.
      toServed: (obj) => obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion },
      toStorage: (obj) => obj,
    });
  });
}

/** The status the CRD controller writes once the names are accepted. */
export function crdStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const kind = String(names.kind ?? "");
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const storage = versions.find((v) => v.storage === true)?.name;
  const previous = isObject(crd.status) ? strings(crd.status.storedVersions) : [];
  const stored = storage && !previous.includes(String(storage))
    ? [...previous, String(storage)]
    : previous;
  const accepted: Record<string, unknown> = {
    plural: names.plural,
    singular: names.singular ?? kind.toLowerCase(),
    kind,
    listKind: names.listKind ?? `${kind}List`,
  };
  if (Array.isArray(names.shortNames)) accepted.shortNames = names.shortNames;
  if (Array.isArray(names.categories)) accepted.categories = names.categories;
  return {
    conditions: [
      {
        type: "NamesAccepted",
        status: "True",
        lastTransitionTime: now,
        reason: "NoConflicts",
        message: "no conflicts found",
      },
      {
        type: "Established",
        status: "True",
        lastTransitionTime: now,
        reason: "InitialNamesAccepted",
        message: "the initial names have been accepted",
      },
    ],
    acceptedNames: accepted,
    storedVersions: stored,
  };
}
