import assert from "node:assert/strict";
import { planDocument } from "../../../../src/cli/plan/plan_document.ts";
import { planText } from "../../../../src/cli/plan/plan_text.ts";
import type { PlannedSet, PlanReport } from "../../../../src/engine/plan_report.ts";
import { indexCluster } from "../../../../src/plan/cluster.ts";
import { planBackendSet } from "../../../../src/plan/plan_backend_set.ts";
import { backend, BACKEND_SET, binding, LB_ID, node, NOW } from "../../../support/plan_fixtures.ts";

const cluster = indexCluster({
  nodes: new Map(["n1", "n2"].map((name) => [name, node(name)])),
  services: new Map(),
  slices: new Map(),
});

/** A set planned by the real planner: n1 registered, n2 to add. */
function pendingSet(): PlannedSet {
  const plan = planBackendSet(cluster, {
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    bindings: [binding()],
    actual: [backend("10.0.0.1:30080")],
    now: NOW,
  });
  return {
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    lbRegistrars: ["web"],
    deregistering: [],
    paused: false,
    plan,
  };
}

function report(sets: PlannedSet[], problem = false): PlanReport {
  return {
    sets,
    objects: [{
      name: "web",
      paused: false,
      deleting: false,
      ...(problem
        ? { problem: { reason: "InvalidSpec" as const, message: "spec.weight: 500" } }
        : {}),
    }],
    nodeWithIp: (ip) => (ip === "10.0.0.2" ? "n2" : ip === "10.0.0.1" ? "n1" : undefined),
  };
}

Deno.test("planDocument() exits 2 for a pending change and names node and rule", () => {
  const document = planDocument(report([pendingSet()]));
  assert.equal(document.summary.exitCode, 2);
  assert.deepEqual(document.backendSets[0]?.changes, [{
    action: "add",
    backend: "10.0.0.2:30080",
    node: "n2",
    rule: "wanted",
    why: "node is eligible",
    weight: 1,
  }]);
  assert.deepEqual(document.backendSets[0]?.backends, { active: 2, draining: 0 });
});

Deno.test("planDocument() lets errors win over pending changes (exit 1)", () => {
  const failed: PlannedSet = {
    ...pendingSet(),
    backendSetName: "gone",
    error: { reason: "BackendSetNotFound", message: "not found" },
  };
  delete failed.plan;
  const document = planDocument(report([pendingSet(), failed]));
  assert.deepEqual(document.summary, {
    backendSets: 2,
    inSync: 0,
    changesPending: 1,
    errors: 1,
    exitCode: 1,
  });
  assert.equal(planDocument(report([pendingSet()], true)).summary.exitCode, 1, "an object problem");
});

Deno.test("planDocument() exits 0 when every set is in sync, and planText() says so", () => {
  const plan = planBackendSet(cluster, {
    loadBalancerId: LB_ID,
    backendSetName: BACKEND_SET,
    bindings: [binding()],
    actual: [backend("10.0.0.1:30080"), backend("10.0.0.2:30080")],
    now: NOW,
  });
  const document = planDocument(report([{ ...pendingSet(), plan }]));
  assert.equal(document.summary.exitCode, 0);
  assert.equal(
    planText(document),
    `backend set "web" of ${LB_ID} (LBRegistrar web, Exclusive): in sync: 2 active, 0 draining\n\n` +
      "Plan: 1 backend set, 1 in sync, 0 with changes pending, 0 errors\n",
  );
});
