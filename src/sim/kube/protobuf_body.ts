/**
 * Request bodies in the Kubernetes protobuf encoding ("k8s\0" then a runtime.Unknown), decoded to
 * the JSON object the same client would have sent as JSON. kubectl sends built-in kinds this way on
 * `create` and does not retry as JSON, so the kinds it creates for this project must decode.
 */

import { apiVersionOf, type ResourceType } from "./resource_type.ts";
import { badRequest, type StatusError, unsupportedBody } from "./status_error.ts";

/** The media type of Kubernetes protobuf bodies. */
export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

/** True when a Content-Type header names the Kubernetes protobuf encoding. */
export function isProtobufContentType(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;
}

// The serializer's magic prefix: "k8s" and a zero byte.
const ENVELOPE_PREFIX = [0x6b, 0x38, 0x73, 0x00];

/** A malformed body; the caller words it as the server's decode error. */
class WireError extends Error {
  override name = "WireError";
}

// Wire types of the protobuf encoding (groups, 3 and 4, never occur in Kubernetes messages).
const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

interface WireField {
  number: number;
  wireType: number;
  /** The integer of a varint field. */
  varint: bigint;
  /** The payload of a length-delimited field (empty for other wire types). */
  bytes: Uint8Array;
}

function readVarint(buf: Uint8Array, start: number): { value: bigint; end: number } {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    const byte = buf[start + i];
    if (byte === undefined) throw new WireError("unexpected EOF");
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if (byte < 0x80) return { value: BigInt.asUintN(64, value), end: start + i + 1 };
  }
  throw new WireError("proto: integer overflow");
}

function skip(buf: Uint8Array, start: number, length: number): number {
  const end = start + length;
  if (end > buf.length) throw new WireError("unexpected EOF");
  return end;
}

// The fields of one message in wire order; unknown ones are for the caller to ignore.
function wireFields(buf: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < buf.length) {
    const key = readVarint(buf, at);
    at = key.end;
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (number === 0) throw new WireError(`proto: illegal tag 0 (wire type ${wireType})`);
    const field: WireField = { number, wireType, varint: 0n, bytes: new Uint8Array() };
    switch (wireType) {
      case VARINT: {
        const read = readVarint(buf, at);
        field.varint = read.value;
        at = read.end;
        break;
      }
      case FIXED64:
        at = skip(buf, at, 8);
        break;
      case FIXED32:
        at = skip(buf, at, 4);
        break;
      case LENGTH_DELIMITED: {
        const length = readVarint(buf, at);
        if (length.value > BigInt(buf.length)) throw new WireError("unexpected EOF");
        const end = skip(buf, length.end, Number(length.value));
        field.bytes = buf.subarray(length.end, end);
        at = end;
        break;
      }
      default:
        throw new WireError(`proto: illegal wireType ${wireType}`);
    }
    fields.push(field);
  }
  return fields;
}

// How one field of a generated.proto message maps to its JSON form. The order of a schema is the
// order of the Go struct, so keys come out in the order kubectl's JSON has them.
type Scalar = "string" | "bytes" | "bool" | "int" | "time" | "rawJson";

interface Rule {
  number: number;
  json: string;
  type: Scalar | Schema;
  /** Repeated field: a JSON array, omitted when empty. */
  repeated?: true;
  /** map<string, string|bytes> field: a JSON object, omitted when empty. */
  map?: "string" | "bytes";
  /** A Go pointer: written only when present on the wire, whatever its value. */
  pointer?: true;
  /** A Go string without `omitempty`: written even when empty. */
  always?: true;
}

type Schema = readonly Rule[];

const TEXT = new TextDecoder();

const OWNER_REFERENCE: Schema = [
  { number: 5, json: "apiVersion", type: "string", always: true },
  { number: 1, json: "kind", type: "string", always: true },
  { number: 3, json: "name", type: "string", always: true },
  { number: 4, json: "uid", type: "string", always: true },
  { number: 6, json: "controller", type: "bool", pointer: true },
  { number: 7, json: "blockOwnerDeletion", type: "bool", pointer: true },
];

const MANAGED_FIELDS_ENTRY: Schema = [
  { number: 1, json: "manager", type: "string" },
  { number: 2, json: "operation", type: "string" },
  { number: 3, json: "apiVersion", type: "string" },
  { number: 4, json: "time", type: "time", pointer: true },
  { number: 6, json: "fieldsType", type: "string" },
  { number: 7, json: "fieldsV1", type: "rawJson", pointer: true },
  { number: 8, json: "subresource", type: "string" },
];

