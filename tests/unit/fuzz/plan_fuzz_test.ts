/**
 * Fuzz of diffBackends() and planBackendSet() with the inputs tests/unit/plan/plan_properties_test.ts
 * leaves out: addresses that are not IPs or are spelt oddly, Services with absurd ports, Bindings
 * with weights or drain delays normalise() would refuse, invalid selectors, and OCI lists holding
 * duplicates, odd IPv6 spellings and weights outside 1–100. Properties: no throw; whatever the plan
 * adds or reweights is valid; what it keeps is as read; applying a diff yields what is desired; and
 * planning again against the result is in sync.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type { Binding } from "../../../src/api/binding.ts";
import { EXCLUDE_FROM_LB_LABEL } from "../../../src/api/constants.ts";
import type { LabelSelector } from "../../../src/api/types.ts";
import type { DesiredBackend } from "../../../src/plan/desired_backends.ts";
import { backendKey, diffBackends, type Removal } from "../../../src/plan/diff.ts";
import { canonicalIp } from "../../../src/plan/ip_address.ts";
import {
  type Backend,
  type EndpointSliceInfo,
  ipPort,
  type NodeInfo,
  type ServiceInfo,
} from "../../../src/plan/model.ts";
import { binding, NOW } from "../../support/plan_fixtures.ts";
import { applied, planOf, type World } from "../../support/plan_world.ts";
import { oddString } from "./_arbitraries.ts";

const RUNS = { numRuns: 2000 };

/** IPs in several spellings: the same IPv6 address written three ways, and IPv4s. */
const IPS = [
  "10.0.0.1",
  "10.0.0.2",
  "10.0.0.3",
  "fd00::1",
  "FD00:0:0::1",
  "fd00:0000::0001",
  "fd00::2",
];
const NODE_ADDRESSES = [
  ...IPS,
  "127.0.0.1",
  "169.254.0.9",
  "fe80::1",
  "0.0.0.0",
  "10.0.0.256",
  "010.0.0.1",
  "host.example",
  "",
  "::ffff:10.0.0.1",
  "1.2.3.4/32",
];
const NAMES = ["n0", "n1", "n2", "n3", "n4", "n5"];
const LBRS = ["a", "b", "c"];
const PORTS = [30080, 30081, 8080];

const addressArb = fc.record({
  type: fc.constantFrom("InternalIP", "InternalIP", "ExternalIP", "Hostname", ""),
  address: fc.oneof(fc.constantFrom(...NODE_ADDRESSES), oddString),
});

const nodeArb = (name: string): fc.Arbitrary<NodeInfo> =>
  fc.record({
    name: fc.constant(name),
    deleting: fc.boolean(),
    labels: fc.dictionary(
      fc.constantFrom("pool", EXCLUDE_FROM_LB_LABEL, "bad key!", ""),
      fc.constantFrom("a", "b", "false", "", "x".repeat(80)),
      { maxKeys: 2 },
    ),
    taints: fc.subarray(["ToBeDeletedByClusterAutoscaler", "karpenter.sh/disrupted", "", "other"]),
    ready: fc.boolean(),
    addresses: fc.array(addressArb, { maxLength: 4 }),
  });

const nodesArb = fc.subarray(NAMES).chain((names) => fc.tuple(...names.map(nodeArb)));

const numberish = fc.oneof(
  fc.constantFrom(...PORTS, 0, -1, 65536, 70000, 1.5, Number.NaN, Number.POSITIVE_INFINITY),
  fc.integer({ min: -10, max: 70000 }),
);

const serviceArb: fc.Arbitrary<ServiceInfo> = fc.record({
  namespace: fc.constant("shop"),
  name: fc.constantFrom("web", "api"),
  type: fc.constantFrom("NodePort", "LoadBalancer", "ClusterIP", "", "ExternalName", "nodeport"),
  ports: fc.array(
    fc.record({
      name: fc.constantFrom("http", "https", "80", ""),
      port: fc.oneof(fc.constantFrom(80, 443, 0, -1), fc.integer()),
      protocol: fc.constantFrom("TCP", "UDP", "SCTP", ""),
      nodePort: numberish,
    }, { requiredKeys: ["port", "protocol"] }),
    { maxLength: 3 },
  ),
});

