/**
 * Bad-input matrix, LBRegistrars: malformed and hostile objects that bypassed the CRD (wrong types,
 * huge lists, duplicate services, absurd weights, empty strings, non-OCID ids, hostile status) each
 * end InvalidSpec naming the field, with no OCI write, while a control LBRegistrar stays Ready.
 * Valid-but-odd objects (unknown fields, nulls, a `__proto__` key, a garbled status) work normally.
 */

import assert from "node:assert/strict";
import {
  DEMO_NODE_SELECTOR,
  DEMO_NODES,
  eventually,
  expectProblem,
  expectReady,
  LBR_API_VERSION,
  type MatrixRig,
  type Row,
  rowLb,
  runMatrix,
  startMatrixRig,
  WEB,
} from "./_rig.ts";

const SET = "s";

/** A valid spec for row `n`: its own load balancer, the demo nodes, the demo Service. */
function validSpec(rig: MatrixRig, n: number): Record<string, unknown> {
  return {
    loadBalancerId: rowLb("lbr", n),
    backendSetName: SET,
    services: [WEB],
    nodeSelector: DEMO_NODE_SELECTOR,
    apiKey: rig.apiKey(),
  };
}

interface Case {
  name: string;
  /** The whole object body (metadata.name is added), built from the row's valid spec. */
  body: (spec: Record<string, unknown>, rig: MatrixRig) => Record<string, unknown>;
  /** Problem fragment of an InvalidSpec row; absent for a row that must work normally. */
  fragment?: string;
  /** Extra checks once the expected condition is there. */
  also?: (rig: MatrixRig, lbr: string, n: number) => void;
}

const specOf = (change: Record<string, unknown>) => (spec: Record<string, unknown>) => ({
  spec: { ...spec, ...change },
});
const fixedPort = (spec: Record<string, unknown>) => {
  const { services: _services, ...rest } = spec;
  return { ...rest, nodePort: 30080 };
};
const badService = (change: Record<string, unknown>) => (spec: Record<string, unknown>) => ({
  spec: { ...spec, services: [{ ...WEB, ...change }] },
});

