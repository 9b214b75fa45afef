import assert from "node:assert/strict";
import { EXCLUDE_FROM_LB_LABEL } from "../../../src/api/constants.ts";
import type { ClusterIndex } from "../../../src/plan/cluster.ts";
import {
  type BackendSetInput,
  type BackendSetPlan,
  planBackendSet,
} from "../../../src/plan/plan_backend_set.ts";
import {
  backend,
  BACKEND_SET,
  binding,
  cluster,
  endpoint,
  keys,
  LB_ID,
  node,
  nodes,
  NOW,
  service,
  serviceBinding,
  slice,
} from "../../support/plan_fixtures.ts";

const EXCLUDED = { labels: { [EXCLUDE_FROM_LB_LABEL]: "true" } };

function plan(c: ClusterIndex, input: Partial<BackendSetInput> = {}): BackendSetPlan {
  return planBackendSet(c, {
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    bindings: [binding()],
    actual: [],
    now: NOW,
    ...input,
  });
}

function owned(lbr: string, ...ipPorts: string[]): Map<string, Set<string>> {
  return new Map([[lbr, new Set(ipPorts)]]);
}

Deno.test("planBackendSet() registers every eligible node into an empty set", () => {
  const p = plan(cluster({ nodes: nodes(3) }));
  assert.deepEqual(keys(p.next), ["10.0.0.1:30080", "10.0.0.2:30080", "10.0.0.3:30080"]);
  assert.equal(p.inSync, false);
  assert.deepEqual(p.bindings[0]?.registered, [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
    "10.0.0.3:30080",
  ]);
  assert.deepEqual(p.problems, []);
});

Deno.test("planBackendSet() is in sync when OCI already holds the desired list", () => {
  const p = plan(cluster({ nodes: nodes(2) }), {
    actual: [backend("10.0.0.2:30080"), backend("10.0.0.1:30080")],
  });
  assert.equal(p.inSync, true);
  assert.deepEqual(p.safety, []);
  assert.deepEqual(p.bindings[0]?.registered, ["10.0.0.2:30080", "10.0.0.1:30080"]);
});

Deno.test("planBackendSet() drains a NotReady node and never removes it for readiness alone", () => {
  const c = cluster({
    nodes: [node("n1"), node("n2", { ready: false }), node("n3", { ready: false })],
  });
  const p = plan(c, { actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")] });
  assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "notReady" }]);
  assert.deepEqual(p.changes.added, [{ ipPort: "10.0.0.3:30080", rule: "notReady" }]);
  assert.deepEqual(p.changes.removed, []);
  assert.deepEqual(p.bindings[0]?.draining, ["10.0.0.2:30080", "10.0.0.3:30080"]);
  assert.deepEqual(p.drainTimers.startOnWrite, [], "a NotReady drain has no removal timer");
});

Deno.test("planBackendSet() fails open when every eligible node is NotReady", () => {
  const c = cluster({ nodes: nodes(2, { ready: false }) });
  const p = plan(c, { actual: [backend("10.0.0.1:30080")] });
  assert.deepEqual(p.next.map((b) => b.drain), [false, false]);
  assert.deepEqual(p.safety.map((s) => s.rule), ["failOpenWhenAllNotReady"]);
  assert.deepEqual(p.changes.added, [{ ipPort: "10.0.0.2:30080", rule: "failOpen" }]);
});

