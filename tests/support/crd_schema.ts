/**
 * The LBRegistrar CRD as a validator, without an API server: reads the hand-written YAML and checks
 * objects the way kube-apiserver would, in its order — prune nulls and unknown fields, apply
 * defaults, validate the OpenAPI schema (ajv), then evaluate the `x-kubernetes-validations` CEL
 * rules (@marcbachmann/cel-js) at each schema node with `self` bound to the value there.
 * Transition rules (those using `oldSelf`) are skipped: there is no old object here.
 */

import * as cel from "@marcbachmann/cel-js";
import { Ajv, type ErrorObject } from "ajv";
import { parse as parseYaml } from "yaml";

/** A node of an OpenAPI v3 schema as written in the CRD. */
export type SchemaNode = {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  maxItems?: number;
  maxLength?: number;
  maxProperties?: number;
  pattern?: string;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-validations"?: CelRule[];
  [keyword: string]: unknown;
};

/** One entry of `x-kubernetes-validations`. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
}

/** What the API server would answer: the object after pruning and defaulting, and its errors. */
export interface CrdVerdict {
  ok: boolean;
  /** `field` is a path like `spec.services[1].port`. */
  errors: { field: string; message: string }[];
  /** The object as stored: nulls and unknown fields pruned, defaults applied. */
  object: unknown;
}

/** The CRD loaded for tests. */
export interface CrdSchema {
  /** The CRD document as parsed. */
  crd: Record<string, unknown>;
  /** `openAPIV3Schema` of the stored version. */
  schema: SchemaNode;
  /** Validates one object as the API server would on create. */
  validate(object: unknown): CrdVerdict;
}

/** Path of the CRD file in the repository. */
export const CRD_PATH = new URL(
  "../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml",
  import.meta.url,
);

/** Reads and compiles the CRD at `path`. */
export async function loadCrdSchema(path: URL | string = CRD_PATH): Promise<CrdSchema> {
  const crd = parseYaml(await Deno.readTextFile(path)) as Record<string, unknown>;
  const schema = storedVersionSchema(crd);
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    removeAdditional: true,
    strictTypes: false,
    formats: {
      "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i,
      int64: { type: "number", validate: (n: number) => Number.isSafeInteger(n) },
    },
  });
  const check = ajv.compile(toJsonSchema(schema));
  return {
    crd,
    schema,
    validate(object: unknown): CrdVerdict {
      const stored = pruneNulls(structuredClone(object));
      if (!check(stored)) {
        return { ok: false, errors: (check.errors ?? []).map(ajvError), object: stored };
      }
      const errors = celErrors(schema, stored, "");
      return { ok: errors.length === 0, errors, object: stored };
    },
  };
}

/** The `openAPIV3Schema` of the version marked `storage: true`. */
export function storedVersionSchema(crd: Record<string, unknown>): SchemaNode {
  const spec = crd.spec as {
    versions: { storage: boolean; schema: { openAPIV3Schema: SchemaNode } }[];
  };
  const stored = spec.versions.find((v) => v.storage);
  if (stored === undefined) throw new Error("BUG: the CRD has no storage version");
  return stored.schema.openAPIV3Schema;
}

/**
 * Every schema node under `schema` with its dotted path (`spec.services[]`, `…matchLabels{}` for a
 * map value), root first.
 */
export function* schemaNodes(
  schema: SchemaNode,
  path = "",
): Generator<{ path: string; node: SchemaNode }> {
  yield { path, node: schema };
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    yield* schemaNodes(child, path === "" ? name : `${path}.${name}`);
  }
  if (schema.items !== undefined) yield* schemaNodes(schema.items, `${path}[]`);
  if (typeof schema.additionalProperties === "object") {
    yield* schemaNodes(schema.additionalProperties, `${path}{}`);
  }
}

/** The node at a dotted path as schemaNodes() writes it, or undefined. */
export function schemaAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  for (const entry of schemaNodes(schema)) if (entry.path === path) return entry.node;
  return undefined;
}

/**
 * The CRD schema as plain JSON Schema for ajv: Kubernetes extensions dropped, int-or-string as
 * `anyOf` integer|string, and `additionalProperties: false` where the API server prunes unknown
 * fields (ajv's removeAdditional then prunes them the same way).
 */
export function toJsonSchema(node: SchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if ((key === "items" || key === "additionalProperties") && typeof value === "object") {
      out[key] = toJsonSchema(value as SchemaNode);
    } else {
      out[key] = value;
    }
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  const keepsUnknown = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (node.properties !== undefined && node.additionalProperties === undefined && !keepsUnknown) {
    out.additionalProperties = false;
  }
  return out;
}

/** `value` without null object members: the API server prunes them before defaulting. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, pruneNulls(v)]),
  );
}

/** An ajv error as a Kubernetes-style field path and message. */
function ajvError(error: ErrorObject): { field: string; message: string } {
  const segments = error.instancePath.split("/").slice(1).map((s) =>
    s.replaceAll("~1", "/").replaceAll("~0", "~")
  );
  if (error.keyword === "required") segments.push(String(error.params.missingProperty));
  return { field: dotted(segments), message: error.message ?? error.keyword };
}

