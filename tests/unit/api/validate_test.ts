import assert from "node:assert/strict";
import { formatProblem } from "../../../src/api/problem.ts";
import { validateLBRegistrar } from "../../../src/api/validate.ts";

const LB = "ocid1.loadbalancer.oc1.ap-tokyo-1.aaaa";

/** An LBRegistrar object around `spec`. */
function lbr(spec: unknown): Record<string, unknown> {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name: "t" },
    spec,
  };
}

/** The problems of `object`, one line each. */
function lines(object: unknown): string[] {
  return validateLBRegistrar(object).map(formatProblem);
}

/** A valid spec with one service, plus `extra`. */
function spec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    loadBalancerId: LB,
    services: [{ name: "web", namespace: "default", port: "http", backendSetName: "web" }],
    ...extra,
  };
}

Deno.test("validateLBRegistrar() accepts a minimal valid object", () => {
  assert.deepEqual(lines(lbr(spec())), []);
});

Deno.test("validateLBRegistrar() reports a non-object without throwing", () => {
  for (const value of [null, undefined, 42, "lbr", [], true]) {
    const problems = validateLBRegistrar(value);
    assert.equal(problems.length, 1, `for ${JSON.stringify(value)}`);
    assert.match(problems[0]!.message, /^must be an object, got /);
  }
});

Deno.test("validateLBRegistrar() requires metadata.name and spec", () => {
  assert.deepEqual(lines({}), ["metadata: is required", "spec: is required"]);
  assert.deepEqual(lines({ metadata: { name: "" }, spec: [] }), [
    "metadata.name: must not be empty",
    "spec: must be an object, got array",
  ]);
  assert.deepEqual(lines({ metadata: null, spec: null }), [
    "metadata: is required",
    "spec: is required",
  ]);
});

Deno.test("validateLBRegistrar() reads null as absent, as the API server prunes it", () => {
  assert.deepEqual(
    lines(lbr(spec({ nodePort: null, weight: null, apiKey: null, service: null }))),
    [],
  );
  assert.deepEqual(lines(lbr({ ...spec(), loadBalancerId: null })), [
    "spec.loadBalancerId: is required",
  ]);
});

Deno.test("validateLBRegistrar() ignores unknown fields", () => {
  assert.deepEqual(lines({ ...lbr(spec({ colour: "blue", services2: 5 })), extra: { a: 1 } }), []);
});

Deno.test("validateLBRegistrar() reads own properties only, never the prototype", () => {
  const object = JSON.parse(
    `{"metadata":{"name":"t"},"spec":{"__proto__":{"loadBalancerId":"${LB}"},"nodePort":30080,"backendSetName":"b"}}`,
  );
  assert.deepEqual(lines(object), ["spec.loadBalancerId: is required"]);
  assert.deepEqual(lines(lbr({ ...spec(), toString: 5 })), []);
});

Deno.test("validateLBRegistrar() names the type it got for wrong types", () => {
  assert.deepEqual(
    lines(
      lbr(spec({ weight: "5", nodePort: 1.5, drainSeconds: [], addressType: 1, services: {} })),
    ),
    [
      "spec.nodePort: must be an integer, got number",
      "spec.weight: must be an integer, got string",
      "spec.drainSeconds: must be an integer, got array",
      "spec.addressType: must be a string, got integer",
      "spec.services: must be a list, got object",
    ],
  );
});

Deno.test("validateLBRegistrar() checks the OCID shape of loadBalancerId", () => {
  assert.deepEqual(lines(lbr(spec({ loadBalancerId: "ocid1.instance.oc1.iad.x" }))), [
    'spec.loadBalancerId: must be an OCID starting "ocid1.loadbalancer." or "ocid1.networkloadbalancer.", got "ocid1.instance.oc1.iad.x"',
  ]);
  assert.deepEqual(lines(lbr(spec({ loadBalancerId: "" }))), [
    "spec.loadBalancerId: must not be empty",
  ]);
  assert.deepEqual(lines(lbr(spec({ loadBalancerId: "ocid1.networkloadbalancer.oc1.iad.x" }))), []);
});

Deno.test("validateLBRegistrar() cuts a huge value short in its message", () => {
  const huge = `ocid1.loadbalancer.${"a".repeat(1_000_000)}`;
  const [problem, ...rest] = lines(
    lbr(spec({ loadBalancerId: huge, backendSetName: "x".repeat(300) })),
  );
  assert.equal(problem, "spec.loadBalancerId: must be at most 255 characters long");
  assert.deepEqual(rest, ["spec.backendSetName: must be at most 255 characters long"]);
});

