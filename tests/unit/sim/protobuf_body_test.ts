import assert from "node:assert/strict";
import fc from "fast-check";
import { builtinResources } from "../../../src/sim/kube/builtin_resources.ts";
import { decodeProtobufBody, isProtobufContentType } from "../../../src/sim/kube/protobuf_body.ts";
import type { ResourceType } from "../../../src/sim/kube/resource_type.ts";
import { StatusError } from "../../../src/sim/kube/status_error.ts";
import { KUBECTL_CONFIGMAP, KUBECTL_NAMESPACE } from "../../support/kubectl_protobuf_bodies.ts";

const core = (kind: string): ResourceType =>
  builtinResources().find((rt) => rt.group === "" && rt.kind === kind)!;

// A tiny encoder, so each case shows the fields it sends.
const utf8 = new TextEncoder();

function varint(value: number | bigint): number[] {
  let rest = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}

const num = (field: number, value: number | bigint) => [...varint(field << 3), ...varint(value)];
const msg = (field: number, ...parts: number[][]) => {
  const payload = parts.flat();
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
};
const raw = (field: number, bytes: Uint8Array | number[]) => msg(field, [...bytes]);
const str = (field: number, text: string) => raw(field, utf8.encode(text));
const entry = (field: number, key: string, value: number[]) => msg(field, str(1, key), value);

function envelope(apiVersion: string, kind: string, ...object: number[][]): Uint8Array {
  return new Uint8Array([
    ...utf8.encode("k8s\0"),
    ...msg(1, str(1, apiVersion), str(2, kind)),
    ...msg(2, ...object),
    ...str(3, ""),
    ...str(4, ""),
  ]);
}

function statusOf(fn: () => unknown): { code?: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error.status;
    throw error;
  }
  assert.fail("expected a StatusError");
}

Deno.test("decodeProtobufBody() turns kubectl's namespace body into the JSON kubectl would send", () => {
  const decoded = decodeProtobufBody(KUBECTL_NAMESPACE, core("Namespace"));
  // The exact text of `kubectl create namespace x --dry-run=client -o json`, key order included.
  assert.equal(
    JSON.stringify(decoded),
    '{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"x","creationTimestamp":null},"spec":{},"status":{}}',
  );
});

Deno.test("decodeProtobufBody() turns kubectl's configmap body into the JSON kubectl would send", () => {
  assert.equal(
    JSON.stringify(decodeProtobufBody(KUBECTL_CONFIGMAP, core("ConfigMap"))),
    '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"x","creationTimestamp":null},"data":{"a":"b"}}',
  );
});

Deno.test("decodeProtobufBody() writes secret bytes as base64 and keeps type, stringData and immutable", () => {
  // 200 bytes: the length prefix needs a two-byte varint.
  const key = Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff);
  const body = envelope(
    "v1",
    "Secret",
    msg(1, str(1, "oci-api-key"), str(3, "ns")),
    entry(2, "private-key", raw(2, key)),
    entry(2, "empty", []),
    num(5, 0),
    str(3, "Opaque"),
    entry(4, "pass", str(2, "abc")),
  );
  const decoded = decodeProtobufBody(body, core("Secret"));
  assert.deepEqual(decoded, {
    kind: "Secret",
    apiVersion: "v1",
    metadata: { name: "oci-api-key", namespace: "ns", creationTimestamp: null },
    immutable: false,
    data: { "private-key": btoa(String.fromCharCode(...key)), empty: "" },
    stringData: { pass: "abc" },
    type: "Opaque",
  });
});

Deno.test("decodeProtobufBody() decodes every ObjectMeta field kubectl or a typed client can send", () => {
  const body = envelope(
    "v1",
    "ConfigMap",
    msg(
      1,
      str(1, "c"),
      str(2, "c-"),
      str(3, "ns"),
      str(5, "uid-1"),
      str(6, "42"),
      num(7, 300),
      msg(8, num(1, 1_700_000_000)),
      msg(9, num(1, 1_700_000_030), num(2, 5)),
      num(10, 30),
      entry(11, "app", str(2, "web")),
      entry(11, "tier", str(2, "")),
      entry(11, "__proto__", str(2, "p")),
      entry(12, "note", str(2, "日本")),
      msg(13, str(5, "apps/v1"), str(1, "Deployment"), str(3, "d"), str(4, "u2"), num(6, 1)),
      str(14, "example.com/a"),
      str(14, "example.com/b"),
      msg(
        17,
        str(1, "kubectl"),
        str(2, "Update"),
        str(6, "FieldsV1"),
        msg(7, str(1, '{"f:data":{}}')),
      ),
    ),
    entry(3, "bin", raw(2, [0xff, 0x00])),
    num(4, 1),
  );
  assert.deepEqual(decodeProtobufBody(body, core("ConfigMap")), {
    kind: "ConfigMap",
    apiVersion: "v1",
    metadata: {
      name: "c",
      generateName: "c-",
      namespace: "ns",
      uid: "uid-1",
      resourceVersion: "42",
      generation: 300,
      creationTimestamp: "2023-11-14T22:13:20Z",
      deletionTimestamp: "2023-11-14T22:13:50Z",
      deletionGracePeriodSeconds: 30,
      labels: JSON.parse('{"app":"web","tier":"","__proto__":"p"}'),
      annotations: { note: "日本" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "Deployment", name: "d", uid: "u2", controller: true },
      ],
      finalizers: ["example.com/a", "example.com/b"],
      managedFields: [
        {
          manager: "kubectl",
          operation: "Update",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:data": {} },
        },
      ],
    },
    immutable: true,
    binaryData: { bin: "/wA=" },
  });
});

