import assert from "node:assert/strict";
import fc from "fast-check";
import { normalise } from "../../../src/api/normalise.ts";
import { formatProblem } from "../../../src/api/problem.ts";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { validateLBRegistrar } from "../../../src/api/validate.ts";
import { loadCrdSchema } from "../../support/crd_schema.ts";
import { badSamples, goodSamples, lbr } from "./_samples.ts";

const crd = await loadCrdSchema();
const defaults = { operatorNamespace: "oci-lb-registrar" };

for (const sample of await goodSamples()) {
  Deno.test(`normalise() accepts ${sample.name} with no problems, like the CRD`, () => {
    const result = normalise(sample.object as unknown as LBRegistrar, defaults);
    assert.deepEqual(result.problems.map(formatProblem), []);
    assert.ok(result.bindings.length > 0);
  });
}

for (const sample of badSamples()) {
  Deno.test(`validateLBRegistrar() rejects ${sample.name}, naming ${sample.field}`, () => {
    const fields = validateLBRegistrar(sample.object).map((p) => p.field);
    assert.ok(
      fields.some((f) =>
        f === sample.field ||
        /^[.[]/.test(f.slice(sample.field.length)) && f.startsWith(sample.field)
      ),
      `problems name ${JSON.stringify(fields)}, wanted ${sample.field}`,
    );
  });
}

/** Mostly one of `valid`, sometimes one of `invalid`. */
function mostly(valid: unknown[], invalid: unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 24, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

const backendSetNames = mostly(["web", "api", "web_2-b"], ["", "bad name", 3, null]);
const serviceRef = fc.record({
  name: mostly(["web", "api"], ["Web", "1web", "", 7, null, undefined]),
  namespace: mostly(["default", "shop"], ["Default", "", null, "a.b", undefined]),
  port: mostly([80, 443, "http", "https", "h2c"], [
    0,
    70000,
    2.5,
    "HTTP",
    "",
    "-a",
    "80 ",
    true,
    null,
    [],
  ]),
  filterByEndpoints: mostly([true, false], ["true", 1, null]),
  weight: mostly([1, 5, 100], [0, 101, 2.5, "1", null]),
  backendSetName: backendSetNames,
  unknownField: fc.constant("ignored"),
}, { requiredKeys: ["name", "namespace", "port"] });
const requirement = fc.record({
  key: mostly(["role", "topology.kubernetes.io/zone"], ["", 5]),
  operator: mostly(["In", "NotIn", "Exists", "DoesNotExist"], ["in", "Equals", null]),
  values: mostly([["a"], ["a", "b"], []], ["a", [1], ["x".repeat(64)], null]),
}, { requiredKeys: ["key", "operator"] });
const selector = fc.record({
  matchLabels: mostly([{ role: "edge" }, {}, { a: "b", c: null }], [{ role: 1 }, [], "x", {
    a: "x".repeat(64),
  }]),
  matchExpressions: fc.oneof(
    { weight: 12, arbitrary: fc.array(requirement, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom(null, "x", {}) },
  ),
}, { requiredKeys: [] });
const apiKey = fc.record({
  user: mostly(["ocid1.user.oc1..aaaa"], ["ocid1.tenancy.oc1..aaaa", "", 1, undefined]),
  fingerprint: mostly(["aa:bb:cc", "0f:1e"], ["zz", "aa:b", ""]),
  tenancy: mostly(["ocid1.tenancy.oc1..aaaa"], ["ocid1.user.oc1..aaaa", null, undefined]),
  region: mostly(["ap-tokyo-1", "nrt", null], ["", "Tokyo", 1]),
  privateKey: mostly([
    { secretKeyRef: { name: "oci-api-key", key: "private-key" } },
    {
      namespace: "keys",
      secretKeyRef: { name: "k.v", key: "pem", optional: true },
      passphraseKey: "pass",
    },
    { namespace: "", secretKeyRef: { name: "k", key: "k_1" } },
  ], [
    {},
    { secretKeyRef: { name: "k" } },
    { secretKeyRef: { name: "K", key: "k" } },
    { secretKeyRef: null },
    { namespace: "NS", secretKeyRef: { name: "k", key: "k" } },
    { secretKeyRef: { name: "k", key: "k" }, passphraseKey: "" },
    "key",
    undefined,
  ]),
}, { requiredKeys: ["user", "fingerprint", "tenancy", "privateKey"] });
const common = fc.record({
  loadBalancerId: mostly([
    "ocid1.loadbalancer.oc1.ap-tokyo-1.aaaa",
    "ocid1.networkloadbalancer.oc1.iad.aaaa",
    "ocid1.loadbalancer.oc1..aaaa",
  ], ["ocid1.instance.oc1.iad.aaaa", "", "lb", 5, null]),
  backendSetName: backendSetNames,
  weight: mostly([1, 100, null], [0, 101, "2"]),
  apiKey: mostly([null], [[], "key"]).chain((junk) => junk === null ? apiKey : fc.constant(junk)),
  nodeSelector: selector,
  addressType: mostly(["InternalIP", "ExternalIP"], ["internal", 1]),
  ipFamily: mostly(["IPv4", "IPv6"], ["v4"]),
  ownership: mostly(["Exclusive", "Shared"], ["Owned"]),
  drainSeconds: mostly([0, 30, 3600], [-1, 3601, "30s"]),
  deletionPolicy: mostly(["Retain", "Deregister"], ["Delete"]),
}, { requiredKeys: ["loadBalancerId"] });
const fixedPorts = fc.record({
  nodePort: mostly([30080, 1, 65535, null], [0, 65536, 1.5, "30080"]),
  port: mostly([30080, 30081, null], [0, -1, "80"]),
}, { requiredKeys: [] });
const services = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.array(
      fc.oneof({ weight: 20, arbitrary: serviceRef }, {
        weight: 1,
        arbitrary: fc.constantFrom(null, "web"),
      }),
      { maxLength: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, "web", {}) },
);
const service = fc.oneof({ weight: 12, arbitrary: serviceRef }, {
  weight: 1,
  arbitrary: fc.constantFrom(null, "web", []),
});
/** Specs of each port mode, plus some that mix the modes. */
const spec = fc.tuple(
  common,
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ services }) },
    { weight: 2, arbitrary: fc.record({ service }) },
    { weight: 2, arbitrary: fixedPorts },
    {
      weight: 1,
      arbitrary: fc.record({ services, service }, { requiredKeys: [] }).chain((m) =>
        fixedPorts.map((f) => ({ ...m, ...f }))
      ),
    },
  ),
).map(([c, mode]) => ({ ...c, ...mode }));

