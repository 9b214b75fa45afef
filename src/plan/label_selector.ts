/**
 * Kubernetes LabelSelector semantics (matchLabels AND every matchExpression), checked once and
 * compiled to a predicate. An invalid selector is a value, never an exception: Kubernetes would have
 * rejected it, so the binding it belongs to is reported as `InvalidSpec` and selects nothing.
 */

import type { LabelSelector } from "../api/types.ts";

/** A selector ready to test labels, or why it cannot be used. */
export type CompiledSelector =
  | { ok: true; matches: (labels: Readonly<Record<string, string>>) => boolean }
  | { ok: false; message: string };

// Kubernetes label key: optional DNS-subdomain prefix and "/", then a name of at most 63 characters.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

const MATCH_ALL: CompiledSelector = { ok: true, matches: () => true };

/** Compiles `selector` (absent or empty: every node matches) at the spec path `field`. */
export function compileSelector(
  selector: LabelSelector | undefined,
  field = "spec.nodeSelector",
): CompiledSelector {
  if (!selector) return MATCH_ALL;
  const tests: Array<(labels: Readonly<Record<string, string>>) => boolean> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const bad = badKey(key) ?? badValue(value);
    if (bad) return invalid(`${field}.matchLabels`, bad);
    tests.push((labels) => labels[key] === value);
  }
  const expressions = selector.matchExpressions ?? [];
  for (const [i, expression] of expressions.entries()) {
    const { key, operator } = expression;
    const values = expression.values ?? [];
    const at = `${field}.matchExpressions[${i}]`;
    const bad = badKey(key) ?? values.map(badValue).find((v) => v !== undefined);
    if (bad) return invalid(at, bad);
    switch (operator) {
      case "In":
      case "NotIn": {
        if (values.length === 0) {
          return invalid(at, `operator "${operator}" has no values, wanted at least one`);
        }
        const set = new Set(values);
        tests.push(
          operator === "In"
            ? (labels) => Object.hasOwn(labels, key) && set.has(labels[key] ?? "")
            : (labels) => !Object.hasOwn(labels, key) || !set.has(labels[key] ?? ""),
        );
        break;
      }
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) {
          return invalid(at, `operator "${operator}" has ${values.length} values, wanted none`);
        }
        tests.push(
          operator === "Exists"
            ? (labels) => Object.hasOwn(labels, key)
            : (labels) => !Object.hasOwn(labels, key),
        );
        break;
      default:
        return invalid(
          at,
          `operator "${String(operator)}" is unknown, wanted In, NotIn, Exists or DoesNotExist`,
        );
    }
  }
  if (tests.length === 0) return MATCH_ALL;
  return { ok: true, matches: (labels) => tests.every((test) => test(labels)) };
}

function invalid(field: string, detail: string): CompiledSelector {
  return { ok: false, message: `Cannot use ${field}: ${detail}` };
}

function badKey(key: unknown): string | undefined {
  if (typeof key !== "string") return `label key ${JSON.stringify(key)} is not a string`;
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const ok = NAME.test(name) &&
    (prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix)));
  return ok ? undefined : `label key "${key}" is not a valid qualified name`;
}

function badValue(value: unknown): string | undefined {
  if (typeof value !== "string") return `label value ${JSON.stringify(value)} is not a string`;
  return VALUE.test(value) ? undefined : `label value "${value}" is not valid`;
}