const sliceArb: fc.Arbitrary<EndpointSliceInfo> = fc.record({
  namespace: fc.constantFrom("shop", "other"),
  name: fc.constant("slice"),
  serviceName: fc.constantFrom("web", "api", ""),
  endpoints: fc.array(
    fc.record({
      nodeName: fc.constantFrom(...NAMES, "ghost", ""),
      ready: fc.boolean(),
      serving: fc.boolean(),
      terminating: fc.boolean(),
    }, { requiredKeys: ["ready", "serving", "terminating"] }),
    { maxLength: 6 },
  ),
});

/** Bindings of the one set, some with values normalise() would refuse. */
const bindingArb: fc.Arbitrary<Binding> = fc.record({
  lbr: fc.constantFrom(...LBRS),
  port: fc.oneof(
    fc.record({ kind: fc.constant("fixed" as const), nodePort: numberish }),
    fc.record({
      kind: fc.constant("service" as const),
      namespace: fc.constant("shop"),
      name: fc.constantFrom("web", "api", "missing"),
      port: fc.constantFrom<number | string>("http", "https", 80, "80", 443, "", "nope"),
    }),
  ),
  weight: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 100 }), weight: 8 },
    { arbitrary: fc.constantFrom(0, 101, -1, 1.5, Number.NaN, 1e9), weight: 1 },
  ),
  filterByEndpoints: fc.boolean(),
  selector: fc.constantFrom<LabelSelector | undefined>(
    undefined,
    { matchLabels: { pool: "a" } },
    { matchExpressions: [{ key: "pool", operator: "NotIn", values: ["b"] }] },
    { matchExpressions: [{ key: "bad key!", operator: "Exists" }] },
    { matchExpressions: [{ key: "pool", operator: "Sometimes" as "In" }] },
  ),
  addressType: fc.constantFrom("InternalIP" as const, "ExternalIP" as const),
  ipFamily: fc.constantFrom("IPv4" as const, "IPv6" as const),
  ownership: fc.constantFrom("Exclusive" as const, "Shared" as const),
  drainSeconds: fc.constantFrom(0, 30, 30, -1, Number.NaN),
}).map(({ selector, ...b }) =>
  binding({ ...b, ...(selector ? { nodeSelector: selector } : {}), source: "spec.services[0]" })
);

/** A backend OCI may hold: odd spellings, duplicates, weights outside 1–100, any flags. */
const backendArb: fc.Arbitrary<Backend> = fc.record({
  ipAddress: fc.oneof(
    fc.constantFrom(...IPS, "192.168.0.1", "host.example"),
    oddString.filter((s) => s !== ""),
  ),
  port: fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 1, max: 65535 })),
  weight: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(0, 101, 1000)),
  drain: fc.boolean(),
  backup: fc.boolean(),
  offline: fc.boolean(),
  maxConnections: fc.integer({ min: 0, max: 1000 }),
  name: fc.string({ maxLength: 6 }),
  targetId: fc.constant("ocid1.instance.oc1..x"),
}, { requiredKeys: ["ipAddress", "port", "weight", "drain", "backup", "offline"] });

const keyArb = fc.tuple(fc.constantFrom(...IPS), fc.constantFrom(...PORTS)).map(([ip, port]) =>
  ipPort(canonicalIp(ip) ?? ip, port)
);