Deno.test("decodeProtobufBody() decodes a service account's secrets, pull secrets and token flag", () => {
  const body = envelope(
    "v1",
    "ServiceAccount",
    msg(1, str(1, "sa")),
    msg(2, str(1, "Secret"), str(3, "tok")),
    msg(3, str(1, "pull")),
    num(4, 0),
  );
  assert.deepEqual(decodeProtobufBody(body, core("ServiceAccount")), {
    kind: "ServiceAccount",
    apiVersion: "v1",
    metadata: { name: "sa", creationTimestamp: null },
    secrets: [{ kind: "Secret", name: "tok" }],
    imagePullSecrets: [{ name: "pull" }],
    automountServiceAccountToken: false,
  });
});

Deno.test("decodeProtobufBody() skips unknown fields of every wire type", () => {
  const fixed32 = [...varint((90 << 3) | 5), 1, 2, 3, 4];
  const fixed64 = [...varint((91 << 3) | 1), 1, 2, 3, 4, 5, 6, 7, 8];
  const body = new Uint8Array([
    ...utf8.encode("k8s\0"),
    ...num(99, 123_456),
    ...msg(1, str(1, "v1"), str(2, "Namespace"), str(9, "ignored")),
    ...msg(
      2,
      fixed64,
      msg(1, str(1, "x"), fixed32, num(16, 1), str(99, "future field")),
      msg(2, str(1, "kubernetes")),
      fixed32,
    ),
  ]);
  assert.deepEqual(decodeProtobufBody(body, core("Namespace")), {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: { name: "x", creationTimestamp: null },
    spec: { finalizers: ["kubernetes"] },
    status: {},
  });
});

Deno.test("decodeProtobufBody() takes a missing kind and apiVersion from the URL", () => {
  const body = new Uint8Array([...utf8.encode("k8s\0"), ...msg(2, msg(1, str(1, "x")))]);
  assert.deepEqual(decodeProtobufBody(body, core("Namespace")), {
    kind: "Namespace",
    apiVersion: "v1",
    metadata: { name: "x", creationTimestamp: null },
    spec: {},
    status: {},
  });
});

Deno.test("decodeProtobufBody() answers 400 unexpected EOF for a body cut inside a field", () => {
  const status = statusOf(() =>
    decodeProtobufBody(KUBECTL_CONFIGMAP.subarray(0, 30), core("ConfigMap"))
  );
  assert.equal(status.code, 400);
  assert.equal(status.reason, "BadRequest");
  assert.equal(
    status.message,
    'ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF',
  );
});

Deno.test("decodeProtobufBody() never fails with anything but a Status for any cut of a real body", () => {
  for (let length = 0; length < KUBECTL_NAMESPACE.length; length++) {
    try {
      decodeProtobufBody(KUBECTL_NAMESPACE.subarray(0, length), core("Namespace"));
    } catch (error) {
      assert.ok(error instanceof StatusError, `cut at ${length}: ${error}`);
      assert.ok([400, 415].includes(error.status.code!), `cut at ${length}: ${error.status.code}`);
    }
  }
});

Deno.test("decodeProtobufBody() never fails with anything but a 400 or 415 Status on random bytes", () => {
  const rt = core("Secret");
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
      try {
        decodeProtobufBody(new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...tail]), rt);
      } catch (error) {
        assert.ok(error instanceof StatusError, String(error));
        assert.ok([400, 415].includes(error.status.code!));
      }
    }),
    { numRuns: 2_000 },
  );
});

Deno.test("decodeProtobufBody() answers 400 for bytes without the k8s envelope prefix", () => {
  const status = statusOf(() =>
    decodeProtobufBody(utf8.encode('{"kind":"Namespace"}'), core("Namespace"))
  );
  assert.equal(status.code, 400);
  assert.match(
    status.message!,
    /cannot be handled as a Namespace: provided data does not appear to be a protobuf message, expected prefix \[107 56 115 0\]$/,
  );
});

Deno.test("decodeProtobufBody() answers 400 for a known field with the wrong wire type", () => {
  const body = envelope("v1", "Namespace", num(1, 7));
  const status = statusOf(() => decodeProtobufBody(body, core("Namespace")));
  assert.equal(status.code, 400);
  assert.match(status.message!, /proto: wrong wireType = 0 for field metadata$/);
});

Deno.test("decodeProtobufBody() answers 400 for a varint longer than ten bytes", () => {
  const body = new Uint8Array([...utf8.encode("k8s\0"), 0x08, ...Array(11).fill(0xff)]);
  const status = statusOf(() => decodeProtobufBody(body, core("Namespace")));
  assert.equal(status.code, 400);
  assert.match(status.message!, /proto: integer overflow$/);
});

Deno.test("decodeProtobufBody() answers 415 for a kind it does not decode", () => {
  const pod = statusOf(() =>
    decodeProtobufBody(envelope("v1", "Pod", msg(1, str(1, "p"))), core("Secret"))
  );
  assert.equal(pod.code, 415);
  assert.equal(pod.reason, "UnsupportedMediaType");
  const deployment = statusOf(() =>
    decodeProtobufBody(envelope("apps/v1", "Deployment", msg(1, str(1, "d"))), core("Secret"))
  );
  assert.equal(deployment.code, 415);
});

Deno.test("isProtobufContentType() matches the protobuf media type with parameters, not JSON", () => {
  assert.equal(isProtobufContentType("application/vnd.kubernetes.protobuf"), true);
  assert.equal(isProtobufContentType("Application/VND.kubernetes.protobuf; charset=utf-8"), true);
  assert.equal(isProtobufContentType("application/vnd.kubernetes.protobuf;stream=watch"), true);
  assert.equal(isProtobufContentType("application/json"), false);
  assert.equal(isProtobufContentType(null), false);
});
