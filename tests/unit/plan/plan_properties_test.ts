/**
 * Property tests of planBackendSet() over random clusters, checked against a small independent
 * model of DESIGN §4 (the oracle below), not against the planner's own intermediate results.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { Binding } from "../../../src/api/binding.ts";
import { EXCLUDE_FROM_LB_LABEL } from "../../../src/api/constants.ts";
import type { Backend, NodeInfo } from "../../../src/plan/model.ts";
import { ipPort } from "../../../src/plan/model.ts";
import { backend, binding, endpoint, NOW, service, slice } from "../../support/plan_fixtures.ts";
import { applied, planOf, type World } from "../../support/plan_world.ts";

const LBRS = ["a", "b", "c"];
const PORTS = [30080, 30081];
const V4 = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`);
const V6 = Array.from({ length: 10 }, (_, i) => `fd00::${i + 1}`);
const FOREIGN = ["192.168.0.1", "192.168.0.2"];
const CANDIDATE_KEYS = [...V4, ...V6, ...FOREIGN].flatMap((ip) =>
  [...PORTS, 80].map((port) => ipPort(ip, port))
);

const nodeArb = fc.record({
  ready: fc.boolean(),
  excluded: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, {
    arbitrary: fc.constantFrom(true),
    weight: 1,
  }),
  excludeValue: fc.constantFrom("true", "false", ""),
  tainted: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, {
    arbitrary: fc.constant(true),
    weight: 1,
  }),
  deleting: fc.oneof({ arbitrary: fc.constant(false), weight: 6 }, {
    arbitrary: fc.constant(true),
    weight: 1,
  }),
  pool: fc.constantFrom("a", "b"),
  v4: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 6 }),
  v6: fc.option(fc.integer({ min: 0, max: 9 }), { freq: 2 }),
  v6First: fc.boolean(),
});

const bindingArb = fc.record({
  lbr: fc.constantFrom(...LBRS),
  fromService: fc.boolean(),
  nodePort: fc.constantFrom(...PORTS),
  servicePort: fc.constantFrom<number | string>("http", 80),
  filterByEndpoints: fc.boolean(),
  weight: fc.integer({ min: 1, max: 100 }),
  shared: fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, {
    arbitrary: fc.constant(true),
    weight: 1,
  }),
  drainSeconds: fc.constantFrom(0, 30),
  selector: fc.boolean(),
  ipv6: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, {
    arbitrary: fc.constant(true),
    weight: 1,
  }),
});

const backendArb = fc.record({
  key: fc.constantFrom(...CANDIDATE_KEYS),
  weight: fc.integer({ min: 1, max: 100 }),
  drain: fc.boolean(),
  backup: fc.boolean(),
  offline: fc.boolean(),
});

const worldArb: fc.Arbitrary<World> = fc.record({
  nodes: fc.array(nodeArb, { maxLength: 10 }),
  serviceType: fc.constantFrom("NodePort", "LoadBalancer", "NodePort", "ClusterIP"),
  serviceNodePort: fc.constantFrom(...PORTS),
  hasService: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, {
    arbitrary: fc.constant(false),
    weight: 1,
  }),
  endpoints: fc.array(
    fc.record({
      node: fc.option(fc.integer({ min: 0, max: 11 }), { freq: 8 }),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
    }),
    { maxLength: 8 },
  ),
  bindings: fc.array(bindingArb, { minLength: 1, maxLength: 3 }),
  actual: fc.uniqueArray(backendArb, { maxLength: 12, selector: (b) => b.key }),
  owned: fc.tuple(
    ...LBRS.map(() =>
      fc.record({
        ofActual: fc.array(fc.nat(11), { maxLength: 8 }),
        other: fc.subarray(CANDIDATE_KEYS, { maxLength: 3 }),
      })
    ),
  ),
  deregistering: fc.oneof({ arbitrary: fc.constant<string[]>([]), weight: 3 }, {
    arbitrary: fc.subarray(LBRS, { maxLength: 1 }),
    weight: 1,
  }),
  drainedAt: fc.array(
    fc.tuple(fc.constantFrom(...CANDIDATE_KEYS), fc.integer({ min: 0, max: 60_000 })),
    { maxLength: 6 },
  ),
}).map((w) => {
  const nodes: NodeInfo[] = w.nodes.map((n, i) => {
    const v4 = n.v4 === null ? [] : [{ type: "InternalIP", address: V4[n.v4] ?? "" }];
    const v6 = n.v6 === null ? [] : [{ type: "InternalIP", address: V6[n.v6] ?? "" }];
    return {
      name: `n${i}`,
      deleting: n.deleting,
      ready: n.ready,
      labels: { pool: n.pool, ...(n.excluded ? { [EXCLUDE_FROM_LB_LABEL]: n.excludeValue } : {}) },
      taints: n.tainted ? ["ToBeDeletedByClusterAutoscaler"] : [],
      addresses: n.v6First ? [...v6, ...v4] : [...v4, ...v6],
    };
  });
  const ports = [{ name: "http", port: 80, protocol: "TCP", nodePort: w.serviceNodePort }];
  const services = w.hasService ? [service("shop/web", { type: w.serviceType, ports })] : [];
  const slices = [
    slice(
      "shop/web",
      w.endpoints.map((e) =>
        endpoint(e.node === null ? undefined : `n${e.node}`, {
          ready: e.ready,
          serving: e.serving,
          terminating: e.terminating,
        })
      ),
    ),
  ];
  const bindings = w.bindings.map((b, i) =>
    binding({
      lbr: b.lbr,
      port: b.fromService
        ? { kind: "service", namespace: "shop", name: "web", port: b.servicePort }
        : { kind: "fixed", nodePort: b.nodePort },
      filterByEndpoints: b.fromService && b.filterByEndpoints,
      weight: b.weight,
      ownership: b.shared ? "Shared" : "Exclusive",
      drainSeconds: b.drainSeconds,
      ...(b.selector ? { nodeSelector: { matchLabels: { pool: "a" } } } : {}),
      ipFamily: b.ipv6 ? "IPv6" : "IPv4",
      source: `spec.services[${i}]`,
    })
  );
  const actual = w.actual.map(({ key, ...flags }) => backend(key, flags));
  const actualKey = (i: number) => w.actual[i]?.key;
  const owned = new Map(LBRS.map((lbr, i) => {
    const { ofActual = [], other = [] } = w.owned[i] ?? {};
    return [lbr, new Set([...ofActual.map(actualKey), ...other].filter((k) => k !== undefined))];
  }));
  const drainedAt = new Map(
    w.drainedAt.map(([at, ago]) =>
      [typeof at === "number" ? actualKey(at) : at, NOW - ago] as const
    )
      .filter((e): e is readonly [string, number] => e[0] !== undefined),
  );
  return {
    nodes,
    services,
    slices,
    bindings,
    actual,
    owned,
    deregistering: new Set(w.deregistering),
    drainedAt,
  };
});

/** The oracle: ip:port → active, for one binding; undefined when its port cannot be resolved. */
function oracleWants(world: World, b: Binding): Map<string, boolean> | undefined {
  let port: number | undefined;
  if (b.port.kind === "fixed") port = b.port.nodePort;
  else {
    const s = world.services[0];
    if (!s || (s.type !== "NodePort" && s.type !== "LoadBalancer")) return undefined;
    port = s.ports[0]?.nodePort;
  }
  if (port === undefined) return undefined;
  const endpointState = new Map<string, "ready" | "terminating">();
  for (const e of world.slices.flatMap((s) => s.endpoints)) {
    if (!e.nodeName) continue;
    if (e.ready) endpointState.set(e.nodeName, "ready");
    else if (e.serving && e.terminating && !endpointState.has(e.nodeName)) {
      endpointState.set(e.nodeName, "terminating");
    }
  }
  const byKey = new Map<string, { node: string; active: boolean }>();
  for (const n of world.nodes) {
    const excludeLabel = n.labels[EXCLUDE_FROM_LB_LABEL];
    if (n.deleting || (excludeLabel !== undefined && excludeLabel !== "false")) continue;
    if (b.nodeSelector && n.labels.pool !== "a") continue;
    if (n.taints.length > 0) continue;
    const state = endpointState.get(n.name);
    if (b.filterByEndpoints && !state) continue;
    const address = n.addresses.find((
      a,
    ) => (b.ipFamily === "IPv6" ? a.address.includes(":") : a.address.includes(".")));
    if (!address) continue;
    const key = ipPort(address.address, port);
    const other = byKey.get(key);
    if (other && other.node < n.name) continue;
    byKey.set(key, {
      node: n.name,
      active: n.ready && !(b.filterByEndpoints && state === "terminating"),
    });
  }
  return new Map([...byKey].map(([key, { active }]) => [key, active]));
}

