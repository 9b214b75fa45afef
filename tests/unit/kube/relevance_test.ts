import assert from "node:assert/strict";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { lbrChangeMatters } from "../../../src/kube/relevance.ts";

function lbr(overrides: Partial<LBRegistrar["metadata"]> = {}, status = {}): LBRegistrar {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name: "web", uid: "u1", generation: 1, resourceVersion: "10", ...overrides },
    spec: { loadBalancerId: "ocid1.loadbalancer.oc1..a", nodePort: 30080 },
    status,
  };
}

const cases: { name: string; before?: LBRegistrar; after?: LBRegistrar; expected: boolean }[] = [
  { name: "creation matters", after: lbr(), expected: true },
  { name: "deletion matters", before: lbr(), expected: true },
  {
    name: "a status-only change does not matter",
    before: lbr(),
    after: lbr({ resourceVersion: "11" }, { phase: "READY", backendCount: 2 }),
    expected: false,
  },
  {
    name: "a generation change matters",
    before: lbr(),
    after: lbr({ generation: 2, resourceVersion: "11" }),
    expected: true,
  },
  {
    name: "deletionTimestamp being set matters",
    before: lbr(),
    after: lbr({ deletionTimestamp: "2026-11-23T20:00:00Z" }),
    expected: true,
  },
  {
    name: "a finalizer change matters",
    before: lbr(),
    after: lbr({ finalizers: ["nodes.peppy-ratio.dev/deregister"] }),
    expected: true,
  },
  {
    name: "the paused annotation matters",
    before: lbr(),
    after: lbr({ annotations: { "nodes.peppy-ratio.dev/paused": "true" } }),
    expected: true,
  },
  {
    name: "the skip-cleanup annotation matters",
    before: lbr({ annotations: { "nodes.peppy-ratio.dev/skip-cleanup": "true" } }),
    after: lbr(),
    expected: true,
  },
  {
    name: "an unrelated annotation does not matter",
    before: lbr(),
    after: lbr({ annotations: { "example.com/owner": "team-a" } }),
    expected: false,
  },
  {
    name: "a recreated object (new uid) matters",
    before: lbr(),
    after: lbr({ uid: "u2" }),
    expected: true,
  },
];

for (const { name, before, after, expected } of cases) {
  Deno.test(`lbrChangeMatters(): ${name}`, () => {
    assert.equal(lbrChangeMatters(before, after), expected);
  });
}
