/**
 * The JSONPath subset CRD printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]` and filters such as
 * `[?(@.type=="Ready")]` with `==` or `!=` against a quoted string, number or boolean.
 */

import { isObject } from "./json_value.ts";

type Step =
  | { kind: "field"; name: string }
  | { kind: "index"; index: number }
  | { kind: "all" }
  | { kind: "filter"; path: string[]; op: "==" | "!="; value: unknown };

function parseSteps(path: string): Step[] {
  const text = path.trim().replace(/^\{(.*)\}$/, "$1").replace(/^\$/, "");
  const steps: Step[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === ".") {
      let j = i + 1;
      let name = "";
      while (j < text.length && text[j] !== "." && text[j] !== "[") {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        name += text[j];
        j++;
      }
      if (name !== "") steps.push(name === "*" ? { kind: "all" } : { kind: "field", name });
      i = j;
    } else if (ch === "[") {
      const close = findClose(text, i);
      const inner = text.slice(i + 1, close).trim();
      if (inner === "*") steps.push({ kind: "all" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: "field", name: inner.slice(1, -1) });
      else if (inner.startsWith("?(")) steps.push(parseFilter(inner.slice(2, -1)));
      else throw new Error(`Cannot parse JSONPath "${path}": unsupported "[${inner}]"`);
      i = close + 1;
    } else {
      throw new Error(`Cannot parse JSONPath "${path}": unexpected "${ch}" at ${i}`);
    }
  }
  return steps;
}

function findClose(text: string, open: number): number {
  let quote = "";
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "]") return i;
  }
  throw new Error(`Cannot parse JSONPath "${text}": missing "]"`);
}

function parseFilter(expr: string): Step {
  const match = /^@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+)$/.exec(expr.trim());
  if (!match) throw new Error(`Cannot parse JSONPath filter "${expr}": use @.field=="value"`);
  const raw = match[3]!.trim();
  let value: unknown = raw;
  if (/^'.*'$/.test(raw)) value = raw.slice(1, -1);
  else {
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
  }
  return {
    kind: "filter",
    path: match[1]!.slice(1).split("."),
    op: match[2] as "==" | "!=",
    value,
  };
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function stepInto(nodes: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    switch (step.kind) {
      case "field":
        if (isObject(node) && node[step.name] !== undefined) out.push(node[step.name]);
        break;
      case "index":
        if (Array.isArray(node)) {
          const item = node[step.index < 0 ? node.length + step.index : step.index];
          if (item !== undefined) out.push(item);
        }
        break;
      case "all":
        out.push(...children(node));
        break;
      case "filter":
        for (const item of children(node)) {
          let value: unknown = item;
          for (const part of step.path) value = isObject(value) ? value[part] : undefined;
          if (value === undefined) continue;
          if ((value === step.value) === (step.op === "==")) out.push(item);
        }
        break;
    }
  }
  return out;
}

/** A compiled JSONPath: all values it selects in an object, in document order. */
export type JsonPathQuery = (root: unknown) => unknown[];

/** Compiles a JSONPath; throws on syntax outside the supported subset. */
export function compileJsonPath(path: string): JsonPathQuery {
  const steps = parseSteps(path);
  return (root) => steps.reduce<unknown[]>((nodes, step) => stepInto(nodes, step), [root]);
}
