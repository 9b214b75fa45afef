/**
 * The original README's LBRegistrar examples (single service, multiple services), with the rig's
 * OCIDs and Secret, on the classic LB and the NLB: every eligible node at the right NodePort and
 * weight, and a Ready status that lists what was registered.
 */
import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  OPERATOR_NAMESPACE,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

interface Expected {
  set: string;
  port: number;
  nodes: string[];
  weight: number;
}

interface Example {
  name: string;
  lbId: string;
  spec: (rig: Rig) => Record<string, unknown>;
  expected: Expected[];
}

/** The README's apiKey block: the Secret namespace spelt out, as the README does. */
function readmeApiKey(rig: Rig) {
  const apiKey = rig.apiKey() as { privateKey: { secretKeyRef: unknown } };
  return {
    ...apiKey,
    privateKey: { namespace: OPERATOR_NAMESPACE, secretKeyRef: apiKey.privateKey.secretKeyRef },
  };
}

const EXAMPLES: Example[] = [
  {
    name: "single-service example on the classic LB",
    lbId: DEMO_LB_ID,
    spec: (rig) => ({
      loadBalancerId: DEMO_LB_ID,
      backendSetName: "web-http",
      weight: 1,
      apiKey: readmeApiKey(rig),
      service: { name: "web", namespace: "default", port: "http", filterByEndpoints: true },
    }),
    // The demo EndpointSlice has ready endpoints on node-1 and node-2 only.
    expected: [{ set: "web-http", port: 30080, nodes: ["node-1", "node-2"], weight: 1 }],
  },
  {
    name: "single-service example on the NLB",
    lbId: DEMO_NLB_ID,
    spec: (rig) => ({
      loadBalancerId: DEMO_NLB_ID,
      backendSetName: "web-tcp",
      weight: 4,
      apiKey: readmeApiKey(rig),
      service: { name: "web", namespace: "default", port: "https", filterByEndpoints: true },
    }),
    expected: [{ set: "web-tcp", port: 30443, nodes: ["node-1", "node-2"], weight: 4 }],
  },
  {
    name: "multi-service example on the classic LB",
    lbId: DEMO_LB_ID,
    spec: (rig) => ({
      loadBalancerId: DEMO_LB_ID,
      apiKey: readmeApiKey(rig),
      services: [
        {
          name: "web",
          namespace: "default",
          port: "https",
          backendSetName: "web-https",
          weight: 1,
          filterByEndpoints: true,
        },
        {
          name: "web",
          namespace: "default",
          port: "http",
          backendSetName: "web-http",
          weight: 3,
          filterByEndpoints: false,
        },
      ],
    }),
    expected: [
      { set: "web-http", port: 30080, nodes: ["node-1", "node-2", "node-3"], weight: 3 },
      { set: "web-https", port: 30443, nodes: ["node-1", "node-2"], weight: 1 },
    ],
  },
  {
    name: "multi-service example on the NLB",
    lbId: DEMO_NLB_ID,
    spec: (rig) => ({
      loadBalancerId: DEMO_NLB_ID,
      apiKey: readmeApiKey(rig),
      // The NLB has one set; a port number (not a name) selects the Service port.
      services: [
        { name: "web", namespace: "default", port: 80, backendSetName: "web-tcp", weight: 2 },
      ],
    }),
    expected: [{ set: "web-tcp", port: 30080, nodes: ["node-1", "node-2", "node-3"], weight: 2 }],
  },
];

for (const example of EXAMPLES) {
  Deno.test(`createEngine() registers the README ${example.name} and reports READY`, async () => {
    await using rig = await startRig();
    rig.createLbr("readme", example.spec(rig));
    rig.startEngine();
    await eventually(
      () => condition(rig.lbr("readme"), "Ready") === "True/BackendsRegistered",
      "Ready",
      10_000,
    );
    // Ready means every set is done, not just the first one.
    for (const { set, port, nodes, weight } of example.expected) {
      const suffix = weight === 1 ? "" : `,w=${weight}`;
      assert.deepEqual(
        rig.backends(example.lbId, set),
        nodes.map((n) => `${rig.nodeIp(n)}:${port}${suffix}`).sort(),
        set,
      );
    }
    await rig.quiet();
    for (const { set } of example.expected) {
      assert.equal(rig.putsTo(example.lbId, set), 1, `one PUT to ${set}`);
    }
    const status = rig.lbr("readme")?.status as Record<string, unknown>;
    assert.equal(status.phase, "READY");
    assert.equal(status.observedGeneration, 1);
    assert.equal(
      status.backendCount,
      example.expected.reduce((sum, e) => sum + e.nodes.length, 0),
    );
    const sets = status.backendSets as Record<string, unknown>[];
    assert.deepEqual(
      sets.map((s) => ({
        loadBalancerId: s.loadBalancerId,
        name: s.name,
        port: s.port,
        service: s.service,
        registered: [...(s.registered as string[])].sort(),
        draining: s.draining,
      })),
      [...example.expected].sort((a, b) => a.set.localeCompare(b.set)).map((e) => ({
        loadBalancerId: example.lbId,
        name: e.set,
        port: e.port,
        service: "default/web",
        registered: e.nodes.map((n) => `${rig.nodeIp(n)}:${e.port}`).sort(),
        draining: [],
      })),
    );
    assert.equal(condition(rig.lbr("readme"), "Stalled"), "False/BackendsRegistered");
    assert.equal(rig.oci.counters().total.conflicts, 0);
    assert.equal(rig.oci.counters().total.overlaps, 0);
  });
}
