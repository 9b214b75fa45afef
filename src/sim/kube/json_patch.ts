/** JSON patch (RFC 6902), with the lenient `replace` of the real server (evanphx/json-patch). */

import { deepEqual, isObject } from "./json_value.ts";
import { badRequest, patchRejected } from "./status_error.ts";

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw patchRejected();
  return path.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

// Walks to the parent of the last segment; the document is cloned up front, so mutation is safe.
function parentOf(doc: unknown, parts: string[]): [Container, string] {
  let node: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(node)) node = node[arrayIndex(node, part, false)];
    else if (isObject(node) && Object.hasOwn(node, part)) node = node[part];
    else throw patchRejected();
  }
  if (!Array.isArray(node) && !isObject(node)) throw patchRejected();
  return [node, parts[parts.length - 1]!];
}

function arrayIndex(array: unknown[], part: string, forInsert: boolean): number {
  if (forInsert && part === "-") return array.length;
  if (!/^(0|[1-9]\d*)$/.test(part)) throw patchRejected();
  const index = Number(part);
  if (index > array.length || (!forInsert && index === array.length)) throw patchRejected();
  return index;
}

function read(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return doc;
  const [parent, last] = parentOf(doc, parts);
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false)];
  if (!Object.hasOwn(parent, last)) throw patchRejected();
  return parent[last];
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const [parent, last] = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) throw patchRejected();
  const [parent, last] = parentOf(doc, parts);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (Object.hasOwn(parent, last)) delete parent[last];
  else throw patchRejected();
  return doc;
}

function replace(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const [parent, last] = parentOf(doc, parts);
  // The real server accepts `replace` of a missing key inside an existing object (wire notes §3).
  if (Array.isArray(parent)) parent[arrayIndex(parent, last, false)] = value;
  else parent[last] = value;
  return doc;
}

/** `doc` with the operations applied; 400 for a body that is not a list, 422 when an operation fails. */
export function jsonPatch(doc: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    const type = isObject(operations) ? "object" : typeof operations;
    throw badRequest(
      `error decoding patch: json: cannot unmarshal ${type} into Go value of type []handlers.jsonPatchOp`,
    );
  }
  let out = structuredClone(doc);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw patchRejected();
    }
    const op = raw as unknown as Operation;
    switch (op.op) {
      case "add":
        out = add(out, op.path, structuredClone(op.value));
        break;
      case "remove":
        out = remove(out, op.path);
        break;
      case "replace":
        out = replace(out, op.path, structuredClone(op.value));
        break;
      case "move": {
        const value = read(out, op.from ?? "");
        out = add(remove(out, op.from ?? ""), op.path, value);
        break;
      }
      case "copy":
        out = add(out, op.path, structuredClone(read(out, op.from ?? "")));
        break;
      case "test":
        if (!deepEqual(read(out, op.path), op.value)) throw patchRejected();
        break;
      default:
        throw patchRejected();
    }
  }
  return out;
}
