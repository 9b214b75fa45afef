import assert from "node:assert/strict";
import { EXCLUDE_FROM_LB_LABEL } from "../../../src/api/constants.ts";
import { eligibleNodes } from "../../../src/plan/eligible_nodes.ts";
import {
  binding,
  cluster,
  endpoint,
  node,
  serviceBinding,
  slice,
} from "../../support/plan_fixtures.ts";

function names(result: ReturnType<typeof eligibleNodes>): string[] {
  return result.eligible.map((e) => e.node);
}

Deno.test("eligibleNodes() keeps a plain Ready node at its InternalIP", () => {
  const result = eligibleNodes(cluster({ nodes: [node("n1")] }), binding());
  assert.deepEqual(result.eligible, [{ node: "n1", ipAddress: "10.0.0.1", ready: true }]);
  assert.deepEqual(result.skipped, []);
});

Deno.test("eligibleNodes() leaves out a node with a deletionTimestamp", () => {
  const result = eligibleNodes(
    cluster({ nodes: [node("n1", { deleting: true }), node("n2")] }),
    binding(),
  );
  assert.deepEqual(names(result), ["n2"]);
  assert.equal(result.excluded.deleting, 1);
});

for (
  const [value, excluded] of [["true", true], ["", true], ["yes", true], ["false", false]] as const
) {
  Deno.test(`eligibleNodes() ${excluded ? "excludes" : "keeps"} a node labelled exclude-from-external-load-balancers="${value}"`, () => {
    const result = eligibleNodes(
      cluster({ nodes: [node("n1", { labels: { [EXCLUDE_FROM_LB_LABEL]: value } })] }),
      binding(),
    );
    assert.deepEqual(names(result), excluded ? [] : ["n1"]);
    assert.equal(result.excluded.excludeLabel, excluded ? 1 : 0);
  });
}

Deno.test("eligibleNodes() applies nodeSelector", () => {
  const c = cluster({
    nodes: [
      node("n1", { labels: { pool: "web" } }),
      node("n2", { labels: { pool: "db" } }),
      node("n3"),
    ],
  });
  const result = eligibleNodes(
    c,
    binding({
      nodeSelector: { matchExpressions: [{ key: "pool", operator: "In", values: ["web"] }] },
    }),
  );
  assert.deepEqual(names(result), ["n1"]);
  assert.equal(result.excluded.nodeSelector, 2);
});

Deno.test("eligibleNodes() reports an invalid nodeSelector as InvalidSpec and selects nothing", () => {
  const result = eligibleNodes(
    cluster({ nodes: [node("n1")] }),
    binding({ nodeSelector: { matchExpressions: [{ key: "pool", operator: "In", values: [] }] } }),
  );
  assert.deepEqual(result.eligible, []);
  assert.equal(result.problem?.reason, "InvalidSpec");
  assert.match(result.problem?.message ?? "", /matchExpressions\[0\]: operator "In" has no values/);
});

for (const taint of ["ToBeDeletedByClusterAutoscaler", "karpenter.sh/disrupted"]) {
  Deno.test(`eligibleNodes() leaves out a node tainted ${taint}`, () => {
    const c = cluster({
      nodes: [
        node("n1", { taints: [taint] }),
        node("n2", { taints: ["node.kubernetes.io/unschedulable"] }),
      ],
    });
    const result = eligibleNodes(c, binding());
    assert.deepEqual(names(result), ["n2"]);
    assert.equal(result.excluded.deletionTaint, 1);
  });
}

Deno.test("eligibleNodes() keeps a NotReady node with drainReason NotReady", () => {
  const result = eligibleNodes(cluster({ nodes: [node("n1", { ready: false })] }), binding());
  assert.deepEqual(result.eligible, [{
    node: "n1",
    ipAddress: "10.0.0.1",
    ready: false,
    drainReason: "NotReady",
  }]);
});

Deno.test("eligibleNodes() uses ExternalIP when asked", () => {
  const n1 = node("n1", {
    addresses: [{ type: "InternalIP", address: "10.0.0.1" }, {
      type: "ExternalIP",
      address: "203.0.113.7",
    }],
  });
  const result = eligibleNodes(cluster({ nodes: [n1] }), binding({ addressType: "ExternalIP" }));
  assert.equal(result.eligible[0]?.ipAddress, "203.0.113.7");
});

