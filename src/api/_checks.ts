/**
 * Field checks for validate.ts, mirroring OpenAPI keywords of the CRD. Each one reports into
 * `problems` and returns the value only when it has the wanted type, so later rules can use it.
 * Input is untrusted JSON: nothing here throws for user data.
 */

import type { Problem } from "./problem.ts";

/** A JSON object read from user data. */
export type Fields = Record<string, unknown>;

/** Rules of a string field, as the CRD's minLength (only ever 1), maxLength, pattern and enum. */
export interface StringRule {
  nonEmpty?: boolean;
  maxLength?: number;
  pattern?: RegExp;
  /** What the pattern means, for the message: "a lowercase DNS label". */
  shape?: string;
  oneOf?: readonly string[];
}

/** Length of a value quoted in a message; longer values are cut. */
const QUOTE_LIMIT = 64;

/**
 * Member `key` of `fields`, own properties only; null reads as absent, because the API server
 * prunes nulls before it validates.
 */
export function member(fields: Fields, key: string): unknown {
  const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
  return value === null ? undefined : value;
}

/** JSON type name of a value for messages: "string", "integer", "number", "array", "object", "null". */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** A user value quoted for a message, cut to a readable length. */
export function quote(value: string): string {
  return JSON.stringify(value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value);
}

/** Reports `is required` when `value` is absent; true when present. */
export function present(value: unknown, path: string, problems: Problem[]): boolean {
  if (value !== undefined) return true;
  problems.push({ field: path, message: "is required" });
  return false;
}

/** `value` as an object, or a type problem. */
export function asObject(value: unknown, path: string, problems: Problem[]): Fields | undefined {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Fields;
  problems.push({ field: path, message: `must be an object, got ${jsonType(value)}` });
  return undefined;
}

/** `value` as a list of at most `maxItems`, or a problem (items of a list that is too long are not read). */
export function asList(
  value: unknown,
  path: string,
  maxItems: number,
  problems: Problem[],
): unknown[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({ field: path, message: `must be a list, got ${jsonType(value)}` });
    return undefined;
  }
  if (value.length > maxItems) {
    problems.push({
      field: path,
      message: `must have at most ${maxItems} items, got ${value.length}`,
    });
    return undefined;
  }
  return value;
}

/** `value` as a boolean, or a type problem. */
export function asBoolean(value: unknown, path: string, problems: Problem[]): boolean | undefined {
  if (typeof value === "boolean") return value;
  problems.push({ field: path, message: `must be true or false, got ${jsonType(value)}` });
  return undefined;
}

/** `value` as an integer in [min, max], or a problem. */
export function asInteger(
  value: unknown,
  path: string,
  range: { min: number; max: number },
  problems: Problem[],
): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    problems.push({ field: path, message: `must be an integer, got ${jsonType(value)}` });
    return undefined;
  }
  if (value < range.min || value > range.max) {
    problems.push({
      field: path,
      message: `must be from ${range.min} to ${range.max}, got ${value}`,
    });
    return undefined;
  }
  return value;
}

/** `value` as a string obeying `rule`, or a problem. */
export function asString(
  value: unknown,
  path: string,
  rule: StringRule,
  problems: Problem[],
): string | undefined {
  if (typeof value !== "string") {
    problems.push({ field: path, message: `must be a string, got ${jsonType(value)}` });
    return undefined;
  }
  const message = stringProblem(value, rule);
  if (message === undefined) return value;
  problems.push({ field: path, message });
  return undefined;
}

/** What is wrong with string `value` under `rule`, or undefined. */
export function stringProblem(value: string, rule: StringRule): string | undefined {
  if (rule.oneOf !== undefined && !rule.oneOf.includes(value)) {
    return `must be one of ${rule.oneOf.join(", ")}, got ${quote(value)}`;
  }
  if (rule.nonEmpty === true && value.length === 0) return "must not be empty";
  // OpenAPI counts code points; a UTF-16 length within the limit cannot hold more of them.
  if (
    rule.maxLength !== undefined && value.length > rule.maxLength &&
    codePoints(value, rule.maxLength + 1) > rule.maxLength
  ) {
    return `must be at most ${rule.maxLength} characters long`;
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    return `must be ${rule.shape ?? `a match of ${rule.pattern.source}`}, got ${quote(value)}`;
  }
  return undefined;
}

/** Code points in `value`, counting no further than `stop`. */
function codePoints(value: string, stop: number): number {
  let count = 0;
  for (const _ of value) {
    count++;
    if (count >= stop) break;
  }
  return count;
}
