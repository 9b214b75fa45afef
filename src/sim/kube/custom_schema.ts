/**
 * Structural-schema handling of custom resources, as the real server does it on create and update:
 * prune unknown fields (warn, or 400 with `fieldValidation=Strict`), drop non-nullable nulls, apply
 * defaults, validate (types, required, bounds, pattern, enum, lengths) and run the CEL rules
 * (`x-kubernetes-validations`) with `@marcbachmann/cel-js`. Messages follow wire notes §3.
 */

import { celRuleCauses } from "./cel_rules.ts";
import { isObject } from "./json_value.ts";
import { child, propertiesOf, type Schema } from "./_schema.ts";
import type { KubeObject, ResourceType } from "./resource_type.ts";
import {
  badRequest,
  type FieldCause,
  goValue,
  invalid,
  notSupportedValue,
  requiredValue,
} from "./status_error.ts";

/** How the request asked unknown fields to be handled. */
export type FieldValidation = "Ignore" | "Warn" | "Strict";

const ROOT_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

// Prunes unknown fields and non-nullable nulls in place; records the unknown paths.
function prune(
  value: unknown,
  schema: Schema,
  path: string,
  unknown: string[],
  root: boolean,
): void {
  if (Array.isArray(value)) {
    if (isObject(schema.items)) {
      for (const [i, item] of value.entries()) {
        prune(item, schema.items, `${path}[${i}]`, unknown, false);
      }
    }
    return;
  }
  if (!isObject(value)) return;
  const properties = propertiesOf(schema);
  const additional = schema.additionalProperties;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  for (const key of Object.keys(value)) {
    if (root && ROOT_FIELDS.has(key)) continue;
    const sub = properties[key] ?? (isObject(additional) ? additional : undefined);
    if (sub) {
      if (value[key] === null && sub.nullable !== true) delete value[key];
      else prune(value[key], sub, child(path, key), unknown, false);
    } else if (!preserve && additional !== true) {
      unknown.push(child(path, key));
      delete value[key];
    }
  }
}

