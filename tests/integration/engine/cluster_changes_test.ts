/**
 * Each kind of cluster change reaches OCI as exactly one PUT per affected backend set (none for the
 * others), with two LBRegistrars on the classic LB and one on the NLB, and the simulator never sees
 * a 409 or two mutations of one LB at once.
 */
import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

const EXCLUDE = "node.kubernetes.io/exclude-from-external-load-balancers";
const LBRS = ["http", "https", "tcp"];
const SETS = [
  { lbId: DEMO_LB_ID, set: "web-http" },
  { lbId: DEMO_LB_ID, set: "web-https" },
  { lbId: DEMO_NLB_ID, set: "web-tcp" },
] as const;
type SetName = typeof SETS[number]["set"];

/**
 * Classic LB: "http" (web-http, every node at the http NodePort) and "https" (web-https, nodes with
 * a ready endpoint, https NodePort); NLB: "tcp" (web-tcp, every node, http NodePort). Returns once
 * everything is registered and the request log is empty.
 */
async function startRegistered(): Promise<Rig> {
  const rig = await startRig();
  const service = (port: string, filterByEndpoints = false) => ({
    name: "web",
    namespace: "default",
    port,
    filterByEndpoints,
  });
  rig.createLbr("http", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-http",
    service: service("http"),
  });
  rig.createLbr("https", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-https",
    service: service("https", true),
  });
  rig.createLbr("tcp", {
    loadBalancerId: DEMO_NLB_ID,
    backendSetName: "web-tcp",
    service: service("http"),
  });
  rig.startEngine();
  await allReady(rig);
  await rig.quiet();
  rig.oci.reset();
  return rig;
}

async function allReady(rig: Rig) {
  await eventually(
    () => LBRS.every((n) => condition(rig.lbr(n), "Ready") === "True/BackendsRegistered"),
    "every LBRegistrar Ready",
    10_000,
  );
}

const at = (rig: Rig, nodes: string[], port: number, flags: Record<string, string> = {}) =>
  nodes.map((n) => `${rig.nodeIp(n)}:${port}${flags[n] ?? ""}`).sort();

const ALL = ["node-1", "node-2", "node-3"];
const WITH_ENDPOINTS = ["node-1", "node-2"];

interface Change {
  name: string;
  /** Brings the cluster to the state the change starts from (its writes are not counted). */
  before?: (rig: Rig) => void;
  change: (rig: Rig) => void;
  expected: (rig: Rig) => Record<SetName, string[]>;
  puts: Record<SetName, number>;
}

const SERVICE = { apiVersion: "v1", kind: "Service", namespace: "default", name: "web" };
const SLICE = {
  apiVersion: "discovery.k8s.io/v1",
  kind: "EndpointSlice",
  namespace: "default",
  name: "web-demo",
};

const CHANGES: Change[] = [
  {
    name: "a node added",
    change: (rig) => void rig.kube.sim.addNode("node-4"),
    expected: (rig) => ({
      "web-http": at(rig, [...ALL, "node-4"], 30080),
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": at(rig, [...ALL, "node-4"], 30080),
    }),
    puts: { "web-http": 1, "web-https": 0, "web-tcp": 1 },
  },
  {
    name: "a node deleted",
    change: (rig) => rig.kube.sim.removeNode("node-3"),
    expected: (rig) => ({
      "web-http": ["10.0.0.5:30080", "10.0.0.6:30080"],
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": ["10.0.0.5:30080", "10.0.0.6:30080"],
    }),
    puts: { "web-http": 1, "web-https": 0, "web-tcp": 1 },
  },
  {
    name: "a node turning NotReady",
    change: (rig) => void rig.kube.sim.setNodeReady("node-2", false),
    expected: (rig) => ({
      "web-http": at(rig, ALL, 30080, { "node-2": ",drain" }),
      "web-https": at(rig, WITH_ENDPOINTS, 30443, { "node-2": ",drain" }),
      "web-tcp": at(rig, ALL, 30080, { "node-2": ",drain" }),
    }),
    puts: { "web-http": 1, "web-https": 1, "web-tcp": 1 },
  },
  {
    name: "a NotReady node turning Ready again",
    before: (rig) => void rig.kube.sim.setNodeReady("node-2", false),
    change: (rig) => void rig.kube.sim.setNodeReady("node-2", true),
    expected: (rig) => ({
      "web-http": at(rig, ALL, 30080),
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": at(rig, ALL, 30080),
    }),
    puts: { "web-http": 1, "web-https": 1, "web-tcp": 1 },
  },
  {
    name: "a node excluded by label",
    change: (rig) =>
      void rig.kube.sim.patch({ apiVersion: "v1", kind: "Node", name: "node-3" }, {
        metadata: { labels: { [EXCLUDE]: "true" } },
      }),
    // A node that still exists drains first (drainSeconds, DESIGN §8).
    expected: (rig) => ({
      "web-http": at(rig, ALL, 30080, { "node-3": ",drain" }),
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": at(rig, ALL, 30080, { "node-3": ",drain" }),
    }),
    puts: { "web-http": 1, "web-https": 0, "web-tcp": 1 },
  },
  {
    name: "a nodeSelector edit",
    change: (rig) =>
      void rig.kube.sim.patch(
        { apiVersion: "nodes.peppy-ratio.dev/v1alpha1", kind: "LBRegistrar", name: "tcp" },
        { spec: { nodeSelector: { matchLabels: { "topology.kubernetes.io/zone": "zone-1" } } } },
      ),
    expected: (rig) => ({
      "web-http": at(rig, ALL, 30080),
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": at(rig, ALL, 30080, { "node-2": ",drain", "node-3": ",drain" }),
    }),
    puts: { "web-http": 0, "web-https": 0, "web-tcp": 1 },
  },
  {
    name: "a NodePort change",
    change: (rig) =>
      void rig.kube.sim.patch(SERVICE, {
        spec: {
          ports: [
            { name: "http", protocol: "TCP", port: 80, targetPort: 8080, nodePort: 31080 },
            { name: "https", protocol: "TCP", port: 443, targetPort: 8443, nodePort: 30443 },
          ],
        },
      }),
    // The old ip:port goes in the same write that adds the new one (DESIGN §8).
    expected: (rig) => ({
      "web-http": at(rig, ALL, 31080),
      "web-https": at(rig, WITH_ENDPOINTS, 30443),
      "web-tcp": at(rig, ALL, 31080),
    }),
    puts: { "web-http": 1, "web-https": 0, "web-tcp": 1 },
  },
  {
    name: "an EndpointSlice change",
    change: (rig) => {
      const slice = rig.kube.sim.get(SLICE)!;
      const endpoints = slice.endpoints as Record<string, unknown>[];
      rig.kube.sim.update({
        ...slice,
        endpoints: [...endpoints, {
          addresses: ["10.244.3.5"],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: "node-3",
        }],
      });
    },
    expected: (rig) => ({
      "web-http": at(rig, ALL, 30080),
      "web-https": at(rig, ALL, 30443),
      "web-tcp": at(rig, ALL, 30080),
    }),
    puts: { "web-http": 0, "web-https": 1, "web-tcp": 0 },
  },
];

