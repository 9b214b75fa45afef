import assert from "node:assert/strict";
import type { Binding } from "../../../src/api/binding.ts";
import { normalise } from "../../../src/api/normalise.ts";
import { formatProblem } from "../../../src/api/problem.ts";
import type { LBRegistrar, LBRegistrarSpec } from "../../../src/api/types.ts";

const LB = "ocid1.loadbalancer.oc1.ap-tokyo-1.aaaa";
const defaults = { operatorNamespace: "lb-system" };

/** An LBRegistrar named "web" with `spec`. */
function lbr(spec: Partial<LBRegistrarSpec> | Record<string, unknown>): LBRegistrar {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name: "web" },
    spec: { loadBalancerId: LB, ...spec } as LBRegistrarSpec,
  };
}

/** The Bindings of `spec`, failing on any problem. */
function bindings(spec: Partial<LBRegistrarSpec> | Record<string, unknown>): Binding[] {
  const result = normalise(lbr(spec), defaults);
  assert.deepEqual(result.problems.map(formatProblem), []);
  return result.bindings;
}

/** What every binding of `web` shares unless a test changes it. */
const base = {
  lbr: "web",
  loadBalancerId: LB,
  weight: 1,
  filterByEndpoints: false,
  addressType: "InternalIP",
  ipFamily: "IPv4",
  ownership: "Exclusive",
  drainSeconds: 30,
} as const;

const svc = (name: string, port: number | string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: "shop",
  port,
  ...extra,
});

Deno.test("normalise() makes one Binding per services[] entry, in order, with defaults", () => {
  assert.deepEqual(
    bindings({
      services: [
        svc("a", "http", { backendSetName: "set-a" }),
        svc("b", 443, { backendSetName: "set-b" }),
      ],
    }),
    [
      {
        ...base,
        backendSetName: "set-a",
        port: { kind: "service", namespace: "shop", name: "a", port: "http" },
        source: "spec.services[0]",
      },
      {
        ...base,
        backendSetName: "set-b",
        port: { kind: "service", namespace: "shop", name: "b", port: 443 },
        source: "spec.services[1]",
      },
    ],
  );
});

Deno.test("normalise() lets services[] win over nodePort and port", () => {
  const [only, ...rest] = bindings({
    backendSetName: "top",
    nodePort: 30080,
    port: 30080,
    services: [svc("a", 80)],
  });
  assert.deepEqual(rest, []);
  assert.deepEqual(only?.port, { kind: "service", namespace: "shop", name: "a", port: 80 });
  assert.equal(only?.backendSetName, "top");
});

Deno.test("normalise() uses the deprecated service when services is empty", () => {
  const [only, ...rest] = bindings({
    backendSetName: "top",
    services: [],
    service: svc("legacy", "http2"),
  });
  assert.deepEqual(rest, []);
  assert.equal(only?.source, "spec.service");
  assert.deepEqual(only?.port, {
    kind: "service",
    namespace: "shop",
    name: "legacy",
    port: "http2",
  });
});

Deno.test("normalise() lets service win over nodePort", () => {
  const [only] = bindings({ backendSetName: "top", nodePort: 30080, service: svc("legacy", 80) });
  assert.equal(only?.port.kind, "service");
});

Deno.test("normalise() honours the service's own weight and backendSetName, unlike the original", () => {
  const [only] = bindings({
    backendSetName: "top",
    weight: 3,
    service: svc("legacy", 80, { backendSetName: "own", weight: 7, filterByEndpoints: true }),
  });
  assert.equal(only?.backendSetName, "own");
  assert.equal(only?.weight, 7);
  assert.equal(only?.filterByEndpoints, true);
});

Deno.test("normalise() uses nodePort with the top-level backend set and weight", () => {
  assert.deepEqual(bindings({ backendSetName: "static", nodePort: 30080, weight: 4 }), [
    {
      ...base,
      weight: 4,
      backendSetName: "static",
      port: { kind: "fixed", nodePort: 30080 },
      source: "spec",
    },
  ]);
});

