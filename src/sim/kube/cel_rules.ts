/**
 * CEL validation rules of CRD schemas (`x-kubernetes-validations`), run with `@marcbachmann/cel-js`.
 * Transition rules (using `oldSelf`) run only on updates. A rule the library cannot evaluate
 * (an unsupported Kubernetes extension function) is skipped rather than failing the request.
 */

import { parse as parseCel } from "@marcbachmann/cel-js";
import { isObject } from "./json_value.ts";
import { child, propertiesOf, type Schema } from "./_schema.ts";
import type { FieldCause } from "./status_error.ts";

interface CelContext {
  causes: FieldCause[];
  /** Rules found in the schema for values present (so skipped rules can be reported). */
  found: number;
}

function runRules(
  value: unknown,
  old: unknown,
  schema: Schema,
  path: string,
  ctx: CelContext,
  evaluate: boolean,
): void {
  if (value === undefined || value === null) return;
  const rules = Array.isArray(schema["x-kubernetes-validations"])
    ? schema["x-kubernetes-validations"].filter(isObject)
    : [];
  for (const rule of rules) {
    ctx.found++;
    if (!evaluate || typeof rule.rule !== "string") continue;
    // Transition rules only run on updates, when an old value exists.
    if (rule.rule.includes("oldSelf") && old === undefined) continue;
    const failure = celFailure(rule, schema, value, old);
    if (failure === undefined) continue;
    const extra = typeof rule.fieldPath === "string" ? rule.fieldPath.replace(/^\./, "") : "";
    const field = extra ? child(path, extra) : path === "" ? "<nil>" : path;
    const reason = typeof rule.reason === "string"
      ? rule.reason as FieldCause["reason"]
      : "FieldValueInvalid";
    const type = String(schema.type ?? "object");
    const message = reason === "FieldValueInvalid"
      ? `Invalid value: "${type}": ${failure}`
      : failure;
    ctx.causes.push({ reason, message, field });
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (isObject(items)) {
      for (const [i, item] of value.entries()) {
        runRules(
          item,
          Array.isArray(old) ? old[i] : undefined,
          items,
          `${path}[${i}]`,
          ctx,
          evaluate,
        );
      }
    }
    return;
  }
  if (!isObject(value)) return;
  for (const [key, sub] of Object.entries(propertiesOf(schema))) {
    runRules(
      value[key],
      isObject(old) ? old[key] : undefined,
      sub,
      child(path, key),
      ctx,
      evaluate,
    );
  }
}

// CEL sees schema integers as int (BigInt in cel-js), as the real server types them.
function celValue(value: unknown, schema: Schema): unknown {
  if (typeof value === "number") {
    const integer = schema.type === "integer" || schema["x-kubernetes-int-or-string"] === true;
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => celValue(item, isObject(schema.items) ? schema.items : {}));
  }
  if (!isObject(value)) return value;
  const properties = propertiesOf(schema);
  const additional = isObject(schema.additionalProperties) ? schema.additionalProperties : {};
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, celValue(v, properties[k] ?? additional)]),
  );
}

// The rule's message when it evaluates to false; undefined when it holds or cannot be evaluated here.
function celFailure(
  rule: Record<string, unknown>,
  schema: Schema,
  value: unknown,
  old: unknown,
): string | undefined {
  const source = String(rule.rule);
  const self = celValue(value, schema);
  const oldSelf = old === undefined ? undefined : celValue(old, schema);
  let result: unknown;
  try {
    result = parseCel(source)({ self, oldSelf });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    // A missing key is a real evaluation error; anything else is a gap in the CEL library, so the rule is skipped.
    if (/^No such key/i.test(text)) {
      return `${text.split("\n")[0]!.replace(/^No such/, "no such")} evaluating rule: ${source}`;
    }
    return undefined;
  }
  if (result !== false) return undefined;
  if (typeof rule.messageExpression === "string") {
    try {
      const message = parseCel(rule.messageExpression)({ self, oldSelf });
      if (typeof message === "string" && message !== "") return message;
    } catch {
      // Fall back to the static message, as the real server does.
    }
  }
  return typeof rule.message === "string" ? rule.message : `failed rule: ${source}`;
}

/** The causes of failed rules, and how many rules apply (to report rules skipped for schema errors). */
export function celRuleCauses(
  value: unknown,
  old: unknown,
  schema: Schema,
  evaluate: boolean,
): { causes: FieldCause[]; found: number } {
  const ctx: CelContext = { causes: [], found: 0 };
  runRules(value, old, schema, "", ctx, evaluate);
  return ctx;
}
