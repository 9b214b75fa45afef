/**
 * Bad-input matrix, Services and EndpointSlices: a missing Service, the wrong type, no ports, a port
 * renamed (before and after registration), endpoints without a node or on an unknown node. Each ends
 * with its reason and no OCI write (a set already filled is kept as it is), while the control
 * LBRegistrar stays Ready. Valid-but-odd Services (UDP only, TCP and UDP on one port, a LoadBalancer
 * Service, a port number given as a string) and slices (endpoints partly unusable, conditions
 * absent) register what they should.
 */

import assert from "node:assert/strict";
import {
  DEMO_NODE_SELECTOR,
  DEMO_NODES,
  expectProblem,
  expectReady,
  type MatrixRig,
  type Row,
  rowLb,
  runMatrix,
  startMatrixRig,
} from "./_rig.ts";

const SET = "s";
const NAMESPACE = "default";
const HTTP = { name: "http", protocol: "TCP", port: 80, targetPort: 8080 };

type Port = Record<string, unknown>;

function createService(rig: MatrixRig, name: string, spec: Record<string, unknown>): void {
  rig.kube.sim.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: NAMESPACE },
    spec: { selector: { app: name }, ...spec },
  });
}

/** The nodePort the simulator allocated to the Service's port `index`. */
function nodePortOf(rig: MatrixRig, name: string, index = 0): number {
  const service = rig.kube.sim.get({
    apiVersion: "v1",
    kind: "Service",
    namespace: NAMESPACE,
    name,
  });
  const ports = (service?.spec as { ports?: Port[] } | undefined)?.ports ?? [];
  const nodePort = ports[index]?.nodePort;
  if (typeof nodePort !== "number") throw new Error(`Service ${name} has no nodePort ${index}`);
  return nodePort;
}