Deno.test("planBackendSet() keeps a non-empty set when no node is eligible (fail static)", () => {
  const actual = [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")];
  const p = plan(cluster({ nodes: nodes(2, EXCLUDED) }), { actual });
  assert.equal(p.inSync, true);
  assert.deepEqual(p.next, actual);
  assert.deepEqual(p.safety.map((s) => [s.rule, s.reason, s.backends]), [[
    "keepWhenDesiredEmpty",
    "NoEligibleNodes",
    2,
  ]]);
  assert.equal(p.problems[0]?.reason, "NoEligibleNodes");
  assert.match(p.problems[0]?.message ?? "", /; 2 backends kept as they are \(fail static\)$/);
});

Deno.test("planBackendSet() keeps a non-empty set when filterByEndpoints finds no ready endpoint", () => {
  const c = cluster({
    nodes: nodes(2),
    services: [service("shop/web")],
    slices: [slice("shop/web", [])],
  });
  const p = plan(c, {
    bindings: [serviceBinding("shop/web", "http", { filterByEndpoints: true })],
    actual: [backend("10.0.0.1:30080")],
  });
  assert.equal(p.inSync, true);
  assert.equal(p.safety[0]?.reason, "NoReadyEndpoints");
  assert.equal(p.problems[0]?.reason, "NoReadyEndpoints");
});

Deno.test("planBackendSet() reports NoEligibleNodes on an empty set without a safety note", () => {
  const p = plan(cluster());
  assert.equal(p.inSync, true);
  assert.deepEqual(p.safety, []);
  assert.deepEqual(p.problems.map((x) => x.reason), ["NoEligibleNodes"]);
});

Deno.test("planBackendSet() drains a node that became ineligible, then removes it after drainSeconds", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED)] });
  const first = plan(c, { actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")] });
  assert.deepEqual(first.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "ineligible" }]);
  assert.deepEqual(first.drainTimers.startOnWrite, ["10.0.0.2:30080"]);
  assert.deepEqual(first.bindings[0]?.draining, ["10.0.0.2:30080"]);

  const drainedAt = new Map([["10.0.0.2:30080", NOW]]);
  const waiting = plan(c, { actual: first.next, drainedAt, now: NOW + 10_000 });
  assert.equal(waiting.inSync, true);
  assert.equal(waiting.nextWakeAt, NOW + 30_000);

  const done = plan(c, { actual: first.next, drainedAt, now: NOW + 30_000 });
  assert.deepEqual(keys(done.next), ["10.0.0.1:30080"]);
  assert.deepEqual(done.changes.removed, [{ ipPort: "10.0.0.2:30080", rule: "drainExpired" }]);
  assert.deepEqual(done.drainTimers.forget, ["10.0.0.2:30080"]);
  assert.equal(done.nextWakeAt, undefined);
});

for (
  const [why, n2] of [
    ["a nodeSelector no longer matching", node("n2", { labels: { pool: "db" } })],
    [
      "a deletion taint",
      node("n2", { labels: { pool: "web" }, taints: ["karpenter.sh/disrupted"] }),
    ],
    ["a deletionTimestamp", node("n2", { labels: { pool: "web" }, deleting: true })],
  ] as const
) {
  Deno.test(`planBackendSet() drains rather than removes a node that still exists, after ${why}`, () => {
    const c = cluster({ nodes: [node("n1", { labels: { pool: "web" } }), n2] });
    const p = plan(c, {
      bindings: [binding({ nodeSelector: { matchLabels: { pool: "web" } } })],
      actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")],
    });
    assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "ineligible" }]);
    assert.deepEqual(p.changes.removed, []);
  });
}

Deno.test("planBackendSet() drains a node whose endpoints left, with filterByEndpoints", () => {
  const c = cluster({
    nodes: nodes(2),
    services: [service("shop/web")],
    slices: [slice("shop/web", [endpoint("n1")])],
  });
  const p = plan(c, {
    bindings: [serviceBinding("shop/web", "http", { filterByEndpoints: true })],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")],
  });
  assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "ineligible" }]);
});

Deno.test("planBackendSet() starts the drain timer at now for a backend found drained after a restart", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED)] });
  const p = plan(c, {
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080", { drain: true })],
  });
  assert.equal(p.inSync, true);
  assert.deepEqual(p.drainTimers.startNow, ["10.0.0.2:30080"]);
  assert.equal(p.nextWakeAt, NOW + 30_000);
});

Deno.test("planBackendSet() removes the backend of a deleted Node at once, even while draining", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    actual: [
      backend("10.0.0.1:30080"),
      backend("10.0.0.2:30080"),
      backend("10.0.0.3:30080", { drain: true }),
    ],
    drainedAt: new Map([["10.0.0.3:30080", NOW]]),
  });
  assert.deepEqual(keys(p.next), ["10.0.0.1:30080"]);
  assert.deepEqual(p.changes.removed, [
    { ipPort: "10.0.0.2:30080", rule: "nodeDeleted" },
    { ipPort: "10.0.0.3:30080", rule: "nodeDeleted" },
  ]);
  assert.deepEqual(p.drainTimers.forget, ["10.0.0.3:30080"]);
});