Deno.test("validateLBRegistrar() counts characters, not UTF-16 units, against maxLength", () => {
  // 63 emoji are 126 UTF-16 units but 63 characters: the length passes, the pattern does not.
  const [problem] = lines(
    lbr(spec({ services: [{ name: "😀".repeat(63), namespace: "d", port: 80 }] })),
  );
  assert.match(problem!, /^spec\.services\[0\]\.name: must be a Service name/);
});

Deno.test("validateLBRegistrar() reports a 10,000-item services list once, quickly", () => {
  const services = Array.from(
    { length: 10_000 },
    (_, i) => ({ name: "web", namespace: "d", port: i }),
  );
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, services })), [
    "spec.services: must have at most 50 items, got 10000",
  ]);
});

Deno.test("validateLBRegistrar() reports too many selector labels and expressions", () => {
  const matchLabels = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, "v"]));
  const matchExpressions = Array.from({ length: 33 }, () => ({ key: "a", operator: "Exists" }));
  assert.deepEqual(lines(lbr(spec({ nodeSelector: { matchLabels, matchExpressions } }))), [
    "spec.nodeSelector.matchLabels: must have at most 64 labels, got 10000",
    "spec.nodeSelector.matchExpressions: must have at most 32 items, got 33",
  ]);
});

Deno.test("validateLBRegistrar() reports a null or scalar services entry by index", () => {
  assert.deepEqual(
    lines(lbr({ loadBalancerId: LB, backendSetName: "b", services: [null, "web"] })),
    [
      "spec.services[0]: must be an object, got null",
      "spec.services[1]: must be an object, got string",
    ],
  );
});

Deno.test("validateLBRegistrar() checks each field of a service entry", () => {
  const entry = {
    name: "Web",
    namespace: "",
    port: "HTTP",
    filterByEndpoints: "yes",
    weight: 0,
    backendSetName: "a b",
  };
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, services: [entry] })), [
    'spec.services[0].name: must be a Service name (lowercase letters, digits and dashes, starting with a letter), got "Web"',
    "spec.services[0].namespace: must not be empty",
    'spec.services[0].port: must be a port number from 1 to 65535 or a port name (lowercase letters, digits and dashes), got "HTTP"',
    "spec.services[0].filterByEndpoints: must be true or false, got string",
    "spec.services[0].weight: must be from 1 to 100, got 0",
    'spec.services[0].backendSetName: must be a backend set name of letters, digits, dashes and underscores, got "a b"',
  ]);
});

Deno.test("validateLBRegistrar() takes a service port as a number or a name", () => {
  for (const port of [1, 65535, "http", "h2c", "8080"]) {
    assert.deepEqual(
      lines(lbr(spec({ services: [{ name: "w", namespace: "d", port, backendSetName: "b" }] }))),
      [],
    );
  }
  assert.deepEqual(
    lines(
      lbr(spec({ services: [{ name: "w", namespace: "d", port: 65536, backendSetName: "b" }] })),
    ),
    [
      "spec.services[0].port: must be from 1 to 65535, got 65536",
    ],
  );
  assert.deepEqual(
    lines(
      lbr(spec({ services: [{ name: "w", namespace: "d", port: null, backendSetName: "b" }] })),
    ),
    [
      "spec.services[0].port: is required",
    ],
  );
});

Deno.test("validateLBRegistrar() rejects service together with services", () => {
  assert.deepEqual(lines(lbr(spec({ service: { name: "web", namespace: "d", port: 80 } }))), [
    "spec.service: service and services are exclusive: move the service into spec.services (spec.service is deprecated)",
  ]);
});

Deno.test("validateLBRegistrar() allows service with an empty services list", () => {
  const object = lbr({
    loadBalancerId: LB,
    backendSetName: "b",
    services: [],
    service: { name: "w", namespace: "d", port: 80 },
  });
  assert.deepEqual(lines(object), []);
});

Deno.test("validateLBRegistrar() requires a port source", () => {
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, backendSetName: "b", services: [] })), [
    "spec.services: a port source is required: set spec.services (recommended), spec.service or spec.nodePort",
  ]);
});