Deno.test("eligibleNodes() picks the first address of the wanted family in a dual-stack node", () => {
  const n1 = node("n1", {
    addresses: [
      { type: "InternalIP", address: "FD00:0::0:5" },
      { type: "InternalIP", address: "10.0.0.5" },
      { type: "InternalIP", address: "fd00::6" },
    ],
  });
  const c = cluster({ nodes: [n1] });
  assert.equal(eligibleNodes(c, binding()).eligible[0]?.ipAddress, "10.0.0.5");
  assert.equal(eligibleNodes(c, binding({ ipFamily: "IPv6" })).eligible[0]?.ipAddress, "fd00::5");
});

Deno.test("eligibleNodes() skips an unusable address and takes the next one", () => {
  const n1 = node("n1", {
    addresses: [{ type: "InternalIP", address: "169.254.0.9" }, {
      type: "InternalIP",
      address: "10.0.0.9",
    }],
  });
  assert.equal(
    eligibleNodes(cluster({ nodes: [n1] }), binding()).eligible[0]?.ipAddress,
    "10.0.0.9",
  );
});

Deno.test("eligibleNodes() skips and names a node with no address of the wanted type and family", () => {
  const n1 = node("n1", {
    addresses: [
      { type: "InternalIP", address: "fd00::1" },
      { type: "InternalIP", address: "127.0.0.1" },
      { type: "Hostname", address: "n1" },
    ],
  });
  const result = eligibleNodes(cluster({ nodes: [n1, node("n2", { addresses: [] })] }), binding());
  assert.deepEqual(result.eligible, []);
  assert.deepEqual(result.skipped, [
    {
      node: "n1",
      reason:
        'has no usable InternalIP IPv4 address: it has InternalIP "fd00::1", InternalIP "127.0.0.1" (loopback), Hostname "n1"',
    },
    { node: "n2", reason: "has no usable InternalIP IPv4 address: it has no addresses" },
  ]);
  assert.equal(result.excluded.noAddress, 2);
});

Deno.test("eligibleNodes() does not warn about the address of a node excluded anyway", () => {
  const result = eligibleNodes(
    cluster({ nodes: [node("n1", { addresses: [], deleting: true })] }),
    binding(),
  );
  assert.deepEqual(result.skipped, []);
});

Deno.test("eligibleNodes() with filterByEndpoints keeps nodes with a ready endpoint only", () => {
  const c = cluster({
    nodes: [node("n1"), node("n2"), node("n3")],
    slices: [slice("shop/web", [endpoint("n1"), endpoint("n2", { ready: false, serving: false })])],
  });
  const result = eligibleNodes(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.deepEqual(names(result), ["n1"]);
  assert.equal(result.excluded.noReadyEndpoint, 2);
});

Deno.test("eligibleNodes() keeps a node whose endpoints are serving while terminating, as Terminating", () => {
  const c = cluster({
    nodes: [node("n1"), node("n2")],
    slices: [
      slice("shop/web", [endpoint("n1", { ready: false, serving: true, terminating: true })]),
      slice("shop/web", [endpoint("n2", { ready: false, serving: false, terminating: true })], {
        name: "web-2",
      }),
    ],
  });
  const result = eligibleNodes(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.deepEqual(result.eligible, [{
    node: "n1",
    ipAddress: "10.0.0.1",
    ready: true,
    drainReason: "Terminating",
  }]);
});

Deno.test("eligibleNodes() prefers a ready endpoint over a terminating one on the same node", () => {
  const c = cluster({
    nodes: [node("n1")],
    slices: [
      slice("shop/web", [endpoint("n1", { ready: false, terminating: true }), endpoint("n1")]),
    ],
  });
  const result = eligibleNodes(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.equal(result.eligible[0]?.drainReason, undefined);
});

Deno.test("eligibleNodes() ignores endpoints without nodeName, on unknown nodes, or of another service", () => {
  const c = cluster({
    nodes: [node("n1"), node("n2")],
    slices: [
      slice("shop/web", [endpoint(undefined), endpoint("ghost")]),
      slice("shop/api", [endpoint("n1")]),
      slice("other/web", [endpoint("n2")]),
    ],
  });
  const result = eligibleNodes(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.deepEqual(result.eligible, []);
  assert.equal(result.excluded.noReadyEndpoint, 2);
});

Deno.test("eligibleNodes() reports filterByEndpoints without a service as InvalidSpec", () => {
  const result = eligibleNodes(
    cluster({ nodes: [node("n1")] }),
    binding({ filterByEndpoints: true }),
  );
  assert.equal(result.problem?.reason, "InvalidSpec");
  assert.equal(
    result.problem?.message,
    "Cannot filter by endpoints for spec: filterByEndpoints needs a service",
  );
});
