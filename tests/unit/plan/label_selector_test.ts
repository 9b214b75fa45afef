import assert from "node:assert/strict";
import type { LabelSelector } from "../../../src/api/types.ts";
import { compileSelector } from "../../../src/plan/label_selector.ts";

const labels = { pool: "web", zone: "a", gpu: "" };

const matching: { name: string; selector: LabelSelector | undefined; expected: boolean }[] = [
  { name: "no selector matches", selector: undefined, expected: true },
  { name: "an empty selector matches", selector: {}, expected: true },
  {
    name: "matchLabels with the same value matches",
    selector: { matchLabels: { pool: "web" } },
    expected: true,
  },
  {
    name: "matchLabels with another value does not match",
    selector: { matchLabels: { pool: "db" } },
    expected: false,
  },
  {
    name: "matchLabels on an absent key does not match",
    selector: { matchLabels: { tier: "x" } },
    expected: false,
  },
  {
    name: "In with the value matches",
    selector: { matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }] },
    expected: true,
  },
  {
    name: "In without the value does not match",
    selector: { matchExpressions: [{ key: "zone", operator: "In", values: ["c"] }] },
    expected: false,
  },
  {
    name: "In on an absent key does not match",
    selector: { matchExpressions: [{ key: "tier", operator: "In", values: [""] }] },
    expected: false,
  },
  {
    name: "NotIn with the value does not match",
    selector: { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
    expected: false,
  },
  {
    name: "NotIn on an absent key matches",
    selector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["x"] }] },
    expected: true,
  },
  {
    name: "Exists on a key with an empty value matches",
    selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] },
    expected: true,
  },
  {
    name: "Exists on an absent key does not match",
    selector: { matchExpressions: [{ key: "tier", operator: "Exists" }] },
    expected: false,
  },
  {
    name: "DoesNotExist on an absent key matches",
    selector: { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] },
    expected: true,
  },
  {
    name: "DoesNotExist on a present key does not match",
    selector: { matchExpressions: [{ key: "pool", operator: "DoesNotExist" }] },
    expected: false,
  },
  {
    name: "matchLabels and expressions must all hold",
    selector: {
      matchLabels: { pool: "web" },
      matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }],
    },
    expected: false,
  },
];

for (const { name, selector, expected } of matching) {
  Deno.test(`compileSelector(): ${name}`, () => {
    const compiled = compileSelector(selector);
    assert.ok(compiled.ok);
    assert.equal(compiled.matches(labels), expected);
  });
}

const invalid: { name: string; selector: LabelSelector; message: string }[] = [
  {
    name: "In with no values",
    selector: { matchExpressions: [{ key: "zone", operator: "In", values: [] }] },
    message:
      'Cannot use spec.nodeSelector.matchExpressions[0]: operator "In" has no values, wanted at least one',
  },
  {
    name: "NotIn without values",
    selector: { matchExpressions: [{ key: "zone", operator: "NotIn" }] },
    message:
      'Cannot use spec.nodeSelector.matchExpressions[0]: operator "NotIn" has no values, wanted at least one',
  },
  {
    name: "Exists with values",
    selector: { matchExpressions: [{ key: "zone", operator: "Exists", values: ["a"] }] },
    message:
      'Cannot use spec.nodeSelector.matchExpressions[0]: operator "Exists" has 1 values, wanted none',
  },
  {
    name: "an unknown operator",
    selector: { matchExpressions: [{ key: "zone", operator: "Gt" as "In", values: ["1"] }] },
    message:
      'Cannot use spec.nodeSelector.matchExpressions[0]: operator "Gt" is unknown, wanted In, NotIn, Exists or DoesNotExist',
  },
  {
    name: "a key with a space",
    selector: { matchLabels: { "a b": "x" } },
    message:
      'Cannot use spec.nodeSelector.matchLabels: label key "a b" is not a valid qualified name',
  },
  {
    name: "a value too long",
    selector: { matchLabels: { pool: "x".repeat(64) } },
    message: `Cannot use spec.nodeSelector.matchLabels: label value "${
      "x".repeat(64)
    }" is not valid`,
  },
];

for (const { name, selector, message } of invalid) {
  Deno.test(`compileSelector() reports ${name} as a message, not an exception`, () => {
    assert.deepEqual(compileSelector(selector), { ok: false, message });
  });
}

Deno.test("compileSelector() accepts a prefixed key", () => {
  const compiled = compileSelector({ matchLabels: { "topology.kubernetes.io/zone": "a" } });
  assert.ok(compiled.ok);
  assert.equal(compiled.matches({ "topology.kubernetes.io/zone": "a" }), true);
});