function applyDefaults(value: unknown, schema: Schema): void {
  if (Array.isArray(value)) {
    if (isObject(schema.items)) { for (const item of value) applyDefaults(item, schema.items); }
    return;
  }
  if (!isObject(value)) return;
  for (const [key, sub] of Object.entries(propertiesOf(schema))) {
    if (value[key] === undefined && sub.default !== undefined) {
      value[key] = structuredClone(sub.default);
    }
    if (value[key] !== undefined) applyDefaults(value[key], sub);
  }
  if (isObject(schema.additionalProperties)) {
    for (const key of Object.keys(value)) {
      if (!(key in propertiesOf(schema))) applyDefaults(value[key], schema.additionalProperties);
    }
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(value: unknown, schema: Schema): boolean {
  if (value === null) return schema.nullable === true;
  if (schema["x-kubernetes-int-or-string"] === true) {
    return typeof value === "string" || Number.isInteger(value);
  }
  switch (schema.type) {
    case undefined:
      return true;
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "object":
      return isObject(value);
    default:
      return typeName(value) === schema.type;
  }
}

function validate(value: unknown, schema: Schema, path: string, causes: FieldCause[]): void {
  const field = path === "" ? "<nil>" : path;
  if (!typeMatches(value, schema)) {
    const actual = typeName(value);
    causes.push({
      reason: "FieldValueTypeInvalid",
      message: `Invalid value: "${actual}": ${path} in body must be of type ${
        String(schema.type)
      }: "${actual}"`,
      field,
    });
    return;
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))
  ) {
    causes.push(notSupportedValue(field, value, schema.enum));
  }
  if (typeof value === "number") {
    const bound = (
      limit: unknown,
      exclusive: unknown,
      ok: (v: number, l: number) => boolean,
      words: string,
    ) => {
      if (typeof limit !== "number" || ok(value, limit)) return;
      const phrase = exclusive === true ? words : `${words} or equal to`;
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${value}: ${path} in body should be ${phrase} ${limit}`,
        field,
      });
    };
    const exMin = schema.exclusiveMinimum === true;
    const exMax = schema.exclusiveMaximum === true;
    bound(schema.minimum, exMin, (v, l) => exMin ? v > l : v >= l, "greater than");
    bound(schema.maximum, exMax, (v, l) => exMax ? v < l : v <= l, "less than");
  }
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
      causes.push({
        reason: "FieldValueTooLong",
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
        field,
      });
    }
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${
          goValue(value)
        }: ${path} in body should be at least ${schema.minLength} chars long`,
        field,
      });
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${
          goValue(value)
        }: ${path} in body should match '${schema.pattern}'`,
        field,
      });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      causes.push({
        reason: "FieldValueTooMany",
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
        field,
      });
    }
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      causes.push({
        reason: "FieldValueInvalid",
        message:
          `Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`,
        field,
      });
    }
    if (isObject(schema.items)) {
      for (const [i, item] of value.entries()) {
        validate(item, schema.items, `${path}[${i}]`, causes);
      }
    }
  }
  if (isObject(value)) {
    const properties = propertiesOf(schema);
    for (const key of Array.isArray(schema.required) ? schema.required : []) {
      if (value[key] === undefined) causes.push(requiredValue(child(path, String(key))));
    }
    for (const [key, item] of Object.entries(value)) {
      const sub = properties[key] ??
        (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (sub && item !== undefined) validate(item, sub, child(path, key), causes);
    }
  }
}

/**
 * The custom resource after pruning and defaulting, and the warnings to send; throws 400 (strict
 * unknown fields) or 422 (schema or CEL errors). On `/status` only the status is checked, and
 * field paths are relative to it, as on the real server.
 */
export function admitCustom(
  rt: ResourceType,
  obj: KubeObject,
  old: KubeObject | undefined,
  options: { subresource?: string; fieldValidation?: FieldValidation },
): { object: KubeObject; warnings: string[] } {
  const schema = rt.schema;
  if (!schema) return { object: obj, warnings: [] };
  const object = structuredClone(obj);
  const unknown: string[] = [];
  prune(object, schema, "", unknown, true);
  if (unknown.length > 0 && options.fieldValidation === "Strict") {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${
        unknown.map((path) => `unknown field "${path}"`).join(", ")
      }`,
    );
  }
  applyDefaults(object, schema);

  const status = options.subresource === "status";
  const statusSchema = propertiesOf(schema).status;
  const target: unknown = status ? object.status : object;
  const targetSchema = status ? statusSchema : schema;
  if (targetSchema && target !== undefined) {
    const causes: FieldCause[] = [];
    const bare: Record<string, unknown> = isObject(target) ? { ...target } : {};
    if (!status) { for (const key of ROOT_FIELDS) delete bare[key]; }
    const checked = isObject(target) ? bare : target;
    validate(
      checked,
      status ? targetSchema : { ...targetSchema, required: withoutRoot(targetSchema) },
      "",
      causes,
    );
    const oldTarget = old ? status ? old.status : old : undefined;
    const cel = celRuleCauses(checked, oldTarget, targetSchema, causes.length === 0);
    if (causes.length > 0 && cel.found > 0) {
      causes.push({
        reason: "FieldValueInvalid",
        message:
          'Invalid value: "null": some validation rules were not checked because the object was invalid; ' +
          "correct the existing errors to complete validation",
        field: "<nil>",
      });
    }
    causes.push(...cel.causes);
    if (causes.length > 0) throw invalid(rt, obj.metadata.name ?? "", causes);
  }
  const warnings = options.fieldValidation === "Ignore"
    ? []
    : unknown.map((path) => `unknown field "${path}"`);
  return { object, warnings };
}

function withoutRoot(schema: Schema): unknown[] {
  return Array.isArray(schema.required)
    ? schema.required.filter((key) => !ROOT_FIELDS.has(String(key)))
    : [];
}