Deno.test("normalise() reads the deprecated port as nodePort", () => {
  const [only] = bindings({ backendSetName: "static", port: 30081 });
  assert.deepEqual(only?.port, { kind: "fixed", nodePort: 30081 });
});

Deno.test("normalise() reports nodePort and port that differ instead of picking one", () => {
  const result = normalise(
    lbr({ backendSetName: "static", nodePort: 30080, port: 30081 }),
    defaults,
  );
  assert.deepEqual(result.bindings, []);
  assert.deepEqual(result.problems.map((p) => p.field), ["spec.port"]);
});

Deno.test("normalise() lets a service's weight win over the top-level weight, which wins over 1", () => {
  const result = bindings({
    weight: 9,
    services: [
      svc("a", 80, { backendSetName: "a", weight: 2 }),
      svc("b", 80, { backendSetName: "b" }),
    ],
  });
  assert.deepEqual(result.map((b) => b.weight), [2, 9]);
  assert.deepEqual(
    bindings({ services: [svc("a", 80, { backendSetName: "a" })] }).map((b) => b.weight),
    [1],
  );
});

Deno.test("normalise() gives a service without backendSetName the top-level one", () => {
  const result = bindings({
    backendSetName: "top",
    services: [svc("a", 80), svc("c", 80, { backendSetName: "own" })],
  });
  assert.deepEqual(result.map((b) => b.backendSetName), ["top", "own"]);
});

Deno.test("normalise() reports two services on one backend set and changes nothing", () => {
  const result = normalise(
    lbr({ backendSetName: "top", services: [svc("a", 80), svc("b", 80, { backendSetName: "" })] }),
    defaults,
  );
  assert.deepEqual(result.bindings, []);
  assert.deepEqual(result.problems.map(formatProblem), [
    'spec.services[1].backendSetName: backend set "top" is already filled by spec.services[0]: give each entry its own backend set',
  ]);
});

Deno.test("normalise() gives an empty per-service backendSetName the top-level one", () => {
  const result = bindings({
    backendSetName: "top",
    services: [svc("a", 80, { backendSetName: "" }), svc("c", 80, { backendSetName: "own" })],
  });
  assert.deepEqual(result.map((b) => b.backendSetName), ["top", "own"]);
});

Deno.test("normalise() carries the selector, address rules, ownership and drain time", () => {
  const [only] = bindings({
    backendSetName: "b",
    nodePort: 30080,
    nodeSelector: {
      matchLabels: { role: "edge" },
      matchExpressions: [{ key: "zone", operator: "Exists" }],
    },
    addressType: "ExternalIP",
    ipFamily: "IPv6",
    ownership: "Shared",
    drainSeconds: 0,
  });
  assert.deepEqual(only?.nodeSelector, {
    matchLabels: { role: "edge" },
    matchExpressions: [{ key: "zone", operator: "Exists" }],
  });
  assert.equal(only?.addressType, "ExternalIP");
  assert.equal(only?.ipFamily, "IPv6");
  assert.equal(only?.ownership, "Shared");
  assert.equal(only?.drainSeconds, 0);
});

Deno.test("normalise() drops the nulls the API server would have pruned from a selector", () => {
  const [only] = bindings({
    backendSetName: "b",
    nodePort: 30080,
    weight: null,
    nodeSelector: {
      matchLabels: { role: "edge", gone: null },
      matchExpressions: [{ key: "z", operator: "Exists", values: null }],
    },
  });
  assert.deepEqual(only?.nodeSelector, {
    matchLabels: { role: "edge" },
    matchExpressions: [{ key: "z", operator: "Exists" }],
  });
  assert.equal(only?.weight, 1);
  assert.equal("nodeSelector" in bindings({ backendSetName: "b", nodePort: 1 })[0]!, false);
});

Deno.test("normalise() returns no Bindings and every problem for an invalid object", () => {
  const result = normalise(
    {
      metadata: { name: "x" },
      spec: { loadBalancerId: "lb-1", weight: 0 },
    } as unknown as LBRegistrar,
    defaults,
  );
  assert.deepEqual(result.bindings, []);
  assert.deepEqual(result.problems.map((p) => p.field), [
    "spec.loadBalancerId",
    "spec.weight",
    "spec.services",
  ]);
  assert.equal(result.apiKey, undefined);
});