Deno.test("validateLBRegistrar() accepts the deprecated port alone, or equal to nodePort", () => {
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, backendSetName: "b", port: 30080 })), []);
  assert.deepEqual(
    lines(lbr({ loadBalancerId: LB, backendSetName: "b", port: 30080, nodePort: 30080 })),
    [],
  );
});

Deno.test("validateLBRegistrar() rejects nodePort and port that differ, naming both", () => {
  assert.deepEqual(
    lines(lbr({ loadBalancerId: LB, backendSetName: "b", port: 80, nodePort: 30080 })),
    [
      "spec.port: port is a deprecated alias of nodePort and must equal it when both are set: nodePort is 30080, port is 80",
    ],
  );
});

Deno.test("validateLBRegistrar() requires backendSetName for a fixed port", () => {
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, nodePort: 30080 })), [
    "spec.backendSetName: is required when the port comes from spec.nodePort or spec.port",
  ]);
});

Deno.test("validateLBRegistrar() accepts the deprecated service's own backendSetName", () => {
  const service = { name: "w", namespace: "d", port: 80 };
  assert.deepEqual(
    lines(lbr({ loadBalancerId: LB, service: { ...service, backendSetName: "own" } })),
    [],
  );
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, service })), [
    "spec.backendSetName: a backend set name is required: set spec.backendSetName or spec.service.backendSetName",
  ]);
});

Deno.test("validateLBRegistrar() requires a backend set per service entry without a top-level one", () => {
  const services = [
    { name: "w", namespace: "d", port: 80, backendSetName: "a" },
    { name: "w", namespace: "d", port: 81 },
    { name: "w", namespace: "d", port: 82, backendSetName: "" },
  ];
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, services })), [
    "spec.services[1].backendSetName: a backend set name is required when spec.backendSetName is not set",
    "spec.services[2].backendSetName: a backend set name is required when spec.backendSetName is not set",
  ]);
  assert.deepEqual(
    lines(lbr({ loadBalancerId: LB, backendSetName: "top", services: services.slice(0, 2) })),
    [],
  );
});

Deno.test("validateLBRegistrar() rejects two service entries resolving to one backend set", () => {
  const services = [
    { name: "a", namespace: "d", port: 80 },
    { name: "b", namespace: "d", port: 80, backendSetName: "other" },
    { name: "c", namespace: "d", port: 80, backendSetName: "top" },
  ];
  assert.deepEqual(lines(lbr({ loadBalancerId: LB, backendSetName: "top", services })), [
    'spec.services[2].backendSetName: backend set "top" is already filled by spec.services[0]: give each entry its own backend set',
  ]);
});

Deno.test("validateLBRegistrar() checks the weight bounds, top level and per service", () => {
  assert.deepEqual(lines(lbr(spec({ weight: 100 }))), []);
  assert.deepEqual(lines(lbr(spec({ weight: 101 }))), [
    "spec.weight: must be from 1 to 100, got 101",
  ]);
  assert.deepEqual(lines(lbr(spec({ weight: 0 }))), ["spec.weight: must be from 1 to 100, got 0"]);
  const services = [{ name: "w", namespace: "d", port: 80, backendSetName: "b", weight: 1.5 }];
  assert.deepEqual(lines(lbr(spec({ services }))), [
    "spec.services[0].weight: must be an integer, got number",
  ]);
});

Deno.test("validateLBRegistrar() checks enums and drainSeconds", () => {
  assert.deepEqual(
    lines(
      lbr(
        spec({
          addressType: "Hostname",
          ipFamily: "IPv5",
          ownership: "",
          deletionPolicy: "Delete",
          drainSeconds: 3601,
        }),
      ),
    ),
    [
      "spec.drainSeconds: must be from 0 to 3600, got 3601",
      'spec.addressType: must be one of InternalIP, ExternalIP, got "Hostname"',
      'spec.ipFamily: must be one of IPv4, IPv6, got "IPv5"',
      'spec.ownership: must be one of Exclusive, Shared, got ""',
      'spec.deletionPolicy: must be one of Retain, Deregister, got "Delete"',
    ],
  );
  assert.deepEqual(lines(lbr(spec({ drainSeconds: 0 }))), []);
});