const OBJECT_META: Schema = [
  { number: 1, json: "name", type: "string" },
  { number: 2, json: "generateName", type: "string" },
  { number: 3, json: "namespace", type: "string" },
  { number: 4, json: "selfLink", type: "string" },
  { number: 5, json: "uid", type: "string" },
  { number: 6, json: "resourceVersion", type: "string" },
  { number: 7, json: "generation", type: "int" },
  { number: 8, json: "creationTimestamp", type: "time" },
  { number: 9, json: "deletionTimestamp", type: "time", pointer: true },
  { number: 10, json: "deletionGracePeriodSeconds", type: "int", pointer: true },
  { number: 11, json: "labels", type: "string", map: "string" },
  { number: 12, json: "annotations", type: "string", map: "string" },
  { number: 13, json: "ownerReferences", type: OWNER_REFERENCE, repeated: true },
  { number: 14, json: "finalizers", type: "string", repeated: true },
  { number: 17, json: "managedFields", type: MANAGED_FIELDS_ENTRY, repeated: true },
];

const METADATA: Rule = { number: 1, json: "metadata", type: OBJECT_META };

const NAMESPACE_CONDITION: Schema = [
  { number: 1, json: "type", type: "string", always: true },
  { number: 2, json: "status", type: "string", always: true },
  { number: 4, json: "lastTransitionTime", type: "time" },
  { number: 5, json: "reason", type: "string" },
  { number: 6, json: "message", type: "string" },
];

const OBJECT_REFERENCE: Schema = [
  { number: 1, json: "kind", type: "string" },
  { number: 2, json: "namespace", type: "string" },
  { number: 3, json: "name", type: "string" },
  { number: 4, json: "uid", type: "string" },
  { number: 5, json: "apiVersion", type: "string" },
  { number: 6, json: "resourceVersion", type: "string" },
  { number: 7, json: "fieldPath", type: "string" },
];

