import assert from "node:assert/strict";
import {
  assertDeclaredCall,
  isDeclaredCall,
  KUBE_API_CALLS,
  requestAttributes,
} from "../../../src/kube/api_calls.ts";

Deno.test("requestAttributes() derives verb, group, resource, subresource and namespace like the API server", () => {
  const cases: [string, string, { watch?: boolean }, unknown][] = [
    ["GET", "/api/v1/nodes?limit=500", {}, ["list", "", "nodes", "", ""]],
    ["GET", "/api/v1/nodes?timeoutSeconds=300", { watch: true }, ["watch", "", "nodes", "", ""]],
    ["GET", "/api/v1/services?watch=true&resourceVersion=5", {}, ["watch", "", "services", "", ""]],
    ["GET", "/api/v1/namespaces/ops/secrets/oci%2Dkey", {}, ["get", "", "secrets", "", "ops"]],
    ["POST", "/api/v1/namespaces/default/events", {}, ["create", "", "events", "", "default"]],
    ["PATCH", "/api/v1/namespaces/default/events/web.1a", {}, [
      "patch",
      "",
      "events",
      "",
      "default",
    ]],
    [
      "PATCH",
      "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web/status",
      {},
      ["patch", "nodes.peppy-ratio.dev", "lbregistrars", "status", ""],
    ],
    [
      "PUT",
      "/apis/coordination.k8s.io/v1/namespaces/lb/leases/oci-lb-registrar",
      {},
      ["update", "coordination.k8s.io", "leases", "", "lb"],
    ],
    ["DELETE", "/api/v1/nodes/n1", {}, ["delete", "", "nodes", "", ""]],
    ["DELETE", "/api/v1/namespaces/lb/secrets", {}, ["deletecollection", "", "secrets", "", "lb"]],
    ["GET", "/api/v1/namespaces/lb", {}, ["get", "", "namespaces", "", ""]],
  ];
  for (const [method, path, options, expected] of cases) {
    const attributes = requestAttributes(method, path, options);
    assert.deepEqual(
      attributes && [
        attributes.verb,
        attributes.group,
        attributes.resource,
        attributes.subresource,
        attributes.namespace,
      ],
      expected,
      `${method} ${path}`,
    );
  }
});

Deno.test("requestAttributes() is undefined for discovery and other non-resource paths", () => {
  for (const path of ["/version", "/api", "/api/v1", "/apis/apps/v1", "/openapi/v3"]) {
    assert.equal(requestAttributes("GET", path), undefined, path);
  }
});

Deno.test("isDeclaredCall() accepts the reflector, secret and status calls and nothing broader", () => {
  const declared = (method: string, path: string, watch = false) =>
    isDeclaredCall(requestAttributes(method, path, { watch })!);
  assert.equal(declared("GET", "/api/v1/nodes?limit=500"), true);
  assert.equal(declared("GET", "/api/v1/nodes", true), true);
  assert.equal(declared("GET", "/api/v1/namespaces/lb/secrets/key"), true);
  assert.equal(
    declared("PATCH", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web/status"),
    true,
  );
  // Secrets are read one by one: listing or watching them is not declared.
  assert.equal(declared("GET", "/api/v1/namespaces/lb/secrets"), false);
  assert.equal(declared("GET", "/api/v1/secrets", true), false);
  assert.equal(declared("GET", "/api/v1/nodes/n1"), false);
  assert.equal(declared("PUT", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web"), false);
  assert.equal(declared("DELETE", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web"), false);
  assert.equal(declared("GET", "/apis/apps/v1/deployments"), false);
});

Deno.test("assertDeclaredCall() throws a BUG error naming an undeclared call and passes declared ones", () => {
  assert.doesNotThrow(() => assertDeclaredCall("POST", "/api/v1/namespaces/default/events"));
  assert.throws(() => assertDeclaredCall("GET", "/api/v1/secrets?limit=500"), {
    message:
      "BUG: API call not declared in KUBE_API_CALLS: GET /api/v1/secrets (list core/secrets)",
  });
  assert.throws(
    () => assertDeclaredCall("PUT", "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web/status"),
    {
      message: "BUG: API call not declared in KUBE_API_CALLS: " +
        "PUT /apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/web/status " +
        "(update nodes.peppy-ratio.dev/lbregistrars/status)",
    },
  );
  assert.throws(() => assertDeclaredCall("GET", "/version"), {
    message: "BUG: API call not declared in KUBE_API_CALLS: GET /version (not a resource request)",
  });
});

Deno.test("KUBE_API_CALLS names each resource and subresource once, with at least one verb", () => {
  const keys = KUBE_API_CALLS.map((call) =>
    `${call.group}/${call.resource}/${call.subresource ?? ""}`
  );
  assert.equal(new Set(keys).size, keys.length, keys.join(", "));
  for (const call of KUBE_API_CALLS) {
    assert.ok(call.verbs.length > 0, call.resource);
    assert.equal(new Set(call.verbs).size, call.verbs.length, call.resource);
  }
});