for (const { name, before, change, expected, puts } of CHANGES) {
  Deno.test(`createEngine() writes ${name} to OCI with one PUT per affected backend set`, async () => {
    await using rig = await startRegistered();
    if (before) {
      before(rig);
      await eventually(
        () =>
          rig.puts() >= 3 && LBRS.every((n) => condition(rig.lbr(n), "Ready")?.startsWith("True")),
        "the starting state",
        10_000,
      );
      await rig.quiet();
      rig.oci.reset();
    }
    change(rig);
    const want = expected(rig);
    await eventually(
      () => SETS.every(({ lbId, set }) => rig.backends(lbId, set).join() === want[set].join()),
      "the backend sets to follow the change",
      10_000,
    );
    await allReady(rig);
    await rig.quiet();

    for (const { lbId, set } of SETS) {
      assert.deepEqual(rig.backends(lbId, set), want[set], set);
      assert.equal(rig.putsTo(lbId, set), puts[set], `PUTs to ${set}`);
    }
    const { conflicts, overlaps } = rig.oci.counters().total;
    assert.deepEqual({ conflicts, overlaps }, { conflicts: 0, overlaps: 0 });
  });
}

Deno.test("createEngine() serialises two LBRegistrars on one LB edited at the same time", async () => {
  await using rig = await startRegistered();
  const ref = (name: string) => ({
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    name,
  });
  rig.kube.sim.patch(ref("http"), { spec: { weight: 5 } });
  rig.kube.sim.patch(ref("https"), { spec: { weight: 7 } });
  const readyAt = (name: string, generation: number) => {
    const status = rig.lbr(name)?.status as { observedGeneration?: number } | undefined;
    return status?.observedGeneration === generation &&
      condition(rig.lbr(name), "Ready") === "True/BackendsRegistered";
  };
  await eventually(
    () => readyAt("http", 2) && readyAt("https", 2),
    "Ready at generation 2",
    10_000,
  );
  // Ready at the new generation means the new weights are in OCI already.
  assert.ok(rig.backends(DEMO_LB_ID, "web-http").every((b) => b.endsWith(",w=5")));
  assert.ok(rig.backends(DEMO_LB_ID, "web-https").every((b) => b.endsWith(",w=7")));
  await rig.quiet();
  assert.equal(rig.putsTo(DEMO_LB_ID, "web-http"), 1);
  assert.equal(rig.putsTo(DEMO_LB_ID, "web-https"), 1);
  assert.equal(rig.putsTo(DEMO_NLB_ID, "web-tcp"), 0);
  assert.deepEqual(rig.oci.counters().byLb[DEMO_LB_ID], {
    requests: rig.oci.counters().byLb[DEMO_LB_ID]!.requests,
    mutations: 2,
    conflicts: 0,
    overlaps: 0,
  });
});