const CASES: Case[] = [
  {
    name: "spec is a string",
    body: () => ({ spec: "loadBalancerId=x" }),
    fragment: "spec: must be an object, got string",
  },
  { name: "spec is missing", body: () => ({}), fragment: "spec.loadBalancerId: is required" },
  {
    name: "spec is a list",
    body: (spec) => ({ spec: [spec] }),
    fragment: "spec: must be an object, got array",
  },
  {
    name: "loadBalancerId is a number",
    body: specOf({ loadBalancerId: 42 }),
    fragment: "spec.loadBalancerId: must be a string, got integer",
  },
  {
    name: "loadBalancerId is empty",
    body: specOf({ loadBalancerId: "" }),
    fragment: "spec.loadBalancerId: must not be empty",
  },
  {
    name: "loadBalancerId is not an OCID",
    body: specOf({ loadBalancerId: "my-load-balancer" }),
    fragment: 'spec.loadBalancerId: must be an OCID starting "ocid1.loadbalancer."',
  },
  {
    name: "loadBalancerId is an instance OCID",
    body: specOf({ loadBalancerId: "ocid1.instance.oc1.iad.aaaa" }),
    fragment:
      'must be an OCID starting "ocid1.loadbalancer." or "ocid1.networkloadbalancer.", got "ocid1.instance.oc1.iad.aaaa"',
  },
  {
    name: "backendSetName is empty",
    body: (spec) => ({ spec: { ...fixedPort(spec), backendSetName: "" } }),
    fragment: "spec.backendSetName: must not be empty",
  },
  {
    name: "backendSetName is 100,000 characters",
    body: (spec) => ({ spec: { ...fixedPort(spec), backendSetName: "b".repeat(100_000) } }),
    fragment: "spec.backendSetName: must be at most 255 characters long",
    also: (rig, lbr) => {
      const message = rig.condition(lbr, "Ready")!.message;
      assert.ok(message.length < 1000, `the message stays short (${message.length} characters)`);
    },
  },
  {
    name: "nodePort is a string",
    body: (spec) => ({ spec: { ...fixedPort(spec), nodePort: "30080" } }),
    fragment: "spec.nodePort: must be an integer, got string",
  },
  {
    name: "nodePort is 70000",
    body: (spec) => ({ spec: { ...fixedPort(spec), nodePort: 70000 } }),
    fragment: "spec.nodePort: must be from 1 to 65535, got 70000",
  },
  {
    name: "nodePort and port disagree",
    body: (spec) => ({ spec: { ...fixedPort(spec), port: 30081 } }),
    fragment: "nodePort is 30080, port is 30081",
  },
  {
    name: "weight is 0",
    body: specOf({ weight: 0 }),
    fragment: "spec.weight: must be from 1 to 100, got 0",
  },
  {
    name: "weight is one billion",
    body: specOf({ weight: 1e9 }),
    fragment: "spec.weight: must be from 1 to 100, got 1000000000",
  },
  {
    name: "weight is -2.5",
    body: specOf({ weight: -2.5 }),
    fragment: "spec.weight: must be an integer, got number",
  },
  {
    name: "weight is a string",
    body: specOf({ weight: "heavy" }),
    fragment: "spec.weight: must be an integer, got string",
  },
  {
    name: "a service weight is 101",
    body: badService({ weight: 101 }),
    fragment: "spec.services[0].weight: must be from 1 to 100, got 101",
  },
  {
    name: "services has 10,000 entries",
    body: specOf({
      services: Array.from({ length: 10_000 }, (_, i) => ({ ...WEB, backendSetName: `s${i}` })),
    }),
    fragment: "spec.services: must have at most 50 items, got 10000",
  },
  {
    name: "services lists the same Service twice",
    body: specOf({ services: [WEB, WEB] }),
    fragment:
      'spec.services[1].backendSetName: backend set "s" is already filled by spec.services[0]',
  },
  {
    name: "services is an object",
    body: specOf({ services: { web: WEB } }),
    fragment: "spec.services: must be a list, got object",
  },
  {
    name: "a services entry is a string",
    body: specOf({ services: ["default/web:http"] }),
    fragment: "spec.services[0]: must be an object, got string",
  },
  {
    name: "a service port is a boolean",
    body: badService({ port: true }),
    fragment: "spec.services[0].port: must be a port number or a port name, got boolean",
  },
  {
    name: "a service port is 0",
    body: badService({ port: 0 }),
    fragment: "spec.services[0].port: must be from 1 to 65535, got 0",
  },
  {
    name: "a service name is empty",
    body: badService({ name: "" }),
    fragment: "spec.services[0].name: must not be empty",
  },
  {
    name: "a service namespace has capitals",
    body: badService({ namespace: "Default" }),
    fragment:
      'spec.services[0].namespace: must be a namespace name (lowercase letters, digits and dashes), got "Default"',
  },
  {
    name: "service and services are both set",
    body: specOf({ service: WEB }),
    fragment: "spec.service: service and services are exclusive",
  },
  {
    name: "there is no port source",
    body: (spec) => {
      const { services: _services, ...rest } = spec;
      return { spec: rest };
    },
    fragment: "spec.services: a port source is required",
  },
  {
    name: "a nodeSelector operator is unknown",
    body: specOf({ nodeSelector: { matchExpressions: [{ key: "zone", operator: "Sometimes" }] } }),
    fragment:
      'spec.nodeSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist, got "Sometimes"',
  },
  {
    name: "a nodeSelector label value is a number",
    body: specOf({ nodeSelector: { matchLabels: { zone: 1 } } }),
    fragment: 'spec.nodeSelector.matchLabels["zone"]: must be a string, got integer',
  },
  {
    name: "nodeSelector is a list nested 500 deep",
    body: specOf({ nodeSelector: nested(500) }),
    fragment: "spec.nodeSelector: must be an object, got array",
  },
  {
    name: "addressType is unknown",
    body: specOf({ addressType: "PublicIP" }),
    fragment: 'spec.addressType: must be one of InternalIP, ExternalIP, got "PublicIP"',
  },
  {
    name: "drainSeconds is negative",
    body: specOf({ drainSeconds: -1 }),
    fragment: "spec.drainSeconds: must be from 0 to 3600, got -1",
  },
  {
    name: "apiKey.user is not a user OCID",
    body: (spec, rig) => ({ spec: { ...spec, apiKey: { ...rig.apiKey(), user: "bob" } } }),
    fragment: 'spec.apiKey.user: must be a user OCID starting "ocid1.user.", got "bob"',
  },
  {
    name: "apiKey.privateKey is missing",
    body: (spec, rig) => {
      const { privateKey: _key, ...apiKey } = rig.apiKey();
      return { spec: { ...spec, apiKey } };
    },
    fragment: "spec.apiKey.privateKey: is required",
  },
  {
    name: "apiKey is a string",
    body: specOf({ apiKey: "ocid1.user.oc1..bob" }),
    fragment: "spec.apiKey: must be an object, got string",
  },
  {
    name: "50 services and a selector are wrong in every field (2,000+ problems)",
    body: specOf({
      services: Array.from({ length: 50 }, (_, i) => ({
        name: `Web_${"x".repeat(100)}${i}`,
        namespace: "Not A Namespace".repeat(10),
        port: { name: "http" },
        weight: -i,
        filterByEndpoints: "yes",
        backendSetName: "set with spaces ".repeat(10),
      })),
      nodeSelector: {
        matchExpressions: Array.from({ length: 32 }, (_, i) => ({
          key: `${"k".repeat(400)}${i}`,
          operator: "Sometimes".repeat(20),
          values: Array.from({ length: 64 }, (_, j) => j),
        })),
      },
    }),
    fragment: "spec.services[0].name: must be at most 63 characters long",
    also: (rig, lbr) => {
      // The CRD caps condition messages at 32768 characters; a longer status patch is refused.
      const message = rig.condition(lbr, "Ready")!.message;
      assert.ok(message.length <= 32_768, `the message fits a condition (${message.length})`);
      assert.match(message, /and \d+ more problems$/);
    },
  },
  {
    name: "unknown fields everywhere are ignored",
    body: (spec) => ({
      spec: {
        ...spec,
        frobnicate: { deeply: ["odd", 1, null] },
        services: [{ ...WEB, colour: "blue" }],
        apiKey: { ...(spec.apiKey as Record<string, unknown>), comment: "ignored" },
      },
      extra: "top-level field",
    }),
  },
  {
    name: "nulls read as absent",
    body: (spec) => ({
      spec: {
        ...spec,
        weight: null,
        service: null,
        nodePort: null,
        drainSeconds: null,
        nodeSelector: { ...DEMO_NODE_SELECTOR, matchLabels: null },
      },
    }),
  },
  {
    name: "a __proto__ key is an ordinary unknown field",
    body: (spec) => ({
      spec: JSON.parse(
        JSON.stringify(spec).replace(/^\{/, '{"__proto__":{"weight":0,"polluted":true},'),
      ),
    }),
    also: () => assert.equal(({} as Record<string, unknown>).polluted, undefined),
  },
  {
    name: "a garbled status (conditions a string, backendSets a number) is replaced",
    body: (spec) => ({
      spec,
      status: { conditions: "Ready", backendSets: 42, observedGeneration: "one", phase: 7 },
    }),
    also: (rig, lbr) => {
      const status = rig.lbr(lbr)!.status as Record<string, unknown>;
      assert.equal(status.phase, "READY");
      assert.equal(status.observedGeneration, 1);
      assert.ok(Array.isArray(status.backendSets));
    },
  },
  {
    name: "status.backendSets with junk entries and foreign records is replaced",
    body: (spec) => ({
      spec,
      status: {
        backendSets: [
          null,
          "web",
          { loadBalancerId: 7, name: [] },
          {
            loadBalancerId: spec.loadBalancerId,
            name: SET,
            registered: "10.0.0.1:1",
            draining: [1, null],
          },
        ],
        conditions: [null, { type: "Ready" }, 5],
      },
    }),
    also: (rig, lbr, n) => {
      const status = rig.lbr(lbr)!.status as { backendSets: { registered: string[] }[] };
      assert.deepEqual(status.backendSets[0]?.registered, rig.expectedBackends(DEMO_NODES));
      assert.equal(rig.writes(rowLb("lbr", n)), 1);
    },
  },
];

/** `[[[…[]…]]]`, `depth` lists deep. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const ROWS: Row[] = CASES.map((c, n) => {
  const lbr = `lbr-${String(n).padStart(2, "0")}`;
  const lbId = rowLb("lbr", n);
  const valid = c.fragment === undefined;
  return {
    name: valid
      ? `a valid but odd LBRegistrar works normally: ${c.name}`
      : `an LBRegistrar is InvalidSpec naming the field when ${c.name}`,
    lbr,
    ...(valid ? {} : { noWritesTo: [lbId] }),
    arrange(rig) {
      rig.addLoadBalancer(lbId, [SET]);
      rig.createRaw(lbr, c.body(validSpec(rig, n), rig));
    },
    async verify(rig) {
      if (valid) {
        await expectReady(rig, lbr, lbId, SET, () => rig.expectedBackends(DEMO_NODES));
      } else {
        await expectProblem(rig, lbr, "InvalidSpec", c.fragment!);
        assert.equal((rig.lbr(lbr)?.status as { phase?: string } | undefined)?.phase, "ERROR");
      }
      c.also?.(rig, lbr, n);
    },
  };
});

const GARBLED_STATUS = {
  conditions: "Ready",
  backendSets: 42,
  observedGeneration: "one",
  phase: 7,
};

/** A status garbled while the operator runs is written over at the next sync. */
ROWS.push({
  name: "a valid but odd LBRegistrar works normally: a status garbled while running is repaired",
  lbr: "lbr-garbled-later",
  arrange(rig) {
    rig.addLoadBalancer(rowLb("lbr", 99), [SET]);
    rig.createRaw("lbr-garbled-later", { spec: validSpec(rig, 99) });
  },
  async verify(rig) {
    const name = "lbr-garbled-later";
    const lbId = rowLb("lbr", 99);
    await expectReady(rig, name, lbId, SET, () => rig.expectedBackends(DEMO_NODES));
    const ref = { apiVersion: LBR_API_VERSION, kind: "LBRegistrar", name };
    rig.kube.sim.patch(ref, { status: GARBLED_STATUS }, { subresource: "status" });
    // A spec change makes the engine sync and write status again.
    rig.kube.sim.patch(ref, { spec: { weight: 7 } });
    const want = rig.expectedBackends(DEMO_NODES).map((b) => `${b},w=7`);
    await eventually(
      () => {
        const status = rig.lbr(name)?.status as Record<string, unknown> | undefined;
        return status?.observedGeneration === 2 && status?.phase === "READY";
      },
      `${name}: status rewritten for generation 2 (now ${JSON.stringify(rig.lbr(name)?.status)})`,
      10_000,
    );
    assert.deepEqual(rig.backends(lbId, SET), want);
  },
});

Deno.test("createEngine() survives malformed and hostile LBRegistrars, one row each", async (t) => {
  await using rig = await startMatrixRig();
  await runMatrix(t, rig, ROWS);
  // Every InvalidSpec object got a Warning event naming its problem.
  const events = await rig.kube.sim.list("v1", "Event", { namespace: "default" });
  const invalid = events.filter((e) => e.reason === "InvalidSpec");
  const named = new Set(
    invalid.map((e) => (e.involvedObject as { name?: string } | undefined)?.name),
  );
  for (const row of ROWS) if (row.noWritesTo) assert.ok(named.has(row.lbr), `event for ${row.lbr}`);
});

Deno.test("createEngine() starts while LBRegistrars with garbled status are stored", async () => {
  const garbled = [
    GARBLED_STATUS,
    { backendSets: [null, 5, { loadBalancerId: 1 }, { name: "s", registered: "x" }] },
    { conditions: [null, 3, { type: 9 }], backendSets: { s: [] } },
    {
      backendSets: [{ loadBalancerId: rowLb("start", 0), name: SET, registered: 5, draining: {} }],
    },
  ];
  await using rig = await startMatrixRig({
    beforeStart(rig) {
      garbled.forEach((status, n) => {
        rig.addLoadBalancer(rowLb("start", n), [SET]);
        rig.createRaw(`garbled-${n}`, {
          spec: { ...validSpec(rig, n), loadBalancerId: rowLb("start", n) },
          status,
        });
      });
    },
  });
  for (const n of garbled.keys()) {
    await expectReady(
      rig,
      `garbled-${n}`,
      rowLb("start", n),
      SET,
      () => rig.expectedBackends(DEMO_NODES),
    );
  }
  rig.assertControlHealthy();
});