function oracle(world: World) {
  const staying = world.bindings.filter((b) => !world.deregistering.has(b.lbr));
  const leaving = world.bindings.filter((b) => world.deregistering.has(b.lbr));
  const wants = staying.map((b) => oracleWants(world, b));
  const merged = new Map<string, boolean>();
  for (const w of wants) {
    for (const [key, active] of w ?? []) merged.set(key, (merged.get(key) ?? false) || active);
  }
  const failOpen = merged.size > 0 && [...merged.values()].every((active) => !active);
  if (failOpen) { for (const key of merged.keys()) merged.set(key, true); }
  const leavingWants = new Set(
    leaving.flatMap((b) => [...(oracleWants(world, b) ?? new Map()).keys()]),
  );
  const ownedUnion = new Set([...world.owned.values()].flatMap((s) => [...s]));
  return {
    merged,
    unresolved: wants.some((w) => w === undefined),
    shared: staying.length === 0 || staying.some((b) => b.ownership === "Shared"),
    changeable: (key: string) => merged.has(key) || ownedUnion.has(key) || leavingWants.has(key),
  };
}

function activeKeys(backends: readonly Backend[]): Set<string> {
  return new Set(backends.filter((b) => !b.drain).map((b) => ipPort(b.ipAddress, b.port)));
}