const worldArb: fc.Arbitrary<World> = fc.record({
  nodes: nodesArb,
  services: fc.uniqueArray(serviceArb, { maxLength: 2, selector: (s) => s.name }),
  slices: fc.array(sliceArb, { maxLength: 2 }),
  bindings: fc.array(bindingArb, { minLength: 1, maxLength: 3 }),
  actual: fc.array(backendArb, { maxLength: 10 }),
  owned: fc.array(fc.tuple(fc.constantFrom(...LBRS), fc.array(keyArb, { maxLength: 4 })), {
    maxLength: 3,
  }),
  deregistering: fc.subarray(LBRS, { maxLength: 1 }),
  drainedAt: fc.array(fc.tuple(keyArb, fc.integer({ min: 0, max: 120_000 })), { maxLength: 3 }),
}).map((w) => ({
  ...w,
  slices: w.slices.map((s, i) => ({ ...s, name: `slice-${i}` })),
  owned: new Map(w.owned.map(([lbr, keys]) => [lbr, new Set(keys)])),
  deregistering: new Set(w.deregistering),
  drainedAt: new Map(w.drainedAt.map(([key, ago]) => [key, NOW - ago])),
}));

const isValidWeight = (w: number) => Number.isInteger(w) && w >= 1 && w <= 100;
const UNMANAGED = ["ipAddress", "port", "backup", "offline", "maxConnections", "name", "targetId"];

/** `after` equals `before` in every field the operator does not manage. */
function keepsUnmanaged(before: Backend, after: Backend): void {
  for (const field of UNMANAGED) {
    assert.deepEqual(
      (after as unknown as Record<string, unknown>)[field],
      (before as unknown as Record<string, unknown>)[field],
      `${field} carried as read`,
    );
  }
}

Deno.test("planBackendSet() never throws on hostile clusters, Bindings and backend lists", () => {
  fc.assert(fc.property(worldArb, (world) => void planOf(world)), RUNS);
});

Deno.test("planBackendSet() adds only valid backends and keeps everything else of what it read", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const plan = planOf(world);
      const byEntry = new Map(plan.entries.map((e) => [e, e]));
      const nextKeys = new Map<string, number>();
      for (const b of plan.next) {
        const key = backendKey(b);
        nextKeys.set(key, (nextKeys.get(key) ?? 0) + 1);
      }
      for (const entry of byEntry.keys()) {
        const { actual, next } = entry;
        if (!next) continue;
        if (!actual) {
          assert.equal(canonicalIp(next.ipAddress), next.ipAddress, "an added IP is canonical");
          assert.ok(Number.isInteger(next.port) && next.port >= 1 && next.port <= 65535);
          assert.ok(isValidWeight(next.weight), `added weight ${next.weight}`);
          assert.equal(nextKeys.get(entry.key), 1, `${entry.key} is added once, alone`);
          continue;
        }
        keepsUnmanaged(actual, next);
        if (next.weight !== actual.weight) assert.ok(isValidWeight(next.weight));
      }
      if (plan.inSync) assert.deepEqual(plan.next, world.actual);
    }),
    RUNS,
  );
});

/**
 * Found by this fuzz: two copies of one backend, held while a Binding is unresolved, when only a
 * Deregister-ing LBRegistrar recorded it; the cleanup removed the first copy and kept the second.
 */
const HELD_DUPLICATE: World = {
  nodes: [],
  services: [],
  slices: [],
  bindings: [
    binding({
      lbr: "a",
      port: { kind: "service", namespace: "shop", name: "web", port: "http" },
      drainSeconds: 0,
      source: "spec.services[0]",
    }),
  ],
  actual: [
    {
      ipAddress: "fd00:0000::0001",
      port: 8080,
      weight: 0,
      drain: false,
      backup: false,
      offline: false,
    },
    {
      ipAddress: "fd00:0000::0001",
      port: 8080,
      weight: 1,
      drain: false,
      backup: false,
      offline: false,
    },
  ],
  owned: new Map([["c", new Set(["[fd00::1]:8080"])]]),
  deregistering: new Set(["c"]),
  drainedAt: new Map(),
};

Deno.test("planBackendSet() is in sync when planned again against its own result", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const first = planOf(world);
      const second = planOf(applied(world, first, NOW));
      assert.ok(second.inSync, JSON.stringify(second.changes));
      assert.deepEqual(second.next, first.next);
    }),
    { ...RUNS, examples: [[HELD_DUPLICATE]] },
  );
});

