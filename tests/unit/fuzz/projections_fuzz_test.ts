/**
 * Fuzz of the kube projections (src/kube/projections.ts) over arbitrary objects: they never throw,
 * every field has the type the planner and the engine expect, and what they produce can be fed to
 * the planner and to the engine's status readers without an exception. A Node, Service, slice or
 * LBRegistrar the API server would never send (a CRD without schema, a status written by hand)
 * must not stop a reflector or the engine.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { normalise } from "../../../src/api/normalise.ts";
import { statusFor } from "../../../src/api/status.ts";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { createOwnershipRecords } from "../../../src/engine/ownership_records.ts";
import { outcomesForStatus } from "../../../src/engine/status_outcomes.ts";
import {
  objectKey,
  projectEndpointSlice,
  projectLBRegistrar,
  projectNode,
  projectService,
  type RawObject,
  SERVICE_NAME_LABEL,
} from "../../../src/kube/projections.ts";
import { planBackendSet } from "../../../src/plan/plan_backend_set.ts";
import type { EndpointSliceInfo, NodeInfo, ServiceInfo } from "../../../src/plan/model.ts";
import { BACKEND_SET, binding, cluster, LB_ID, NOW } from "../../support/plan_fixtures.ts";
import { hostile, junkObject, looseRecord, sometimes } from "./_arbitraries.ts";

const RUNS = { numRuns: 2000 };

const metadata = looseRecord({
  name: fc.constantFrom("n1", "web", "lbr"),
  namespace: fc.constantFrom("default", "shop", ""),
  uid: fc.uuid(),
  generation: fc.integer({ min: 1, max: 9 }),
  resourceVersion: fc.constant("42"),
  deletionTimestamp: fc.constant("2026-01-01T00:00:00Z"),
  labels: fc.dictionary(
    fc.constantFrom("pool", SERVICE_NAME_LABEL, "kubernetes.io/hostname"),
    sometimes(fc.constantFrom("a", "web", "")),
    { maxKeys: 3 },
  ),
  annotations: fc.dictionary(
    fc.constantFrom(
      "nodes.peppy-ratio.dev/paused",
      "kubectl.kubernetes.io/last-applied-configuration",
    ),
    sometimes(fc.constantFrom("true", "false", "{}")),
    { maxKeys: 2 },
  ),
  finalizers: fc.array(sometimes(fc.constant("nodes.peppy-ratio.dev/deregister")), {
    maxLength: 2,
  }),
});

const list = <T>(item: fc.Arbitrary<T>) =>
  fc.array(fc.oneof({ arbitrary: item, weight: 5 }, { arbitrary: hostile, weight: 1 }), {
    maxLength: 4,
  });

const rawNode = fc.oneof(
  looseRecord({
    metadata,
    spec: looseRecord({
      taints: list(looseRecord({ key: fc.constantFrom("a", "karpenter.sh/disrupted") })),
    }),
    status: looseRecord({
      conditions: list(
        looseRecord({
          type: fc.constantFrom("Ready", "DiskPressure"),
          status: fc.constantFrom("True", "False"),
        }),
      ),
      addresses: list(
        looseRecord({
          type: fc.constantFrom("InternalIP", "Hostname"),
          address: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string()),
        }),
      ),
    }),
  }),
  junkObject(["metadata", "spec", "status"]),
);

const rawService = fc.oneof(
  looseRecord({
    metadata,
    spec: looseRecord({
      type: fc.constantFrom("NodePort", "ClusterIP", "LoadBalancer"),
      ports: list(looseRecord({
        name: fc.constantFrom("http", ""),
        port: fc.integer({ min: 1, max: 65535 }),
        protocol: fc.constantFrom("TCP", "UDP"),
        nodePort: fc.integer({ min: 30000, max: 32767 }),
      })),
    }),
  }),
  junkObject(["metadata", "spec"]),
);

const rawSlice = fc.oneof(
  looseRecord({
    metadata,
    endpoints: list(looseRecord({
      nodeName: fc.constantFrom("n1", "n2", ""),
      conditions: looseRecord({
        ready: fc.boolean(),
        serving: fc.boolean(),
        terminating: fc.boolean(),
      }),
    })),
  }),
  junkObject(["metadata", "endpoints"]),
);

const rawLbr = fc.oneof(
  looseRecord({
    metadata,
    spec: sometimes(
      looseRecord({
        loadBalancerId: fc.constant(LB_ID),
        nodePort: fc.constant(30080),
        backendSetName: fc.constant(BACKEND_SET),
      }, 10),
    ),
    status: looseRecord({
      phase: fc.constantFrom("READY", "ERROR"),
      observedGeneration: fc.integer({ min: 1, max: 9 }),
      conditions: list(looseRecord({
        type: fc.constantFrom("Ready", "Stalled"),
        status: fc.constantFrom("True", "False"),
        reason: fc.constant("BackendsRegistered"),
        message: fc.string({ maxLength: 10 }),
        lastTransitionTime: fc.constant("2026-01-01T00:00:00Z"),
      })),
      backendSets: list(looseRecord({
        loadBalancerId: fc.constant(LB_ID),
        name: fc.constant(BACKEND_SET),
        port: fc.constant(30080),
        registered: list(fc.constantFrom("10.0.0.1:30080", "[fd00::1]:30080")),
        draining: list(fc.constant("10.0.0.2:30080")),
        message: fc.string({ maxLength: 10 }),
      })),
    }),
  }),
  junkObject(["metadata", "spec", "status"]),
);

const isStringMap = (value: unknown) =>
  typeof value === "object" && value !== null &&
  Object.values(value).every((v) => typeof v === "string");

function checkNode(node: NodeInfo): void {
  assert.equal(typeof node.name, "string");
  assert.equal(typeof node.deleting, "boolean");
  assert.equal(typeof node.ready, "boolean");
  assert.ok(isStringMap(node.labels), "labels are strings");
  for (const taint of node.taints) assert.equal(typeof taint, "string");
  for (const a of node.addresses) {
    assert.deepEqual([typeof a.type, typeof a.address], ["string", "string"]);
  }
}

function checkService(service: ServiceInfo): void {
  assert.deepEqual([typeof service.namespace, typeof service.name, typeof service.type], [
    "string",
    "string",
    "string",
  ]);
  for (const p of service.ports) {
    assert.equal(typeof p.port, "number");
    assert.equal(typeof p.protocol, "string");
    assert.ok(p.name === undefined || typeof p.name === "string");
    assert.ok(p.nodePort === undefined || typeof p.nodePort === "number");
  }
}

function checkSlice(slice: EndpointSliceInfo | undefined): void {
  if (slice === undefined) return;
  assert.ok(typeof slice.serviceName === "string" && slice.serviceName !== "");
  for (const e of slice.endpoints) {
    assert.deepEqual([typeof e.ready, typeof e.serving, typeof e.terminating], [
      "boolean",
      "boolean",
      "boolean",
    ]);
    assert.ok(e.nodeName === undefined || typeof e.nodeName === "string");
  }
}

function checkLbr(lbr: LBRegistrar): void {
  const { metadata, status } = lbr;
  assert.equal(typeof metadata.name, "string");
  assert.ok(metadata.annotations === undefined || isStringMap(metadata.annotations));
  for (const f of metadata.finalizers ?? []) assert.equal(typeof f, "string");
  if (status === undefined) return;
  assert.ok(
    status.observedGeneration === undefined || typeof status.observedGeneration === "number",
  );
  for (const c of status.conditions ?? []) {
    assert.deepEqual([typeof c.type, typeof c.status, typeof c.lastTransitionTime], [
      "string",
      "string",
      "string",
    ]);
  }
  for (const s of status.backendSets ?? []) {
    assert.deepEqual([typeof s.loadBalancerId, typeof s.name], ["string", "string"]);
    assert.ok(s.registered.every((k) => typeof k === "string"));
    assert.ok(s.draining.every((k) => typeof k === "string"));
    assert.ok(s.port === undefined || typeof s.port === "number");
  }
}

Deno.test("projectNode() never throws and gives the planner the types it reads", () => {
  fc.assert(fc.property(rawNode, (raw) => checkNode(projectNode(raw as RawObject))), RUNS);
});

Deno.test("projectService() never throws and gives the planner the types it reads", () => {
  fc.assert(fc.property(rawService, (raw) => checkService(projectService(raw as RawObject))), RUNS);
});

Deno.test("projectEndpointSlice() never throws and gives the planner the types it reads", () => {
  fc.assert(
    fc.property(rawSlice, (raw) => checkSlice(projectEndpointSlice(raw as RawObject))),
    RUNS,
  );
});

Deno.test("projectLBRegistrar() and objectKey() never throw and give the engine the types it reads", () => {
  fc.assert(
    fc.property(rawLbr, (raw) => {
      checkLbr(projectLBRegistrar(raw as RawObject));
      assert.equal(typeof objectKey(raw as RawObject), "string");
    }),
    RUNS,
  );
});

Deno.test("projected LBRegistrars never make the engine's status readers throw", () => {
  fc.assert(
    fc.property(rawLbr, (raw) => {
      const lbr = projectLBRegistrar(raw as RawObject);
      createOwnershipRecords().seed(lbr);
      normalise(lbr, { operatorNamespace: "lbr-system" });
      const key = `${LB_ID}/${BACKEND_SET}`;
      const known = new Map([[`${LB_ID}/other`, {
        loadBalancerId: LB_ID,
        name: "other",
        registered: [],
        draining: [],
      }]]);
      const outcomes = outcomesForStatus(known, [key], lbr);
      const status = statusFor({
        generation: lbr.metadata.generation,
        backendSets: outcomes,
        ...(lbr.status?.conditions ? { previous: lbr.status.conditions } : {}),
      }, "2026-01-01T00:00:00Z");
      // What is written back is well-formed again.
      checkLbr({ ...lbr, status });
    }),
    RUNS,
  );
});

Deno.test("projected Nodes, Services and slices never make the planner throw", () => {
  fc.assert(
    fc.property(
      fc.array(rawNode, { maxLength: 4 }),
      fc.array(rawService, { maxLength: 2 }),
      fc.array(rawSlice, { maxLength: 2 }),
      fc.boolean(),
      (nodes, services, slices, viaService) => {
        const projectedSlices = slices.map((s) => projectEndpointSlice(s as RawObject))
          .filter((s) => s !== undefined);
        const index = cluster({
          nodes: nodes.map((n) => projectNode(n as RawObject)),
          services: services.map((s) => projectService(s as RawObject)),
          slices: projectedSlices,
        });
        const port = viaService
          ? { kind: "service" as const, namespace: "default", name: "web", port: "http" }
          : { kind: "fixed" as const, nodePort: 30080 };
        planBackendSet(index, {
          loadBalancerId: LB_ID,
          backendSetName: BACKEND_SET,
          bindings: [binding({ port, filterByEndpoints: viaService })],
          actual: [],
          now: NOW,
        });
      },
    ),
    RUNS,
  );
});
