/**
 * Fuzz of normalise() (and with it validateLBRegistrar()) over JSON-ish LBRegistrars that bypassed
 * the CRD: it never throws, every problem names a field, and a result without problems holds only
 * Bindings the planner can use.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { MAX_PROBLEMS, normalise, type Normalised } from "../../../src/api/normalise.ts";
import { backendSetKey } from "../../../src/api/binding.ts";
import { LB_OCID_PATTERN } from "../../../src/api/ocid.ts";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { hostile, looseRecord, sometimes } from "./_arbitraries.ts";

const RUNS = { numRuns: 3000 };
const DEFAULTS = { operatorNamespace: "lbr-system" };

const serviceRef = looseRecord({
  name: fc.constantFrom("web", "api", "a-b"),
  namespace: fc.constantFrom("default", "shop"),
  port: fc.oneof(fc.constantFrom("http", "https", "80"), fc.integer({ min: 1, max: 65535 })),
  filterByEndpoints: fc.boolean(),
  weight: fc.integer({ min: 1, max: 100 }),
  backendSetName: fc.constantFrom("", "set-a", "set_b", "SET9"),
}, 8);

const selector = looseRecord({
  matchLabels: fc.dictionary(
    fc.constantFrom("zone", "pool", "kubernetes.io/os", "bad key!"),
    sometimes(fc.constantFrom("a", "b", "")),
    { maxKeys: 3 },
  ),
  matchExpressions: fc.array(
    looseRecord({
      key: fc.constantFrom("zone", "pool"),
      operator: fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"),
      values: fc.array(fc.constantFrom("a", "b"), { maxLength: 2 }),
    }, 8),
    { maxLength: 2 },
  ),
});

const apiKey = looseRecord({
  user: fc.constant("ocid1.user.oc1..aaaa"),
  fingerprint: fc.constant("aa:bb:cc"),
  tenancy: fc.constant("ocid1.tenancy.oc1..aaaa"),
  region: fc.constantFrom("us-ashburn-1", "iad"),
  privateKey: looseRecord({
    namespace: fc.constantFrom("", "lbr-system"),
    secretKeyRef: looseRecord({ name: fc.constant("key"), key: fc.constant("pem") }, 8),
    passphraseKey: fc.constant("pass"),
  }, 8),
}, 8);

const SET_NAMES = ["set-a", "set_b", "SET9", "web"];

/** A spec the CRD accepts: one port source, distinct backend sets, optional fields valid. */
const validSpec: fc.Arbitrary<Record<string, unknown>> = fc.record({
  loadBalancerId: fc.constantFrom(
    "ocid1.loadbalancer.oc1.iad.aaaa",
    "ocid1.networkloadbalancer.oc1.phx.bbbb",
  ),
  source: fc.oneof(
    fc.uniqueArray(fc.constantFrom(...SET_NAMES), { minLength: 1, maxLength: 3 }).chain((sets) =>
      fc.record({
        services: fc.tuple(...sets.map((backendSetName) =>
          fc.record({
            name: fc.constantFrom("web", "api"),
            namespace: fc.constantFrom("default", "shop"),
            port: fc.oneof(fc.constantFrom("http", "80"), fc.integer({ min: 1, max: 65535 })),
            filterByEndpoints: fc.boolean(),
            weight: fc.integer({ min: 1, max: 100 }),
            backendSetName: fc.constant(backendSetName),
          }, { requiredKeys: ["name", "namespace", "port", "backendSetName"] })
        )),
      })
    ),
    fc.record({
      service: fc.record({
        name: fc.constant("web"),
        namespace: fc.constant("default"),
        port: fc.constant("http"),
      }),
      backendSetName: fc.constantFrom(...SET_NAMES),
    }),
    fc.integer({ min: 1, max: 65535 }).chain((nodePort) =>
      fc.record({
        nodePort: fc.constant(nodePort),
        port: fc.constant(nodePort),
        backendSetName: fc.constantFrom(...SET_NAMES),
      }, { requiredKeys: ["nodePort", "backendSetName"] })
    ),
  ),
  optional: fc.record({
    weight: fc.integer({ min: 1, max: 100 }),
    apiKey: fc.record({
      user: fc.constant("ocid1.user.oc1..aaaa"),
      fingerprint: fc.constant("aa:bb:cc"),
      tenancy: fc.constant("ocid1.tenancy.oc1..aaaa"),
      region: fc.constantFrom("us-ashburn-1", "iad"),
      privateKey: fc.record({
        namespace: fc.constantFrom("", "lbr-system"),
        secretKeyRef: fc.record({ name: fc.constant("key"), key: fc.constant("pem") }),
        passphraseKey: fc.constant("pass"),
      }, { requiredKeys: ["secretKeyRef"] }),
    }, { requiredKeys: ["user", "fingerprint", "tenancy", "privateKey"] }),
    nodeSelector: fc.record({
      matchLabels: fc.dictionary(fc.constantFrom("zone", "pool"), fc.constantFrom("a", "b")),
      matchExpressions: fc.array(
        fc.oneof(
          fc.record({
            key: fc.constant("zone"),
            operator: fc.constantFrom("In", "NotIn"),
            values: fc.constant(["a"]),
          }),
          fc.record({
            key: fc.constant("pool"),
            operator: fc.constantFrom("Exists", "DoesNotExist"),
          }),
        ),
        { maxLength: 2 },
      ),
    }, { requiredKeys: [] }),
    addressType: fc.constantFrom("InternalIP", "ExternalIP"),
    ipFamily: fc.constantFrom("IPv4", "IPv6"),
    ownership: fc.constantFrom("Exclusive", "Shared"),
    deletionPolicy: fc.constantFrom("Retain", "Deregister"),
    drainSeconds: fc.integer({ min: 0, max: 3600 }),
    unknownField: hostile,
  }, { requiredKeys: [] }),
}).map(({ loadBalancerId, source, optional }) => ({ loadBalancerId, ...source, ...optional }));

