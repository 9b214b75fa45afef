import assert from "node:assert/strict";
import { EXCLUDE_FROM_LB_LABEL } from "../../../src/api/constants.ts";
import { bindingDesire, desiredBackends } from "../../../src/plan/desired_backends.ts";
import {
  binding,
  cluster,
  endpoint,
  node,
  nodes,
  service,
  serviceBinding,
  slice,
} from "../../support/plan_fixtures.ts";

Deno.test("bindingDesire() wants one backend per eligible node at the resolved NodePort", () => {
  const desire = bindingDesire(
    cluster({ nodes: nodes(2), services: [service("shop/web")] }),
    serviceBinding("shop/web", "http", { weight: 5 }),
  );
  assert.equal(desire.port, 30080);
  assert.equal(desire.service, "shop/web");
  assert.deepEqual([...desire.wants.values()], [
    {
      key: "10.0.0.1:30080",
      ipAddress: "10.0.0.1",
      port: 30080,
      weight: 5,
      drain: false,
      rule: "wanted",
      node: "n1",
    },
    {
      key: "10.0.0.2:30080",
      ipAddress: "10.0.0.2",
      port: 30080,
      weight: 5,
      drain: false,
      rule: "wanted",
      node: "n2",
    },
  ]);
});

Deno.test("bindingDesire() drains NotReady and terminating nodes", () => {
  const c = cluster({
    nodes: [node("n1", { ready: false }), node("n2")],
    services: [service("shop/web")],
    slices: [
      slice("shop/web", [endpoint("n1"), endpoint("n2", { ready: false, terminating: true })]),
    ],
  });
  const desire = bindingDesire(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.deepEqual([...desire.wants.values()].map((d) => [d.key, d.drain, d.rule]), [
    ["10.0.0.1:30080", true, "notReady"],
    ["10.0.0.2:30080", true, "terminating"],
  ]);
});

Deno.test("bindingDesire() wants nothing and says why when the service is missing", () => {
  const desire = bindingDesire(cluster({ nodes: nodes(1) }), serviceBinding("shop/web", "http"));
  assert.equal(desire.wants.size, 0);
  assert.equal(desire.problem?.reason, "ServiceNotFound");
  assert.equal(desire.service, "shop/web");
});

Deno.test("bindingDesire() reports a weight outside 1-100 as InvalidSpec", () => {
  const desire = bindingDesire(
    cluster({ nodes: nodes(1) }),
    binding({ weight: 0, source: "spec.services[2]" }),
  );
  assert.deepEqual(desire.problem, {
    reason: "InvalidSpec",
    message: "Cannot use weight 0 in spec.services[2]: wanted a whole number from 1 to 100",
  });
  assert.equal(desire.wants.size, 0);
});

Deno.test("bindingDesire() reports a negative drainSeconds as InvalidSpec", () => {
  const desire = bindingDesire(cluster({ nodes: nodes(1) }), binding({ drainSeconds: -1 }));
  assert.equal(desire.problem?.reason, "InvalidSpec");
});

Deno.test("bindingDesire() registers an address shared by two nodes once and names the other node", () => {
  const c = cluster({ nodes: [node("n9", { ip: "10.0.0.7" }), node("n2", { ip: "10.0.0.7" })] });
  const desire = bindingDesire(c, binding());
  assert.deepEqual([...desire.wants.keys()], ["10.0.0.7:30080"]);
  assert.equal(desire.wants.get("10.0.0.7:30080")?.node, "n2");
  assert.deepEqual(desire.skipped, [
    { node: "n9", reason: 'has address "10.0.0.7" like node "n2": registered once, for "n2"' },
  ]);
});

Deno.test("bindingDesire() says NoEligibleNodes with counts when no node qualifies", () => {
  const c = cluster({
    nodes: [
      node("n1", { deleting: true }),
      node("n2", { labels: { [EXCLUDE_FROM_LB_LABEL]: "true" } }),
      node("n3", { addresses: [] }),
    ],
  });
  const desire = bindingDesire(c, binding());
  assert.deepEqual(desire.empty, {
    reason: "NoEligibleNodes",
    message:
      'Cannot find an eligible node for backend set "web" (spec): of 3 nodes, 1 being deleted, 1 labelled node.kubernetes.io/exclude-from-external-load-balancers, 1 without a usable address',
  });
});

Deno.test("bindingDesire() says NoEligibleNodes for an empty cluster", () => {
  assert.equal(
    bindingDesire(cluster(), binding()).empty?.message,
    'Cannot find an eligible node for backend set "web" (spec): the cluster has no nodes',
  );
});

Deno.test("bindingDesire() says NoReadyEndpoints when endpoints emptied it", () => {
  const c = cluster({
    nodes: nodes(2),
    services: [service("shop/web")],
    slices: [slice("shop/web", [])],
  });
  const desire = bindingDesire(c, serviceBinding("shop/web", "http", { filterByEndpoints: true }));
  assert.deepEqual(desire.empty, {
    reason: "NoReadyEndpoints",
    message:
      'Cannot find a ready endpoint of service "shop/web" on an eligible node for backend set "web" (spec.services[0]): of 2 nodes, 2 without a ready endpoint',
  });
});

Deno.test("desiredBackends() merges bindings and keeps the highest weight", () => {
  const c = cluster({ nodes: nodes(2) });
  const merged = desiredBackends([
    bindingDesire(c, binding({ lbr: "a", weight: 3 })),
    bindingDesire(
      c,
      binding({ lbr: "b", weight: 7, nodeSelector: { matchLabels: { none: "x" } } }),
    ),
    bindingDesire(c, binding({ lbr: "c", weight: 9 })),
    bindingDesire(c, binding({ lbr: "d", weight: 2 })),
  ]);
  assert.deepEqual([...merged.values()].map((d) => [d.key, d.weight]), [["10.0.0.1:30080", 9], [
    "10.0.0.2:30080",
    9,
  ]]);
});

Deno.test("desiredBackends() drains a backend only if every binding wanting it drains it", () => {
  const c = cluster({
    nodes: [node("n1")],
    services: [
      service("shop/a", { ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }] }),
    ],
    slices: [slice("shop/a", [endpoint("n1", { ready: false, terminating: true })])],
  });
  const draining = bindingDesire(
    c,
    serviceBinding("shop/a", "http", { lbr: "a", filterByEndpoints: true }),
  );
  const active = bindingDesire(c, binding({ lbr: "b" }));
  assert.equal(desiredBackends([draining]).get("10.0.0.1:30080")?.drain, true);
  const merged = desiredBackends([draining, active]).get("10.0.0.1:30080");
  assert.equal(merged?.drain, false);
  assert.equal(merged?.rule, "wanted");
});