Deno.test("planBackendSet() swaps ports in one write after a NodePort change", () => {
  const moved = service("shop/web", {
    ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30081 }],
  });
  const c = cluster({ nodes: nodes(2), services: [moved] });
  const p = plan(c, {
    bindings: [serviceBinding("shop/web", "http")],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")],
    owned: owned("web", "10.0.0.1:30080", "10.0.0.2:30080"),
  });
  assert.deepEqual(keys(p.next), ["10.0.0.1:30081", "10.0.0.2:30081"]);
  assert.deepEqual(p.changes.removed.map((c) => c.rule), ["portChanged", "portChanged"]);
  assert.deepEqual(p.bindings[0]?.registered, ["10.0.0.1:30081", "10.0.0.2:30081"]);
});

Deno.test("planBackendSet() removes a foreign backend at once in Exclusive mode", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    actual: [backend("192.168.1.1:80"), backend("10.0.0.1:9999")],
  });
  assert.deepEqual(keys(p.next), ["10.0.0.1:30080"]);
  assert.deepEqual(p.changes.removed.map((c) => [c.ipPort, c.rule]), [
    ["192.168.1.1:80", "foreign"],
    ["10.0.0.1:9999", "foreign"],
  ]);
});

Deno.test("planBackendSet() leaves foreign backends untouched in Shared mode", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED), node("n3", EXCLUDED)] });
  const foreign = [
    backend("192.168.1.1:80", { drain: true, weight: 50 }),
    backend("10.0.0.3:30080"),
  ];
  const p = plan(c, {
    bindings: [binding({ ownership: "Shared" })],
    actual: [...foreign, backend("10.0.0.2:30080")],
    owned: owned("web", "10.0.0.2:30080"),
  });
  assert.equal(p.ownership, "Shared");
  assert.equal(p.next[0], foreign[0]);
  assert.equal(p.next[1], foreign[1]);
  assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "ineligible" }]);
  assert.deepEqual(p.changes.added, [{ ipPort: "10.0.0.1:30080", rule: "wanted" }]);
  assert.deepEqual(p.safety.map((s) => [s.rule, s.backends]), [["restrictToOwned", 2]]);
  assert.deepEqual(
    p.bindings[0]?.draining,
    ["10.0.0.2:30080"],
    "the foreign backends are not claimed",
  );
});

Deno.test("planBackendSet() in Shared mode adopts a foreign backend it wants", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    bindings: [binding({ ownership: "Shared", weight: 4 })],
    actual: [backend("10.0.0.1:30080", { weight: 1, backup: true })],
  });
  assert.deepEqual(p.next, [backend("10.0.0.1:30080", { weight: 4, backup: true })]);
  assert.deepEqual(p.bindings[0]?.registered, ["10.0.0.1:30080"]);
});

Deno.test("planBackendSet() handles a set as Shared when any binding is, and flags the Exclusive ones", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    bindings: [binding({ lbr: "a" }), binding({ lbr: "b", ownership: "Shared" })],
    actual: [backend("192.168.1.1:80")],
  });
  assert.equal(p.ownership, "Shared");
  assert.deepEqual(keys(p.next), ["192.168.1.1:80", "10.0.0.1:30080"]);
  assert.deepEqual(p.problems, [{
    lbr: "a",
    source: "spec",
    reason: "OwnershipConflict",
    message:
      `Cannot own backend set "${LB_ID}/web" exclusively (spec): LBRegistrar "b" shares it with ownership Shared, so backends nobody registered are kept`,
  }]);
});

Deno.test("planBackendSet() merges the bindings of several LBRegistrars with the highest weight", () => {
  const c = cluster({
    nodes: [node("n1", { labels: { pool: "a" } }), node("n2", { labels: { pool: "b" } })],
  });
  const p = plan(c, {
    bindings: [
      binding({ lbr: "a", weight: 10, nodeSelector: { matchLabels: { pool: "a" } } }),
      binding({ lbr: "b", weight: 20 }),
    ],
    actual: [backend("10.0.0.1:30080", { weight: 10 })],
  });
  assert.deepEqual(p.next.map((b) => [b.ipAddress, b.weight]), [["10.0.0.1", 20], [
    "10.0.0.2",
    20,
  ]]);
  assert.deepEqual(p.changes.reweighted, [{ ipPort: "10.0.0.1:30080", rule: "wanted" }]);
  assert.deepEqual(p.bindings.map((b) => b.registered), [["10.0.0.1:30080"], [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
  ]]);
});