Deno.test("validateLBRegistrar() checks the label selector", () => {
  const nodeSelector = {
    matchLabels: { role: "edge", zone: 3 },
    matchExpressions: [
      { key: "a", operator: "In", values: ["x"] },
      { key: "b", operator: "Exists", values: [] },
      { key: "", operator: "Exists" },
      { key: "c", operator: "Exists", values: ["y"] },
      { key: "d", operator: "NotIn" },
      { operator: "Gt", values: "1" },
    ],
  };
  assert.deepEqual(lines(lbr(spec({ nodeSelector }))), [
    'spec.nodeSelector.matchLabels["zone"]: must be a string, got integer',
    "spec.nodeSelector.matchExpressions[2].key: must not be empty",
    "spec.nodeSelector.matchExpressions[3].values: values must be empty when operator is Exists",
    "spec.nodeSelector.matchExpressions[4].values: values must not be empty when operator is NotIn",
    "spec.nodeSelector.matchExpressions[5].key: is required",
    'spec.nodeSelector.matchExpressions[5].operator: must be one of In, NotIn, Exists, DoesNotExist, got "Gt"',
    "spec.nodeSelector.matchExpressions[5].values: must be a list, got string",
  ]);
});

Deno.test("validateLBRegistrar() drops null selector labels as the API server does", () => {
  assert.deepEqual(lines(lbr(spec({ nodeSelector: { matchLabels: { role: null } } }))), []);
});

Deno.test("validateLBRegistrar() checks every field of apiKey", () => {
  const apiKey = {
    user: "ocid1.tenancy.oc1..x",
    fingerprint: "zz",
    tenancy: "",
    region: "Tokyo",
    privateKey: {
      namespace: "Keys",
      passphraseKey: "",
      secretKeyRef: { name: "A", key: "a b", optional: "no" },
    },
  };
  assert.deepEqual(lines(lbr(spec({ apiKey }))), [
    'spec.apiKey.user: must be a user OCID starting "ocid1.user.", got "ocid1.tenancy.oc1..x"',
    'spec.apiKey.fingerprint: must be a key fingerprint of hex pairs separated by colons, got "zz"',
    "spec.apiKey.tenancy: must not be empty",
    'spec.apiKey.region: must be a region id like ap-tokyo-1 or a short code like nrt, got "Tokyo"',
    'spec.apiKey.privateKey.namespace: must be a namespace name (lowercase letters, digits and dashes), got "Keys"',
    "spec.apiKey.privateKey.passphraseKey: must not be empty",
    'spec.apiKey.privateKey.secretKeyRef.name: must be a Secret name (lowercase letters, digits, dashes and dots), got "A"',
    'spec.apiKey.privateKey.secretKeyRef.key: must be a Secret key (letters, digits, dashes, dots and underscores), got "a b"',
    "spec.apiKey.privateKey.secretKeyRef.optional: must be true or false, got string",
  ]);
});

Deno.test("validateLBRegistrar() requires the parts of apiKey", () => {
  assert.deepEqual(lines(lbr(spec({ apiKey: {} }))), [
    "spec.apiKey.user: is required",
    "spec.apiKey.fingerprint: is required",
    "spec.apiKey.tenancy: is required",
    "spec.apiKey.privateKey: is required",
  ]);
  assert.deepEqual(
    lines(
      lbr(
        spec({
          apiKey: {
            user: "ocid1.user.oc1..x",
            fingerprint: "aa",
            tenancy: "ocid1.tenancy.oc1..x",
            privateKey: {},
          },
        }),
      ),
    ),
    [
      "spec.apiKey.privateKey.secretKeyRef: is required",
    ],
  );
});

Deno.test("validateLBRegistrar() needs apiKey.region only when the OCID has none", () => {
  const apiKey = {
    user: "ocid1.user.oc1..x",
    fingerprint: "aa:bb",
    tenancy: "ocid1.tenancy.oc1..x",
    privateKey: { secretKeyRef: { name: "k", key: "pem" } },
  };
  assert.deepEqual(lines(lbr(spec({ apiKey }))), []);
  assert.deepEqual(lines(lbr(spec({ apiKey, loadBalancerId: "ocid1.loadbalancer.oc1..x" }))), [
    'spec.apiKey.region: is required: spec.loadBalancerId "ocid1.loadbalancer.oc1..x" carries no region to default it from',
  ]);
  assert.deepEqual(
    lines(
      lbr(
        spec({
          apiKey: { ...apiKey, region: "us-ashburn-1" },
          loadBalancerId: "ocid1.loadbalancer.oc1..x",
        }),
      ),
    ),
    [],
  );
});