const SPEC_FIELDS = [
  "loadBalancerId",
  "backendSetName",
  "nodePort",
  "port",
  "weight",
  "service",
  "services",
  "apiKey",
  "nodeSelector",
  "addressType",
  "ipFamily",
  "ownership",
  "deletionPolicy",
  "drainSeconds",
];

/** A valid spec with up to three fields (or parts of the looser generators) replaced. */
const mutatedSpec = fc.tuple(
  validSpec,
  fc.array(
    fc.tuple(
      fc.constantFrom(...SPEC_FIELDS),
      fc.oneof(
        hostile,
        serviceRef,
        fc.array(sometimes(serviceRef, 8), { maxLength: 4 }),
        apiKey,
        selector,
      ),
    ),
    { minLength: 1, maxLength: 3 },
  ),
).map(([valid, changes]) => ({ ...valid, ...Object.fromEntries(changes) }));

/** LBRegistrars near the real shape: valid, or with a few fields wrong. */
const nearValid: fc.Arbitrary<unknown> = fc.record({
  apiVersion: fc.constant("nodes.peppy-ratio.dev/v1alpha1"),
  kind: fc.constant("LBRegistrar"),
  metadata: sometimes(fc.record({ name: fc.constantFrom("web", "lbr-1") }), 20),
  spec: fc.oneof({ arbitrary: validSpec, weight: 1 }, { arbitrary: mutatedSpec, weight: 2 }, {
    arbitrary: hostile,
    weight: 1,
  }),
});

/** Anything at all, including values that are not objects. */
const anything: fc.Arbitrary<unknown> = fc.oneof(fc.anything({ maxDepth: 4 }), hostile);

function run(object: unknown): Normalised {
  return normalise(object as LBRegistrar, DEFAULTS);
}

/** A problem's field: empty (the object itself) or a path under metadata or spec. */
const FIELD = /^(|(metadata|spec)([.][A-Za-z]+|\[\d+\]|\["(?:[^"\\]|\\.)*(…)?"\])*)$/;

function checkShape(result: Normalised): void {
  assert.ok(result.problems.length <= MAX_PROBLEMS, `${result.problems.length} problems`);
  for (const problem of result.problems) {
    assert.equal(typeof problem.field, "string");
    assert.match(problem.field, FIELD);
    assert.ok(typeof problem.message === "string" && problem.message.length > 0);
  }
  if (result.problems.length > 0) {
    assert.deepEqual(result.bindings, []);
    assert.equal(result.apiKey, undefined);
  }
}

Deno.test("normalise() never throws on anything, and every problem names a field", () => {
  fc.assert(fc.property(anything, (object) => checkShape(run(object))), RUNS);
});

Deno.test("normalise() never throws on near-valid LBRegistrars, and every problem names a field", () => {
  fc.assert(fc.property(nearValid, (object) => checkShape(run(object))), RUNS);
});

Deno.test("normalise() gives only usable Bindings when it reports no problem", () => {
  let valid = 0;
  fc.assert(
    fc.property(nearValid, (object) => {
      const result = run(object);
      if (result.problems.length > 0) return;
      valid++;
      const name = (object as { metadata: { name: string } }).metadata.name;
      assert.ok(result.bindings.length > 0);
      const keys = new Set<string>();
      for (const b of result.bindings) {
        assert.ok(Number.isInteger(b.weight) && b.weight >= 1 && b.weight <= 100, `${b.weight}`);
        assert.ok(typeof b.backendSetName === "string" && b.backendSetName !== "");
        assert.match(b.loadBalancerId, LB_OCID_PATTERN);
        assert.ok(Number.isInteger(b.drainSeconds) && b.drainSeconds >= 0);
        assert.equal(b.lbr, name);
        assert.match(b.source, /^spec(\.service|\.services\[\d+\])?$/);
        if (b.port.kind === "fixed") {
          assert.ok(Number.isInteger(b.port.nodePort) && b.port.nodePort >= 1);
          assert.ok(b.port.nodePort <= 65535);
        } else {
          assert.ok(b.port.name !== "" && b.port.namespace !== "");
          const { port } = b.port;
          assert.ok(typeof port === "string" ? port !== "" : port >= 1 && port <= 65535);
        }
        const key = backendSetKey(b.loadBalancerId, b.backendSetName);
        assert.ok(!keys.has(key), `one Binding per backend set, ${key} twice`);
        keys.add(key);
      }
      if (result.apiKey) assert.ok(result.apiKey.region !== "" && result.apiKey.secret.name !== "");
    }),
    RUNS,
  );
  assert.ok(valid > RUNS.numRuns / 10, `only ${valid} valid objects were generated`);
});

Deno.test("normalise() leaves its input unchanged and gives the same answer twice", () => {
  fc.assert(
    fc.property(nearValid, (object) => {
      const before = JSON.stringify(object);
      const first = run(object);
      assert.equal(JSON.stringify(object), before);
      assert.deepEqual(run(object), first);
    }),
    { numRuns: 1000 },
  );
});