Deno.test("planBackendSet() settles within four rounds as drains expire", () => {
  fc.assert(
    fc.property(worldArb, (world) => {
      let now = NOW;
      let state = world;
      let plan = planOf(state, now);
      for (let round = 0; round < 4 && !(plan.inSync && plan.nextWakeAt === undefined); round++) {
        state = applied(state, plan, now);
        now += 60_000;
        plan = planOf(state, now);
      }
      assert.ok(plan.inSync && plan.nextWakeAt === undefined, "settled");
    }),
    RUNS,
  );
});

/** Desired backends with canonical IPs, one per ip:port. */
const desiredArb: fc.Arbitrary<Map<string, DesiredBackend>> = fc.array(
  fc.record({
    ip: fc.constantFrom(...IPS),
    port: fc.constantFrom(...PORTS),
    weight: fc.integer({ min: 1, max: 100 }),
    drain: fc.boolean(),
  }),
  { maxLength: 8 },
).map((list) => {
  const desired = new Map<string, DesiredBackend>();
  for (const { ip, port, weight, drain } of list) {
    const ipAddress = canonicalIp(ip)!;
    const key = ipPort(ipAddress, port);
    desired.set(key, {
      key,
      ipAddress,
      port,
      weight,
      drain,
      rule: drain ? "notReady" : "wanted",
      node: "n",
    });
  }
  return desired;
});

const actualArb = fc.array(
  fc.oneof(
    backendArb,
    fc.record({
      ip: fc.constantFrom(...IPS),
      port: fc.constantFrom(...PORTS),
      weight: fc.integer({ min: 0, max: 200 }),
      drain: fc.boolean(),
    })
      .map(({ ip, port, weight, drain }) => ({
        ipAddress: ip,
        port,
        weight,
        drain,
        backup: true,
        offline: false,
      })),
  ),
  { maxLength: 10 },
);

Deno.test("diffBackends() applied to the actual list yields exactly the desired backends", () => {
  fc.assert(
    fc.property(desiredArb, actualArb, (desired, actual) => {
      const diff = diffBackends(desired, actual);
      const byKey = new Map(diff.next.map((b) => [backendKey(b), b]));
      assert.equal(byKey.size, diff.next.length, "no ip:port twice");
      assert.deepEqual(new Set(byKey.keys()), new Set(desired.keys()));
      for (const [key, want] of desired) {
        const got = byKey.get(key)!;
        assert.equal(got.weight, want.weight);
        assert.equal(got.drain, want.drain);
        const read = actual.find((b) => backendKey(b) === key);
        if (read) keepsUnmanaged(read, got);
      }
      const again = diffBackends(desired, diff.next);
      assert.ok(again.inSync, JSON.stringify(again.changes));
      assert.deepEqual(again.next, diff.next);
      assert.equal(diff.inSync, JSON.stringify(diff.next) === JSON.stringify(actual));
    }),
    RUNS,
  );
});

Deno.test("diffBackends() with drain-before-removal empties what is unwanted once the drains expire", () => {
  fc.assert(
    fc.property(desiredArb, actualArb, fc.constantFrom(0, 1, 30), (desired, actual, seconds) => {
      const removal = (): Removal => ({
        when: "afterDrain",
        rule: "ineligible",
        drainSeconds: seconds,
      });
      const drainedAt = new Map<string, number>();
      let now = NOW;
      let list = actual;
      let diff = diffBackends(desired, list, { removal, drainedAt, now });
      const settled = () => diff.inSync && !diff.entries.some((e) => e.pending);
      for (let round = 0; round < 4 && !settled(); round++) {
        for (const entry of diff.entries) {
          if (entry.pending && !drainedAt.has(entry.key)) drainedAt.set(entry.key, now);
        }
        list = diff.next;
        now += 60_000;
        diff = diffBackends(desired, list, { removal, drainedAt, now });
      }
      assert.ok(settled(), JSON.stringify(diff.changes));
      assert.deepEqual(new Set(diff.next.map(backendKey)), new Set(desired.keys()));
    }),
    RUNS,
  );
});
