import assert from "node:assert/strict";
import { FINALIZER, SKIP_CLEANUP_ANNOTATION } from "../../../src/api/constants.ts";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { type Lifecycle, lifecycleOf } from "../../../src/engine/lifecycle.ts";

function lbr(
  meta: { deleting?: boolean; finalizers?: unknown; skip?: string },
  spec: Record<string, unknown>,
): LBRegistrar {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: {
      name: "web",
      ...(meta.deleting ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}),
      ...(meta.finalizers === undefined ? {} : { finalizers: meta.finalizers as string[] }),
      ...(meta.skip === undefined ? {} : { annotations: { [SKIP_CLEANUP_ANNOTATION]: meta.skip } }),
    },
    spec: { loadBalancerId: "ocid1.loadbalancer.oc1.iad.aaaa", ...spec },
  };
}

const deregister = { deletionPolicy: "Deregister" };
const CASES: { name: string; object: LBRegistrar; expected: Lifecycle }[] = [
  { name: "not deleted", object: lbr({ finalizers: [FINALIZER] }, deregister), expected: "active" },
  {
    name: "deleted, held only by another finalizer",
    object: lbr({ deleting: true, finalizers: ["example.com/x"] }, deregister),
    expected: "gone",
  },
  {
    name: "deleted with ours, Deregister",
    object: lbr({ deleting: true, finalizers: [FINALIZER] }, deregister),
    expected: "leaving",
  },
  {
    name: "deleted with ours, Retain",
    object: lbr({ deleting: true, finalizers: [FINALIZER] }, {}),
    expected: "releasing",
  },
  {
    name: "deleted with ours, Deregister, skip-cleanup",
    object: lbr({ deleting: true, finalizers: [FINALIZER], skip: "true" }, deregister),
    expected: "releasing",
  },
  {
    name: "deleted with ours, skip-cleanup not exactly true",
    object: lbr({ deleting: true, finalizers: [FINALIZER], skip: "yes" }, deregister),
    expected: "leaving",
  },
  {
    name: "finalizers not a list (a hostile object)",
    object: lbr({ deleting: true, finalizers: FINALIZER }, deregister),
    expected: "gone",
  },
  {
    name: "spec not an object",
    object: { ...lbr({ deleting: true, finalizers: [FINALIZER] }, {}), spec: null as never },
    expected: "releasing",
  },
];

for (const { name, object, expected } of CASES) {
  Deno.test(`lifecycleOf() is ${expected} when ${name}`, () => {
    assert.equal(lifecycleOf(object), expected);
  });
}