Deno.test("normalise() never throws for hostile input", () => {
  for (
    const value of [null, undefined, 7, "x", [], { spec: [] }, {
      metadata: [],
      spec: { services: [[]] },
    }]
  ) {
    const result = normalise(value as unknown as LBRegistrar, defaults);
    assert.ok(result.problems.length > 0);
    assert.deepEqual(result.bindings, []);
  }
});

const apiKey = {
  user: "ocid1.user.oc1..aaaa",
  fingerprint: "aa:bb",
  tenancy: "ocid1.tenancy.oc1..aaaa",
  privateKey: { secretKeyRef: { name: "oci-api-key", key: "private-key" } },
};

Deno.test("normalise() defaults the key's Secret namespace to the operator's, and the region to the OCID's", () => {
  const result = normalise(lbr({ backendSetName: "b", nodePort: 1, apiKey }), defaults);
  assert.deepEqual(result.apiKey, {
    user: apiKey.user,
    fingerprint: "aa:bb",
    tenancy: apiKey.tenancy,
    region: "ap-tokyo-1",
    secret: { namespace: "lb-system", name: "oci-api-key", key: "private-key" },
  });
  assert.equal(result.region, "ap-tokyo-1");
});

Deno.test("normalise() reads an empty Secret namespace as the default", () => {
  const privateKey = { ...apiKey.privateKey, namespace: "" };
  const result = normalise(
    lbr({ backendSetName: "b", nodePort: 1, apiKey: { ...apiKey, privateKey } }),
    defaults,
  );
  assert.equal(result.apiKey?.secret.namespace, "lb-system");
});

Deno.test("normalise() keeps the given key namespace, region and passphrase key", () => {
  const privateKey = { ...apiKey.privateKey, namespace: "keys", passphraseKey: "passphrase" };
  const result = normalise(
    lbr({ backendSetName: "b", nodePort: 1, apiKey: { ...apiKey, region: "nrt", privateKey } }),
    defaults,
  );
  assert.deepEqual(result.apiKey?.secret, {
    namespace: "keys",
    name: "oci-api-key",
    key: "private-key",
    passphraseKey: "passphrase",
  });
  assert.equal(result.apiKey?.region, "nrt");
  assert.equal(result.region, "nrt");
});

Deno.test("normalise() leaves apiKey unset without one, so the operator's auth is used", () => {
  const result = normalise(
    lbr({
      loadBalancerId: "ocid1.networkloadbalancer.oc1.iad.x",
      backendSetName: "b",
      nodePort: 1,
    }),
    defaults,
  );
  assert.equal("apiKey" in result, false);
  assert.equal(result.region, "iad");
});

Deno.test("normalise() has no region when neither apiKey nor the OCID gives one", () => {
  const result = normalise(
    lbr({ loadBalancerId: "ocid1.loadbalancer.oc1..x", backendSetName: "b", nodePort: 1 }),
    defaults,
  );
  assert.deepEqual(result.problems, []);
  assert.equal("region" in result, false);
});

Deno.test("normalise() turns the original's multi-service README example into two Bindings", () => {
  const result = normalise(
    lbr({
      loadBalancerId: "ocid1.loadbalancer.oc1.ap-tokyo-1.xxxxx",
      apiKey: { ...apiKey, region: "ap-tokyo-1" },
      services: [
        {
          name: "my-nodeport-service",
          namespace: "default",
          port: "https",
          backendSetName: "https-backend",
          weight: 1,
          filterByEndpoints: true,
        },
        {
          name: "my-nodeport-service",
          namespace: "default",
          port: "http2",
          backendSetName: "http-backend",
          weight: 1,
          filterByEndpoints: true,
        },
      ],
    }),
    defaults,
  );
  assert.deepEqual(
    result.bindings.map((
      b,
    ) => [
      b.backendSetName,
      b.port.kind === "service" ? b.port.port : b.port.nodePort,
      b.filterByEndpoints,
    ]),
    [["https-backend", "https", true], ["http-backend", "http2", true]],
  );
});