Deno.test("planBackendSet() drains then removes the backends of a Deregister-ed LBRegistrar", () => {
  const c = cluster({ nodes: nodes(3) });
  const input = {
    bindings: [
      binding({ lbr: "gone" }),
      binding({ lbr: "stays", port: { kind: "fixed" as const, nodePort: 30090 } }),
    ],
    owned: new Map([["gone", new Set(["10.0.0.1:30080", "10.0.0.2:30080"])], [
      "stays",
      new Set(["10.0.0.1:30090"]),
    ]]),
    deregistering: new Set(["gone"]),
  };
  const actual = [backend("10.0.0.1:30080"), backend("10.0.0.2:30080"), backend("10.0.0.1:30090")];
  const first = plan(c, { ...input, actual });
  assert.deepEqual(first.changes.drained.map((x) => [x.ipPort, x.rule]), [
    ["10.0.0.1:30080", "deregister"],
    ["10.0.0.2:30080", "deregister"],
  ]);
  assert.deepEqual(first.bindings[0]?.draining, ["10.0.0.1:30080", "10.0.0.2:30080"]);

  const drainedAt = new Map([["10.0.0.1:30080", NOW], ["10.0.0.2:30080", NOW]]);
  const done = plan(c, { ...input, actual: first.next, drainedAt, now: NOW + 30_000 });
  assert.deepEqual(done.changes.removed.map((x) => x.rule), ["drainExpired", "drainExpired"]);
  assert.deepEqual(
    [done.bindings[0]?.registered, done.bindings[0]?.draining],
    [[], []],
    "cleanup is complete",
  );
  assert.deepEqual(done.problems, []);
});

Deno.test("planBackendSet() lets a Deregister cleanup empty the set (no fail static)", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    bindings: [binding({ drainSeconds: 0 })],
    actual: [backend("10.0.0.1:30080")],
    owned: owned("web", "10.0.0.1:30080"),
    deregistering: new Set(["web"]),
  });
  assert.deepEqual(p.next, []);
  assert.deepEqual(p.changes.removed, [{ ipPort: "10.0.0.1:30080", rule: "deregister" }]);
  assert.deepEqual(p.safety, []);
});

Deno.test("planBackendSet() keeps a Deregister-ed backend that another binding still wants", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    bindings: [binding({ lbr: "gone" }), binding({ lbr: "stays" })],
    actual: [backend("10.0.0.1:30080")],
    owned: new Map([["gone", new Set(["10.0.0.1:30080"])]]),
    deregistering: new Set(["gone"]),
  });
  assert.equal(p.inSync, true);
  assert.deepEqual(p.bindings.map((b) => b.registered), [[], ["10.0.0.1:30080"]]);
});

Deno.test("planBackendSet() without staying bindings touches only what the leaving LBRegistrar owns", () => {
  const p = plan(cluster({ nodes: nodes(2) }), {
    bindings: [binding({ lbr: "gone" })],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.9:8080")],
    owned: owned("gone", "10.0.0.1:30080"),
    deregistering: new Set(["gone"]),
  });
  assert.deepEqual(keys(p.next), ["10.0.0.1:30080", "10.0.0.9:8080"]);
  assert.equal(p.next[1]?.drain, false, "the unrecorded backend is not touched");
  assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.1:30080", rule: "deregister" }]);
});

Deno.test("planBackendSet() removes nothing while a binding's port cannot be resolved", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED), node("n3")] });
  const p = plan(c, {
    bindings: [
      binding({ lbr: "a" }),
      serviceBinding("shop/gone", "http", { lbr: "b", source: "spec.services[1]" }),
    ],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080"), backend("10.0.0.5:31000")],
  });
  assert.deepEqual(keys(p.next), [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
    "10.0.0.5:31000",
    "10.0.0.3:30080",
  ]);
  assert.deepEqual(p.changes.drained, []);
  assert.deepEqual(p.safety.map((s) => [s.rule, s.backends]), [["holdWhileUnresolved", 2]]);
  assert.deepEqual(p.problems.map((x) => [x.lbr, x.reason]), [["b", "ServiceNotFound"]]);
});