// The core/v1 kinds `kubectl create` sends that this project's README and tests use.
const KINDS: Record<string, Schema> = {
  Namespace: [
    METADATA,
    {
      number: 2,
      json: "spec",
      type: [{ number: 1, json: "finalizers", type: "string", repeated: true }],
    },
    {
      number: 3,
      json: "status",
      type: [
        { number: 1, json: "phase", type: "string" },
        { number: 2, json: "conditions", type: NAMESPACE_CONDITION, repeated: true },
      ],
    },
  ],
  Secret: [
    METADATA,
    { number: 5, json: "immutable", type: "bool", pointer: true },
    { number: 2, json: "data", type: "bytes", map: "bytes" },
    { number: 4, json: "stringData", type: "string", map: "string" },
    { number: 3, json: "type", type: "string" },
  ],
  ConfigMap: [
    METADATA,
    { number: 4, json: "immutable", type: "bool", pointer: true },
    { number: 2, json: "data", type: "string", map: "string" },
    { number: 3, json: "binaryData", type: "bytes", map: "bytes" },
  ],
  ServiceAccount: [
    METADATA,
    { number: 2, json: "secrets", type: OBJECT_REFERENCE, repeated: true },
    {
      number: 3,
      json: "imagePullSecrets",
      type: [{ number: 1, json: "name", type: "string" }],
      repeated: true,
    },
    { number: 4, json: "automountServiceAccountToken", type: "bool", pointer: true },
  ],
};

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// metav1.Time carries whole seconds; an empty message is the zero time, which JSON writes as null.
function timeValue(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  let seconds = 0n;
  for (const field of wireFields(bytes)) {
    if (field.number === 1) seconds = wireInt(field, "seconds");
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new WireError(`time out of range: ${seconds} seconds`);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function wireInt(field: WireField, name: string): bigint {
  if (field.wireType !== VARINT) {
    throw new WireError(`proto: wrong wireType = ${field.wireType} for field ${name}`);
  }
  return BigInt.asIntN(64, field.varint);
}

function wireBytes(field: WireField, name: string): Uint8Array {
  if (field.wireType !== LENGTH_DELIMITED) {
    throw new WireError(`proto: wrong wireType = ${field.wireType} for field ${name}`);
  }
  return field.bytes;
}

function scalarValue(type: Scalar | Schema, field: WireField, name: string): unknown {
  if (typeof type !== "string") return decodeMessage(wireBytes(field, name), type);
  switch (type) {
    case "string":
      return TEXT.decode(wireBytes(field, name));
    case "bytes":
      return base64(wireBytes(field, name));
    case "bool":
      return wireInt(field, name) !== 0n;
    case "int":
      return Number(wireInt(field, name));
    case "time":
      return timeValue(wireBytes(field, name));
    case "rawJson":
      return rawJson(wireBytes(field, name));
  }
}

// FieldsV1 {1: Raw} holds the JSON document itself.
function rawJson(bytes: Uint8Array): unknown {
  let raw: Uint8Array = new Uint8Array();
  for (const field of wireFields(bytes)) {
    if (field.number === 1) raw = wireBytes(field, "Raw");
  }
  try {
    return JSON.parse(TEXT.decode(raw));
  } catch {
    throw new WireError("fieldsV1 does not hold a JSON document");
  }
}

function mapEntry(rule: Rule, field: WireField): [string, unknown] {
  let key = "";
  let value: unknown = "";
  for (const part of wireFields(wireBytes(field, rule.json))) {
    if (part.number === 1) key = TEXT.decode(wireBytes(part, `${rule.json} key`));
    if (part.number === 2) value = scalarValue(rule.type, part, `${rule.json} value`);
  }
  return [key, value];
}

function isEmpty(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

function decodeMessage(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const seen = new Map<Rule, unknown>();
  for (const field of wireFields(buf)) {
    const rule = schema.find((r) => r.number === field.number);
    if (rule === undefined) continue;
    if (rule.map) {
      const entries = (seen.get(rule) ?? {}) as Record<string, unknown>;
      const [key, value] = mapEntry(rule, field);
      // Defined, not assigned: a key such as "__proto__" must stay an ordinary entry, as in JSON.parse.
      Object.defineProperty(entries, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      seen.set(rule, entries);
    } else if (rule.repeated) {
      const items = (seen.get(rule) ?? []) as unknown[];
      items.push(scalarValue(rule.type, field, rule.json));
      seen.set(rule, items);
    } else {
      seen.set(rule, scalarValue(rule.type, field, rule.json));
    }
  }
  // Go's encoding/json of the decoded struct: omitempty drops empty scalars, maps and slices;
  // nested structs and non-pointer times are always written (a zero time as null).
  const out: Record<string, unknown> = {};
  for (const rule of schema) {
    const value = seen.get(rule);
    if (rule.map || rule.repeated) {
      if (value !== undefined) out[rule.json] = value;
    } else if (rule.pointer) {
      if (seen.has(rule)) out[rule.json] = value;
    } else if (typeof rule.type !== "string") {
      out[rule.json] = value ?? decodeMessage(new Uint8Array(), rule.type);
    } else if (rule.type === "time") {
      out[rule.json] = value ?? null;
    } else if (rule.always) {
      out[rule.json] = value ?? "";
    } else if (value !== undefined && !isEmpty(value)) {
      out[rule.json] = value;
    }
  }
  return out;
}

function envelope(body: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  const prefixed = ENVELOPE_PREFIX.every((byte, i) => body[i] === byte);
  if (!prefixed) {
    throw new WireError(
      `provided data does not appear to be a protobuf message, expected prefix [${
        ENVELOPE_PREFIX.join(" ")
      }]`,
    );
  }
  let apiVersion = "";
  let kind = "";
  let raw: Uint8Array = new Uint8Array();
  for (const field of wireFields(body.subarray(ENVELOPE_PREFIX.length))) {
    if (field.number === 1) {
      for (const part of wireFields(wireBytes(field, "TypeMeta"))) {
        if (part.number === 1) apiVersion = TEXT.decode(wireBytes(part, "APIVersion"));
        if (part.number === 2) kind = TEXT.decode(wireBytes(part, "Kind"));
      }
    }
    if (field.number === 2) raw = wireBytes(field, "Raw");
  }
  return { apiVersion, kind, raw };
}

/**
 * The JSON object a protobuf request body encodes; a StatusError 400 for malformed bytes, 415 for a
 * kind the simulator does not decode.
 */
export function decodeProtobufBody(
  body: Uint8Array,
  rt: ResourceType,
): Record<string, unknown> {
  try {
    const { apiVersion, kind, raw } = envelope(body);
    // The server fills a missing type from the URL, as it does for JSON.
    const typeKind = kind || rt.kind;
    const typeVersion = apiVersion || apiVersionOf(rt);
    const schema = typeVersion === "v1" ? KINDS[typeKind] : undefined;
    if (schema === undefined) throw unsupportedBody();
    return { kind: typeKind, apiVersion: typeVersion, ...decodeMessage(raw, schema) };
  } catch (error) {
    if (error instanceof WireError) throw decodeFailure(rt, error.message);
    throw error;
  }
}

function decodeFailure(rt: ResourceType, why: string): StatusError {
  return badRequest(
    `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${why}`,
  );
}
