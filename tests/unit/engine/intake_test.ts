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
  assert.deepEqual(plain.sort(), [set("all"), set("shop")]);
  const gpu = intake({
    kind: "Node",
    name: "n1",
    before,
    after: node("n1", { labels: { gpu: "true" } }),
  }, index);
  assert.deepEqual(gpu.sort(), [set("all"), set("gpu"), set("shop")]);
  const leaves = intake({
    kind: "Node",
    name: "n1",
    before: node("n1", { labels: { gpu: "true" } }),
    after: node("n1", { labels: {} }),
  }, index);
  assert.ok(leaves.includes(set("gpu")), "leaving the selector matters too");
});

Deno.test("intake() maps a Service or EndpointSlice change only to the sets that read it", () => {
  const index = world();
  assert.deepEqual(intake({ kind: "Service", key: "shop/web" }, index), [set("shop")]);
  assert.deepEqual(intake({ kind: "Service", key: "default/web" }, index), []);
  assert.deepEqual(intake({ kind: "EndpointSlice", key: "shop/web" }, index), [set("shop")]);
});