Deno.test("validateLBRegistrar() accepts exactly what the CRD accepts, for generated objects", () => {
  const seen = { accepted: 0, rejected: 0 };
  fc.assert(
    fc.property(spec, (s) => {
      const object = lbr(s);
      const verdict = crd.validate(object);
      const problems = validateLBRegistrar(object);
      assert.equal(
        problems.length === 0,
        verdict.ok,
        `CRD errors ${JSON.stringify(verdict.errors)}, validate() ${JSON.stringify(problems)}`,
      );
      seen[verdict.ok ? "accepted" : "rejected"]++;
    }),
    { numRuns: 3000, seed: 20260401 },
  );
  assert.ok(seen.accepted > 300, `only ${seen.accepted} generated objects were valid`);
  assert.ok(seen.rejected > 300, `only ${seen.rejected} generated objects were invalid`);
});

Deno.test("normalise() gives the same Bindings before and after the CRD's defaults", () => {
  fc.assert(
    fc.property(spec, (s) => {
      const verdict = crd.validate(lbr(s));
      fc.pre(verdict.ok);
      const raw = normalise(lbr(s) as unknown as LBRegistrar, defaults);
      const stored = normalise(verdict.object as LBRegistrar, defaults);
      assert.deepEqual(raw, stored);
    }),
    { numRuns: 1000, seed: 20260402 },
  );
});