/** An EndpointSlice of Service `service` with `endpoints` (each gets an address). */
function createSlice(
  rig: MatrixRig,
  service: string,
  endpoints: Record<string, unknown>[],
  labelled = true,
): void {
  rig.kube.sim.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${service}-slice`,
      namespace: NAMESPACE,
      labels: labelled ? { "kubernetes.io/service-name": service } : { app: service },
    },
    addressType: "IPv4",
    endpoints: endpoints.map((e, i) => ({ addresses: [`10.244.9.${i + 1}`], ...e })),
    ports: [{ name: "http", protocol: "TCP", port: 8080 }],
  });
}

const onNode = (nodeName: string, ready = true) => ({
  nodeName,
  conditions: { ready, serving: ready, terminating: false },
});

interface Case {
  name: string;
  /** Creates the Service and slices of the row, named after the row. */
  arrange: (rig: MatrixRig, name: string) => void;
  /** The service reference's port. */
  port?: number | string;
  filterByEndpoints?: boolean;
  /** Expected reason and message fragment; absent when the row must register `ready`. */
  problem?: { reason: string; fragment: string; stalled: boolean };
  /** For a working row: the nodes registered and at which port. */
  ready?: { nodes: readonly string[]; port: (rig: MatrixRig, name: string) => number };
  /** A change made once the row is Ready, and what it must then show (nothing written). */
  later?: {
    change: (rig: MatrixRig, name: string) => void;
    problem: { reason: string; fragment: string; stalled: boolean };
  };
}

const stalled = (reason: string, fragment: string) => ({ reason, fragment, stalled: true });
const failStatic = (fragment: string) => ({
  reason: "NoReadyEndpoints",
  fragment,
  stalled: false,
});

const CASES: Case[] = [
  {
    name: "the Service does not exist",
    arrange: () => {},
    problem: stalled(
      "ServiceNotFound",
      'Cannot resolve NodePort for service "default/svc-00" port "http": the service does not exist',
    ),
  },
  {
    name: "the Service is ClusterIP",
    arrange: (rig, name) => createService(rig, name, { type: "ClusterIP", ports: [HTTP] }),
    problem: stalled("NodePortNotAllocated", "type is ClusterIP, wanted NodePort or LoadBalancer"),
  },
  {
    name: "the Service is ExternalName",
    arrange: (rig, name) =>
      createService(rig, name, { type: "ExternalName", externalName: "example.com" }),
    problem: stalled(
      "NodePortNotAllocated",
      "type is ExternalName, wanted NodePort or LoadBalancer",
    ),
  },
  {
    name: "the Service has no ports",
    arrange: (rig, name) => createService(rig, name, { type: "NodePort", ports: [] }),
    problem: stalled("NodePortNotAllocated", 'no port named "http", the service has no ports'),
  },
  {
    name: "the Service's port is named otherwise",
    arrange: (rig, name) =>
      createService(rig, name, { type: "NodePort", ports: [{ ...HTTP, name: "web" }] }),
    problem: stalled(
      "NodePortNotAllocated",
      'no port named "http", the service has "web" (80/TCP)',
    ),
  },
  {
    name: "the Service lacks the port number",
    port: 8443,
    arrange: (rig, name) => createService(rig, name, { type: "NodePort", ports: [HTTP] }),
    problem: stalled("NodePortNotAllocated", 'no port 8443, the service has "http" (80/TCP)'),
  },
  {
    name: "the Service's port is renamed after registration",
    arrange: (rig, name) => createService(rig, name, { type: "NodePort", ports: [HTTP] }),
    ready: { nodes: DEMO_NODES, port: (rig, name) => nodePortOf(rig, name) },
    later: {
      change: (rig, name) =>
        rig.kube.sim.patch(
          { apiVersion: "v1", kind: "Service", namespace: NAMESPACE, name },
          { spec: { ports: [{ ...HTTP, name: "web", nodePort: nodePortOf(rig, name) }] } },
        ),
      problem: stalled("NodePortNotAllocated", 'no port named "http"'),
    },
  },
  {
    name: "a UDP-only port",
    arrange: (rig, name) =>
      createService(rig, name, {
        type: "NodePort",
        ports: [{ name: "http", protocol: "UDP", port: 80, targetPort: 8080 }],
      }),
    ready: { nodes: DEMO_NODES, port: (rig, name) => nodePortOf(rig, name) },
  },
  {
    name: "TCP and UDP on one port number (TCP wins)",
    port: 53,
    arrange: (rig, name) =>
      createService(rig, name, {
        type: "NodePort",
        ports: [
          { name: "dns-udp", protocol: "UDP", port: 53, targetPort: 53 },
          { name: "dns-tcp", protocol: "TCP", port: 53, targetPort: 53 },
        ],
      }),
    ready: { nodes: DEMO_NODES, port: (rig, name) => nodePortOf(rig, name, 1) },
  },
  {
    name: "a LoadBalancer Service",
    arrange: (rig, name) => createService(rig, name, { type: "LoadBalancer", ports: [HTTP] }),
    ready: { nodes: DEMO_NODES, port: (rig, name) => nodePortOf(rig, name) },
  },
  {
    name: 'a port number written as the string "80"',
    port: "80",
    arrange: (rig, name) =>
      createService(rig, name, { type: "NodePort", ports: [{ ...HTTP, name: "web" }] }),
    ready: { nodes: DEMO_NODES, port: (rig, name) => nodePortOf(rig, name) },
  },
  {
    name: "endpoints without a nodeName",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [{ conditions: { ready: true } }, { conditions: { ready: true } }]);
    },
    problem: failStatic('Cannot find a ready endpoint of service "default/svc-11"'),
  },
  {
    name: "endpoints on an unknown node",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [onNode("ghost-node"), onNode("node-404")]);
    },
    problem: failStatic("3 without a ready endpoint"),
  },
  {
    name: "endpoints that are not ready",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [onNode("node-1", false), onNode("node-2", false)]);
    },
    problem: failStatic('Cannot find a ready endpoint of service "default/svc-13"'),
  },
  {
    name: "a slice without the service-name label",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [onNode("node-1")], false);
    },
    problem: failStatic('Cannot find a ready endpoint of service "default/svc-14"'),
  },
  {
    name: "a slice with no endpoints",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, []);
    },
    problem: failStatic('Cannot find a ready endpoint of service "default/svc-15"'),
  },
  {
    name: "endpoints partly without a node or on an unknown node",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [onNode("node-1"), onNode("ghost-node"), { conditions: {} }]);
    },
    ready: { nodes: ["node-1"], port: (rig, name) => nodePortOf(rig, name) },
  },
  {
    name: "endpoints without conditions (read as ready)",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [{ nodeName: "node-2" }]);
    },
    ready: { nodes: ["node-2"], port: (rig, name) => nodePortOf(rig, name) },
  },
  {
    name: "every endpoint moves to unknown nodes after registration",
    filterByEndpoints: true,
    arrange: (rig, name) => {
      createService(rig, name, { type: "NodePort", ports: [HTTP] });
      createSlice(rig, name, [onNode("node-3")]);
    },
    ready: { nodes: ["node-3"], port: (rig, name) => nodePortOf(rig, name) },
    later: {
      change: (rig, name) =>
        rig.kube.sim.patch(
          {
            apiVersion: "discovery.k8s.io/v1",
            kind: "EndpointSlice",
            namespace: NAMESPACE,
            name: `${name}-slice`,
          },
          { endpoints: [{ addresses: ["10.244.9.1"], ...onNode("ghost-node") }] },
        ),
      problem: failStatic("backends kept as they are (fail static)"),
    },
  },
];

const ROWS: Row[] = CASES.map((c, n) => {
  const lbr = `svc-${String(n).padStart(2, "0")}`;
  const lbId = rowLb("svc", n);
  const name = c.problem
    ? `${c.name}: ${c.problem.reason}`
    : c.later
    ? `${c.name}: Ready, then ${c.later.problem.reason} with the backend set kept`
    : `a valid but odd input registers normally: ${c.name}`;
  return {
    name,
    lbr,
    ...(c.problem ? { noWritesTo: [lbId] } : {}),
    arrange(rig) {
      rig.addLoadBalancer(lbId, [SET]);
      c.arrange(rig, lbr);
      rig.createLbr(lbr, {
        loadBalancerId: lbId,
        backendSetName: SET,
        services: [{
          name: lbr,
          namespace: NAMESPACE,
          port: c.port ?? "http",
          ...(c.filterByEndpoints ? { filterByEndpoints: true } : {}),
        }],
        nodeSelector: DEMO_NODE_SELECTOR,
      });
    },
    async verify(rig) {
      if (c.problem) {
        const { reason, fragment, stalled } = c.problem;
        await expectProblem(rig, lbr, reason, fragment, { stalled });
        assert.deepEqual(rig.backends(lbId, SET), []);
        return;
      }
      const { nodes, port } = c.ready!;
      const want = () => rig.expectedBackends(nodes, port(rig, lbr));
      await expectReady(rig, lbr, lbId, SET, want);
      assert.equal(rig.writes(lbId), 1);
      if (!c.later) return;
      c.later.change(rig, lbr);
      const { reason, fragment, stalled } = c.later.problem;
      await expectProblem(rig, lbr, reason, fragment, { stalled });
      await rig.quiet(200);
      assert.equal(rig.writes(lbId), 1, "no write after the change");
      assert.deepEqual(rig.backends(lbId, SET), want());
    },
  };
});

Deno.test("createEngine() handles broken and odd Services and EndpointSlices, one row each", async (t) => {
  await using rig = await startMatrixRig();
  await runMatrix(t, rig, ROWS);
});
