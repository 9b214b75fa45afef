import assert from "node:assert/strict";
import type { LBRegistrar, LBRegistrarSpec } from "../../../src/api/types.ts";
import { createBindingsIndex } from "../../../src/engine/bindings_index.ts";
import { intake } from "../../../src/engine/intake.ts";
import { node } from "../../support/plan_fixtures.ts";

const LB = "ocid1.loadbalancer.oc1.iad.aaaa";

function lbr(name: string, spec: Partial<LBRegistrarSpec>, generation = 1): LBRegistrar {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name, generation, uid: `uid-${name}` },
    spec: { loadBalancerId: LB, ...spec },
  };
}

/** An index with: "all" (every node, fixed port), "gpu" (nodeSelector gpu=true), "shop" (Service shop/web, endpoints). */
function world() {
  const index = createBindingsIndex("lbr-system");
  index.upsert(lbr("all", { backendSetName: "all", nodePort: 30080 }));
  index.upsert(lbr("gpu", {
    backendSetName: "gpu",
    nodePort: 30081,
    nodeSelector: { matchLabels: { gpu: "true" } },
  }));
  index.upsert(lbr("shop", {
    services: [{
      name: "web",
      namespace: "shop",
      port: "http",
      backendSetName: "shop",
      filterByEndpoints: true,
    }],
  }));
  return index;
}

const set = (name: string) => `${LB}/${name}`;

Deno.test("intake() maps a label change to exactly the backend sets whose selector it can affect", () => {
  const index = world();
  const before = node("n1", { labels: {} });
  const plain = intake({
    kind: "Node",
    name: "n1",
    before,
    after: node("n1", { labels: { zone: "a" } }),
  }, index);
  assert.deepEqual(plain.sets.sort(), [set("all"), set("shop")]);
  const gpu = intake({
    kind: "Node",
    name: "n1",
    before,
    after: node("n1", { labels: { gpu: "true" } }),
  }, index);
  assert.deepEqual(gpu.sets.sort(), [set("all"), set("gpu"), set("shop")]);
  const leaves = intake({
    kind: "Node",
    name: "n1",
    before: node("n1", { labels: { gpu: "true" } }),
    after: node("n1", { labels: {} }),
  }, index);
  assert.ok(leaves.sets.includes(set("gpu")), "leaving the selector matters too");
});

Deno.test("intake() maps a Service or EndpointSlice change only to the sets that read it", () => {
  const index = world();
  assert.deepEqual(intake({ kind: "Service", key: "shop/web" }, index).sets, [set("shop")]);
  assert.deepEqual(intake({ kind: "Service", key: "default/web" }, index).sets, []);
  assert.deepEqual(intake({ kind: "EndpointSlice", key: "shop/web" }, index).sets, [set("shop")]);
});

Deno.test("intake() ignores status-only LBRegistrar updates and follows spec changes", () => {
  const index = world();
  const old = lbr("all", { backendSetName: "all", nodePort: 30080 });
  const statusOnly = { ...old, status: { phase: "READY" as const } };
  assert.deepEqual(
    intake({ kind: "LBRegistrar", name: "all", before: old, after: statusOnly }, index),
    {
      sets: [],
      objects: [],
    },
  );
  const moved = lbr("all", { backendSetName: "other", nodePort: 30080 }, 2);
  const result = intake({ kind: "LBRegistrar", name: "all", before: old, after: moved }, index);
  assert.deepEqual(
    result.sets.sort(),
    [set("all"), set("other")],
    "old and new sets are both synced",
  );
  assert.deepEqual(result.objects, ["all"]);
  assert.deepEqual(index.targeting(set("other")), ["all"]);
  assert.deepEqual(index.targeting(set("all")), []);
});

Deno.test("intake() forgets a deleted LBRegistrar and syncs the sets it targeted", () => {
  const index = world();
  const gone = intake({ kind: "LBRegistrar", name: "gpu", before: lbr("gpu", {}) }, index);
  assert.deepEqual(gone.sets, [set("gpu")]);
  assert.equal(index.get("gpu"), undefined);
});