Deno.test("planBackendSet() registers an address shared by two nodes once and names the duplicate", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", { ip: "10.0.0.1" })] });
  const p = plan(c);
  assert.deepEqual(keys(p.next), ["10.0.0.1:30080"]);
  assert.deepEqual(p.skipped, [{
    lbr: "web",
    source: "spec",
    node: "n2",
    reason: 'has address "10.0.0.1" like node "n1": registered once, for "n1"',
  }]);
});

Deno.test("planBackendSet() registers IPv6 addresses for an IPv6 binding and never an empty IP", () => {
  const c = cluster({
    nodes: [
      node("n1", {
        addresses: [{ type: "InternalIP", address: "10.0.0.1" }, {
          type: "InternalIP",
          address: "fd00::1",
        }],
      }),
      node("n2", { addresses: [{ type: "InternalIP", address: "10.0.0.2" }] }),
    ],
  });
  const p = plan(c, { bindings: [binding({ ipFamily: "IPv6" })] });
  assert.deepEqual(keys(p.next), ["[fd00::1]:30080"]);
  assert.deepEqual(p.skipped.map((s) => s.node), ["n2"]);
});

Deno.test("planBackendSet() keeps a leftover it registered in status until it is gone", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED)] });
  const p = plan(c, {
    bindings: [binding({ ownership: "Shared" })],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080", { drain: true })],
    owned: owned("web", "10.0.0.1:30080", "10.0.0.2:30080"),
    drainedAt: new Map([["10.0.0.2:30080", NOW - 1000]]),
  });
  assert.deepEqual(p.bindings[0]?.draining, ["10.0.0.2:30080"]);
});

Deno.test("planBackendSet() reports the records of an LBRegistrar with no binding left on the set", () => {
  const c = cluster({ nodes: [node("n1"), node("n2")] });
  const p = plan(c, {
    bindings: [
      binding({ lbr: "a", ownership: "Shared", nodeSelector: { matchLabels: { x: "y" } } }),
      binding({ lbr: "c", ownership: "Shared", port: { kind: "fixed", nodePort: 30090 } }),
    ],
    actual: [backend("10.0.0.2:30080")],
    owned: new Map([["moved-away", new Set(["10.0.0.2:30080"])]]),
  });
  assert.deepEqual(p.changes.drained, [{ ipPort: "10.0.0.2:30080", rule: "ineligible" }]);
  assert.deepEqual(p.orphans, [{
    lbr: "moved-away",
    registered: [],
    draining: ["10.0.0.2:30080"],
  }]);
});

Deno.test("planBackendSet() waits the longest drainSeconds of the bindings on the set", () => {
  const c = cluster({ nodes: [node("n1"), node("n2", EXCLUDED)] });
  const p = plan(c, {
    bindings: [
      binding({ lbr: "a", drainSeconds: 10 }),
      binding({ lbr: "b", drainSeconds: 120 }),
      binding({ lbr: "c", drainSeconds: 300, port: { kind: "fixed", nodePort: 30090 } }),
    ],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080", { drain: true })],
    owned: new Map([["a", new Set(["10.0.0.2:30080"])], ["b", new Set(["10.0.0.2:30080"])]]),
    drainedAt: new Map([["10.0.0.2:30080", NOW]]),
  });
  assert.equal(p.nextWakeAt, NOW + 300_000);
});

Deno.test("planBackendSet() forgets the drain time of a backend that is wanted again", () => {
  const p = plan(cluster({ nodes: nodes(1) }), {
    actual: [backend("10.0.0.1:30080", { drain: true })],
    drainedAt: new Map([["10.0.0.1:30080", NOW - 5000]]),
  });
  assert.deepEqual(p.changes.undrained, [{ ipPort: "10.0.0.1:30080", rule: "wanted" }]);
  assert.deepEqual(p.drainTimers.forget, ["10.0.0.1:30080"]);
});

Deno.test("planBackendSet() throws a BUG error for a binding of another backend set", () => {
  assert.throws(
    () => plan(cluster(), { bindings: [binding({ backendSetName: "other" })] }),
    /^Error: BUG: binding of/,
  );
});