/** JSON-pointer segments as `spec.services[1].port`. */
function dotted(segments: string[]): string {
  return segments.reduce(
    (path, s) => /^\d+$/.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`,
    "",
  );
}

/** Compiled CEL programs by source text. */
const programs = new Map<string, ReturnType<typeof cel.parse>>();

/** Evaluates `expression` with `self` bound; parse once per expression. */
export function evaluateCel(expression: string, self: unknown): unknown {
  let program = programs.get(expression);
  if (program === undefined) {
    program = cel.parse(expression);
    programs.set(expression, program);
  }
  return program({ self });
}

/** Errors of every CEL rule under `schema` for `value` (already valid against the OpenAPI schema). */
function celErrors(
  schema: SchemaNode,
  value: unknown,
  path: string,
): { field: string; message: string }[] {
  if (value === undefined) return [];
  const errors: { field: string; message: string }[] = [];
  const rules = (schema["x-kubernetes-validations"] ?? []).filter((r) =>
    !/\boldSelf\b/.test(r.rule)
  );
  if (rules.length > 0) {
    const self = toCelValue(schema, value);
    for (const rule of rules) {
      const failure = ruleFailure(rule, self);
      if (failure !== undefined) {
        errors.push({ field: joinPath(path, rule.fieldPath ?? ""), message: failure });
      }
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, i) => errors.push(...celErrors(items, item, `${path}[${i}]`)));
  } else if (typeof value === "object" && value !== null) {
    const fields = value as Record<string, unknown>;
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      errors.push(...celErrors(child, fields[name], path === "" ? name : `${path}.${name}`));
    }
    const values = schema.additionalProperties;
    if (typeof values === "object") {
      for (const [key, v] of Object.entries(fields)) {
        errors.push(...celErrors(values, v, `${path}[${JSON.stringify(key)}]`));
      }
    }
  }
  return errors;
}

/** Why `rule` fails for `self`, or undefined when it holds. */
function ruleFailure(rule: CelRule, self: unknown): string | undefined {
  let result: unknown;
  try {
    result = evaluateCel(rule.rule, self);
  } catch (error) {
    return `rule evaluation error: ${(error as Error).message.split("\n")[0]}`;
  }
  if (result === true) return undefined;
  if (rule.messageExpression !== undefined) {
    try {
      const message = evaluateCel(rule.messageExpression, self);
      if (typeof message === "string" && message !== "") return message;
    } catch {
      // The API server falls back to `message` when messageExpression fails.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** `path` joined with a rule's `fieldPath` (which starts with a dot). */
function joinPath(path: string, fieldPath: string): string {
  if (fieldPath === "") return path;
  return path === "" ? fieldPath.slice(1) : `${path}${fieldPath}`;
}

/** CEL reserved words: fields with these names are reached as `__name__` in Kubernetes CEL. */
const CEL_RESERVED = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

/** A property name as Kubernetes CEL spells it (`namespace` → `__namespace__`, `-` → `__dash__`). */
export function escapeCelName(name: string): string {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replaceAll("__", "__underscores__").replaceAll(".", "__dot__")
    .replaceAll("-", "__dash__").replaceAll("/", "__slash__");
}

/**
 * `value` typed as Kubernetes CEL sees it: integers (and the numbers of int-or-string) become
 * BigInt ints, object properties get escaped names, map keys stay as they are.
 */
export function toCelValue(schema: SchemaNode, value: unknown): unknown {
  if (typeof value === "number") {
    const isInt = schema.type === "integer" || schema["x-kubernetes-int-or-string"] === true;
    return isInt && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => schema.items === undefined ? item : toCelValue(schema.items, item));
  }
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property !== undefined) {
      out[escapeCelName(key)] = toCelValue(property, v);
    } else if (typeof schema.additionalProperties === "object") {
      out[key] = toCelValue(schema.additionalProperties, v);
    }
  }
  return out;
}

/**
 * Places where the API server's CEL cost estimate would be unbounded: a list, string or map that a
 * rule can reach (in the rule's subtree, or a list the rule sits inside) without maxItems,
 * maxLength (or enum) or maxProperties.
 */
export function unboundedUnderCel(schema: SchemaNode): string[] {
  const found = new Set<string>();
  const nodes = [...schemaNodes(schema)];
  for (const { path, node } of nodes) {
    if ((node["x-kubernetes-validations"] ?? []).length === 0) continue;
    for (const inner of schemaNodes(node, path)) {
      const problem = unbounded(inner.node);
      if (problem !== undefined) found.add(`${inner.path}: ${problem}`);
    }
    // A rule inside a list runs once per item: the enclosing lists need bounds too.
    for (const outer of nodes) {
      if (outer.node.type === "array" && path.startsWith(`${outer.path}[]`)) {
        if (outer.node.maxItems === undefined) found.add(`${outer.path}: list without maxItems`);
      }
    }
  }
  return [...found];
}

/** What is unbounded about one node, or undefined. */
function unbounded(node: SchemaNode): string | undefined {
  if (node.type === "array" && node.maxItems === undefined) return "list without maxItems";
  const isString = node.type === "string" || node["x-kubernetes-int-or-string"] === true;
  if (isString && node.maxLength === undefined && node.enum === undefined) {
    return "string without maxLength";
  }
  const isMap = node.type === "object" && typeof node.additionalProperties === "object";
  if (isMap && node.maxProperties === undefined) return "map without maxProperties";
  return undefined;
}
