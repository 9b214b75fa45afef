import assert from "node:assert/strict";
import { type BackendSetOutcome, statusFor } from "../../../src/api/status.ts";
import type { Condition } from "../../../src/api/types.ts";

const NOW = "2026-11-23T12:00:00Z";
const LB = "ocid1.loadbalancer.oc1.iad.a";

function set(name: string, overrides: Partial<BackendSetOutcome> = {}): BackendSetOutcome {
  return { loadBalancerId: LB, name, registered: ["10.0.0.1:30080"], draining: [], ...overrides };
}

function conditions(status: ReturnType<typeof statusFor>) {
  return Object.fromEntries(
    (status.conditions ?? []).map((c) => [c.type, `${c.status}/${c.reason}`]),
  );
}

const cases: {
  name: string;
  sets: BackendSetOutcome[];
  objectProblem?: { reason: "InvalidSpec" | "CredentialsError"; message: string };
  phase: string;
  expected: Record<string, string>;
}[] = [
  {
    name: "every set in sync is Ready",
    sets: [set("a"), set("b")],
    phase: "READY",
    expected: {
      Ready: "True/BackendsRegistered",
      Reconciling: "False/BackendsRegistered",
      Stalled: "False/BackendsRegistered",
    },
  },
  {
    name: "an object problem stalls it",
    sets: [],
    objectProblem: { reason: "InvalidSpec", message: "spec.weight: must be from 1 to 100" },
    phase: "ERROR",
    expected: {
      Ready: "False/InvalidSpec",
      Reconciling: "False/InvalidSpec",
      Stalled: "True/InvalidSpec",
    },
  },
  {
    name: "a stalled set wins over a pending work request",
    sets: [set("a", { reason: "WorkRequestPending" }), set("b", { reason: "BackendSetNotFound" })],
    phase: "ERROR",
    expected: {
      Ready: "False/BackendSetNotFound",
      Reconciling: "False/BackendSetNotFound",
      Stalled: "True/BackendSetNotFound",
    },
  },
  {
    name: "a transient retry is Reconciling",
    sets: [set("a"), set("b", { reason: "Throttled" })],
    phase: "REGISTERING",
    expected: {
      Ready: "False/Throttled",
      Reconciling: "True/Throttled",
      Stalled: "False/Throttled",
    },
  },
  {
    name: "fail static is neither Reconciling nor Stalled",
    sets: [set("a", { reason: "NoReadyEndpoints" })],
    phase: "ERROR",
    expected: {
      Ready: "False/NoReadyEndpoints",
      Reconciling: "False/NoReadyEndpoints",
      Stalled: "False/NoReadyEndpoints",
    },
  },
  {
    name: "paused with a change pending is PENDING",
    sets: [set("a", { reason: "Paused" })],
    phase: "PENDING",
    expected: { Ready: "False/Paused", Reconciling: "False/Paused", Stalled: "False/Paused" },
  },
  {
    name: "no attempt yet is PENDING and Reconciling",
    sets: [],
    phase: "PENDING",
    expected: {
      Ready: "False/WorkRequestPending",
      Reconciling: "True/WorkRequestPending",
      Stalled: "False/WorkRequestPending",
    },
  },
];

for (const c of cases) {
  Deno.test(`statusFor(): ${c.name}`, () => {
    const status = statusFor(
      {
        generation: 3,
        backendSets: c.sets,
        ...(c.objectProblem ? { objectProblem: c.objectProblem } : {}),
      },
      NOW,
    );
    assert.equal(status.phase, c.phase);
    assert.deepEqual(conditions(status), c.expected);
    assert.equal(status.observedGeneration, 3);
    assert.ok(status.conditions!.every((x) => x.observedGeneration === 3));
  });
}

Deno.test("statusFor() counts registered backends and copies each set", () => {
  const status = statusFor({
    generation: 1,
    backendSets: [
      set("a", { registered: ["10.0.0.1:1", "10.0.0.2:1"], draining: ["10.0.0.3:1"], port: 1 }),
      set("b", {
        lastWorkRequestId: "wr1",
        lastSyncTime: "2026-11-23T11:00:00Z",
        service: "ns/web",
      }),
    ],
  }, NOW);
  assert.equal(status.backendCount, 3);
  assert.equal(status.lastSyncTime, "2026-11-23T11:00:00Z");
  assert.deepEqual(status.backendSets![0], {
    loadBalancerId: LB,
    name: "a",
    port: 1,
    registered: ["10.0.0.1:1", "10.0.0.2:1"],
    draining: ["10.0.0.3:1"],
  });
  assert.equal(status.backendSets![1]!.lastWorkRequestId, "wr1");
});

Deno.test("statusFor() keeps lastTransitionTime of a condition whose status did not change", () => {
  const previous: Condition[] = [
    {
      type: "Ready",
      status: "True",
      reason: "BackendsRegistered",
      message: "",
      lastTransitionTime: "T0",
    },
    {
      type: "Stalled",
      status: "True",
      reason: "InvalidSpec",
      message: "",
      lastTransitionTime: "T0",
    },
  ];
  const status = statusFor({ generation: 2, backendSets: [set("a")], previous }, NOW);
  const byType = Object.fromEntries(status.conditions!.map((c) => [c.type, c.lastTransitionTime]));
  assert.deepEqual(byType, { Ready: "T0", Reconciling: NOW, Stalled: NOW });
});

Deno.test("statusFor() names each set in a message about several", () => {
  const status = statusFor({
    generation: 1,
    backendSets: [
      set("a", { reason: "OciError", message: "500 from OCI" }),
      set("b", { reason: "Throttled", message: "429 from OCI" }),
    ],
  }, NOW);
  const ready = status.conditions!.find((c) => c.type === "Ready")!;
  assert.equal(ready.message, 'backend set "a": 500 from OCI; backend set "b": 429 from OCI');
});