const RUNS = { numRuns: 1500 };

Deno.test("planBackendSet() never sends an empty IP, port 0 or a weight outside 1-100", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      for (const b of planOf(world).next) {
        assert.notEqual(b.ipAddress, "");
        assert.ok(Number.isInteger(b.port) && b.port >= 1 && b.port <= 65535);
        assert.ok(Number.isInteger(b.weight) && b.weight >= 1 && b.weight <= 100);
      }
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() leaves exactly the eligible Ready nodes active (Exclusive, nothing held)", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const o = oracle(world);
      if (world.deregistering.size > 0 || o.unresolved || o.merged.size === 0 || o.shared) return;
      const expected = new Set([...o.merged].filter(([, active]) => active).map(([key]) => key));
      assert.deepEqual(activeKeys(planOf(world).next), expected);
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() in Shared mode adds exactly the eligible Ready nodes to what it leaves alone", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const o = oracle(world);
      if (world.deregistering.size > 0 || o.unresolved || o.merged.size === 0 || !o.shared) return;
      const active = activeKeys(planOf(world).next);
      for (const [key, isActive] of o.merged) {
        if (isActive) assert.ok(active.has(key), `${key} should be active`);
      }
      const foreignActive = world.actual.filter((b) =>
        !b.drain && !o.changeable(ipPort(b.ipAddress, b.port))
      );
      const extra = [...active].filter((key) => !o.merged.get(key));
      assert.deepEqual(
        new Set(extra),
        new Set(foreignActive.map((b) => ipPort(b.ipAddress, b.port))),
      );
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() in Shared mode keeps every foreign backend exactly as read", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const o = oracle(world);
      if (!o.shared) return;
      const next = new Map(planOf(world).next.map((b) => [ipPort(b.ipAddress, b.port), b]));
      for (const b of world.actual) {
        const key = ipPort(b.ipAddress, b.port);
        if (!o.changeable(key)) assert.deepEqual(next.get(key), b, `${key} is foreign`);
      }
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() never empties a non-empty backend set outside a Deregister cleanup", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      if (world.deregistering.size > 0 || world.actual.length === 0) return;
      assert.ok(planOf(world).next.length > 0);
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() is in sync when planned again against its own result", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const first = planOf(world);
      const second = planOf(applied(world, first, NOW));
      assert.ok(second.inSync, JSON.stringify(second.changes));
      assert.deepEqual(second.next, first.next);
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() converges to the desired backends plus the foreign ones it keeps", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const o = oracle(world);
      if (world.deregistering.size > 0 || o.unresolved || o.merged.size === 0) return;
      let now = NOW;
      let state = world;
      let plan = planOf(state, now);
      for (let round = 0; round < 4 && !(plan.inSync && plan.nextWakeAt === undefined); round++) {
        state = applied(state, plan, now);
        now += 60_000;
        plan = planOf(state, now);
      }
      assert.ok(
        plan.inSync && plan.nextWakeAt === undefined,
        "the plan settles within four rounds",
      );
      const key = (b: Backend) => ipPort(b.ipAddress, b.port);
      const foreign = o.shared ? world.actual.map(key).filter((k) => !o.changeable(k)) : [];
      assert.deepEqual(new Set(plan.next.map(key)), new Set([...o.merged.keys(), ...foreign]));
    }),
    RUNS,
  );
});

Deno.test("planBackendSet() finishes a Deregister cleanup: what only the leaving LBRegistrar held is gone", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const [gone] = world.deregistering;
      if (gone === undefined) return;
      const o = oracle(world);
      const heldByOthers = new Set(
        [...world.owned].filter(([lbr]) => lbr !== gone).flatMap(([, keys]) => [...keys]),
      );
      const leavingBindings = world.bindings.filter((b) => b.lbr === gone);
      const leavingKeys = new Set([
        ...(world.owned.get(gone) ?? []),
        ...leavingBindings.flatMap((b) => [...(oracleWants(world, b) ?? new Map()).keys()]),
      ]);
      let now = NOW;
      let state = world;
      let plan = planOf(state, now);
      for (let round = 0; round < 4 && !(plan.inSync && plan.nextWakeAt === undefined); round++) {
        state = applied(state, plan, now);
        now += 60_000;
        plan = planOf(state, now);
      }
      const present = new Set(plan.next.map((b) => ipPort(b.ipAddress, b.port)));
      for (const key of leavingKeys) {
        if (!o.merged.has(key) && !heldByOthers.has(key)) {
          assert.ok(!present.has(key), `${key} is still there`);
        }
      }
      for (const outcome of plan.bindings.filter((b) => b.binding.lbr === gone)) {
        assert.deepEqual([outcome.registered, outcome.draining], [[], []]);
      }
    }),
    RUNS,
  );
});
