/** `fieldSelector=` parsing and matching, limited per kind to the fields the real server supports. */

import type { KubeObject, ResourceType } from "./resource_type.ts";
import { badRequest } from "./status_error.ts";

/** A compiled field selector over an object in its served form. */
export type FieldMatcher = (obj: KubeObject) => boolean;

interface Term {
  field: string;
  negated: boolean;
  value: string;
}

// Splits on an unescaped separator; the real selector syntax escapes `\`, `,` and `=` with a backslash.
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\(.)/g, "$1");

function parseTerms(input: string): Term[] {
  return splitUnescaped(input, ",").filter((part) => part.trim() !== "").map((part) => {
    for (const op of ["!=", "==", "="]) {
      const at = findUnescaped(part, op);
      if (at >= 0) {
        return {
          field: unescape(part.slice(0, at).trim()),
          negated: op === "!=",
          value: unescape(part.slice(at + op.length).trim()),
        };
      }
    }
    throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
  });
}

function findUnescaped(text: string, needle: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") {
      i++;
      continue;
    }
    if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

function getter(rt: ResourceType, field: string): ((obj: KubeObject) => string) | undefined {
  if (field === "metadata.name") return (obj) => obj.metadata.name ?? "";
  if (field === "metadata.namespace" && rt.namespaced) return (obj) => obj.metadata.namespace ?? "";
  return rt.extraFields[field];
}

function unsupported(rt: ResourceType, field: string): never {
  if (rt.fieldSelectorStyle === "label" || rt.custom) {
    throw badRequest(`field label not supported: ${field}`);
  }
  throw badRequest(
    `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
  );
}

/** Compiles a field selector for one resource; throws a 400 StatusError for syntax or unsupported fields. */
export function parseFieldSelector(
  rt: ResourceType,
  input: string | null | undefined,
): FieldMatcher {
  const terms = parseTerms(input ?? "");
  if (terms.length === 0) return () => true;
  const checks = terms.map((term) => {
    const get = getter(rt, term.field) ?? unsupported(rt, term.field);
    return (obj: KubeObject) => (get(obj) === term.value) !== term.negated;
  });
  return (obj) => checks.every((check) => check(obj));
}

/** The single name a selector pins with `metadata.name=`, if any (used to narrow lookups). */
export function selectedName(input: string | null | undefined): string | undefined {
  for (const term of input ? parseTerms(input) : []) {
    if (term.field === "metadata.name" && !term.negated) return term.value;
  }
  return undefined;
}
