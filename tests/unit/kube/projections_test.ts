import assert from "node:assert/strict";
import { deepEqual } from "../../../src/kube/_equal.ts";
import {
  objectKey,
  projectEndpointSlice,
  projectLBRegistrar,
  projectNode,
  projectService,
} from "../../../src/kube/projections.ts";
import { rawNode } from "./_raw.ts";

Deno.test("projectNode() keeps name, labels, taint keys, readiness and addresses only", () => {
  const node = projectNode(rawNode("n1", { taints: ["karpenter.sh/disrupted"] }));
  assert.deepEqual(node, {
    name: "n1",
    deleting: false,
    labels: { "kubernetes.io/hostname": "n1" },
    taints: ["karpenter.sh/disrupted"],
    ready: true,
    addresses: [{ type: "InternalIP", address: "10.0.0.5" }, { type: "Hostname", address: "n1" }],
  });
});

Deno.test("projectNode() gives an equal projection for a heartbeat-only update", () => {
  const before = projectNode(rawNode("n1"));
  const after = projectNode(
    rawNode("n1", {
      resourceVersion: "101",
      heartbeat: "2026-11-23T19:35:14Z",
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    }),
  );
  assert.equal(deepEqual(before, after), true);
});

Deno.test("projectNode() gives a different projection when a label changes", () => {
  const before = projectNode(rawNode("n1"));
  const after = projectNode(
    rawNode("n1", { labels: { "kubernetes.io/hostname": "n1", pool: "b" } }),
  );
  assert.equal(deepEqual(before, after), false);
});

for (
  const { name, ready, expected } of [
    { name: "Ready=True is ready", ready: "True" as const, expected: true },
    { name: "Ready=False is not ready", ready: "False" as const, expected: false },
    { name: "Ready=Unknown is not ready", ready: "Unknown" as const, expected: false },
    { name: "no Ready condition is not ready", ready: null, expected: false },
  ]
) {
  Deno.test(`projectNode() readiness: ${name}`, () => {
    assert.equal(projectNode(rawNode("n1", { ready })).ready, expected);
  });
}

Deno.test("projectNode() marks a node with deletionTimestamp as deleting", () => {
  const node = projectNode(rawNode("n1", { deletionTimestamp: "2026-11-23T20:00:00Z" }));
  assert.equal(node.deleting, true);
});

Deno.test("projectNode() accepts a node with empty spec and status", () => {
  assert.deepEqual(projectNode({ metadata: { name: "bare" }, spec: {}, status: {} }), {
    name: "bare",
    deleting: false,
    labels: {},
    taints: [],
    ready: false,
    addresses: [],
  });
});

Deno.test("projectService() keeps type and ports, dropping empty names and missing nodePorts", () => {
  const service = projectService({
    metadata: { name: "web", namespace: "shop", resourceVersion: "9" },
    spec: {
      type: "NodePort",
      clusterIP: "10.0.0.89",
      ports: [
        { name: "http", protocol: "TCP", port: 80, nodePort: 31359 },
        { name: "", protocol: "UDP", port: 53 },
      ],
    },
  });
  assert.deepEqual(service, {
    namespace: "shop",
    name: "web",
    type: "NodePort",
    ports: [
      { name: "http", port: 80, protocol: "TCP", nodePort: 31359 },
      { port: 53, protocol: "UDP" },
    ],
  });
});

Deno.test("projectEndpointSlice() reads absent conditions as ready, serving = ready, not terminating", () => {
  const slice = projectEndpointSlice({
    metadata: {
      name: "web-abc",
      namespace: "shop",
      labels: { "kubernetes.io/service-name": "web" },
    },
    endpoints: [
      { nodeName: "n1", conditions: {} },
      { nodeName: "n2", conditions: { ready: false } },
      { nodeName: "n3", conditions: { ready: false, serving: true, terminating: true } },
      {},
    ],
  });
  assert.deepEqual(slice, {
    namespace: "shop",
    name: "web-abc",
    serviceName: "web",
    endpoints: [
      { nodeName: "n1", ready: true, serving: true, terminating: false },
      { nodeName: "n2", ready: false, serving: false, terminating: false },
      { nodeName: "n3", ready: false, serving: true, terminating: true },
      { ready: true, serving: true, terminating: false },
    ],
  });
});

Deno.test("projectEndpointSlice() accepts endpoints: null and ignores a slice without service label", () => {
  const labelled = { "kubernetes.io/service-name": "web" };
  assert.deepEqual(
    projectEndpointSlice({
      metadata: { name: "s", namespace: "ns", labels: labelled },
      endpoints: null,
    })
      ?.endpoints,
    [],
  );
  assert.equal(projectEndpointSlice({ metadata: { name: "s", namespace: "ns" } }), undefined);
});

Deno.test("projectLBRegistrar() drops managedFields and last-applied-configuration", () => {
  const lbr = projectLBRegistrar({
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: {
      name: "web",
      uid: "u1",
      generation: 2,
      resourceVersion: "55",
      creationTimestamp: "2026-11-23T19:00:00Z",
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "nodes.peppy-ratio.dev/paused": "true",
      },
      finalizers: ["nodes.peppy-ratio.dev/deregister"],
      managedFields: [{ manager: "kubectl" }],
    } as Record<string, unknown>,
    spec: { loadBalancerId: "ocid1.loadbalancer.oc1..a" },
    status: { phase: "READY" },
  });
  assert.deepEqual(lbr, {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: {
      name: "web",
      uid: "u1",
      generation: 2,
      resourceVersion: "55",
      creationTimestamp: "2026-11-23T19:00:00Z",
      annotations: { "nodes.peppy-ratio.dev/paused": "true" },
      finalizers: ["nodes.peppy-ratio.dev/deregister"],
    },
    spec: { loadBalancerId: "ocid1.loadbalancer.oc1..a" },
    status: { phase: "READY" },
  });
});

Deno.test("objectKey() is namespace/name for namespaced objects and name otherwise", () => {
  assert.equal(objectKey({ metadata: { name: "web", namespace: "shop" } }), "shop/web");
  assert.equal(objectKey({ metadata: { name: "n1" } }), "n1");
});

Deno.test("deepEqual() ignores key order and undefined properties but not array order", () => {
  assert.equal(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }), true);
  assert.equal(deepEqual({ a: 1, b: undefined }, { a: 1 }), true);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual({ a: [] }, { a: {} }), false);
});
