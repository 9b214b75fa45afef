import assert from "node:assert/strict";
import type { KubeConfig } from "@kubernetes/client-node";
import { createKubeRequest } from "../../../src/kube/_http.ts";
import {
  createLeaderElector,
  type LeaderElector,
  type LeaseRequest,
} from "../../../src/serve/leader_election.ts";
import { eventually, startTestKubeSim } from "../../support/kube_sim.ts";

const SHORT = { leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200 };
const LEASE = {
  apiVersion: "coordination.k8s.io/v1",
  kind: "Lease",
  namespace: "default",
  name: "oci-lb-registrar",
};

/** The operator's request function; the Lease needs PUT, which client-node sends like any method. */
function leaseRequest(kc: KubeConfig): LeaseRequest {
  return createKubeRequest(kc) as unknown as LeaseRequest;
}

interface Candidate {
  elector: LeaderElector;
  controller: AbortController;
  running: Promise<void>;
  stopped: number;
}

function candidate(kc: KubeConfig, identity: string): Candidate {
  const controller = new AbortController();
  const self: Partial<Candidate> = { controller, stopped: 0 };
  const elector = createLeaderElector({
    request: leaseRequest(kc),
    namespace: "default",
    identity,
    ...SHORT,
    onStoppedLeading: () => self.stopped!++,
  });
  self.elector = elector;
  self.running = elector.run(controller.signal);
  return self as Candidate;
}

async function stopAll(...candidates: Candidate[]) {
  for (const c of candidates) c.controller.abort();
  await Promise.all(candidates.map((c) => c.running));
}

Deno.test("createLeaderElector() lets exactly one of two candidates lead across renewals", async () => {
  await using kube = await startTestKubeSim();
  const a = candidate(kube.kc, "pod-a_1");
  const b = candidate(kube.kc, "pod-b_2");
  try {
    await eventually(() => a.elector.isLeader() || b.elector.isLeader(), "a leader");
    const deadline = Date.now() + 2_500; // a dozen renewals at a 200 ms retry period
    while (Date.now() < deadline) {
      assert.ok(!(a.elector.isLeader() && b.elector.isLeader()), "two leaders at once");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const leader = a.elector.isLeader() ? "pod-a_1" : "pod-b_2";
    assert.ok(a.elector.isLeader() !== b.elector.isLeader(), "exactly one leader");
    const spec = kube.sim.get(LEASE)!.spec as Record<string, unknown>;
    assert.equal(spec.holderIdentity, leader);
    assert.equal(spec.leaseDurationSeconds, 2);
    assert.match(String(spec.renewTime), /\.\d{6}Z$/);
    const renewals = kube.sim.requests.filter((r) =>
      r.method === "PUT" && r.path.endsWith("/oci-lb-registrar")
    );
    assert.ok(renewals.length >= 5, `${renewals.length} renewals`);
    assert.ok(renewals.every((r) => r.status === 200), "every renewal succeeded");
  } finally {
    await stopAll(a, b);
  }
});

Deno.test("release() hands the Lease to the other candidate", async () => {
  await using kube = await startTestKubeSim();
  const a = candidate(kube.kc, "pod-a_1");
  await eventually(() => a.elector.isLeader(), "pod-a leading");
  const b = candidate(kube.kc, "pod-b_2");
  try {
    await eventually(
      () =>
        kube.sim.requests.some((r) =>
          r.method === "GET" && r.path.endsWith("/oci-lb-registrar") && r.status === 200
        ),
      "pod-b following",
    );
    await a.elector.release();
    assert.ok(!a.elector.isLeader());
    assert.equal(a.stopped, 1);
    await eventually(() => b.elector.isLeader(), "pod-b leading after the release", 5_000);
    const spec = kube.sim.get(LEASE)!.spec as Record<string, unknown>;
    assert.equal(spec.holderIdentity, "pod-b_2");
    assert.equal(spec.leaseTransitions, 1, "one change of holder since the Lease was created");
  } finally {
    await stopAll(a, b);
  }
});

Deno.test("createLeaderElector() takes over a Lease whose holder died without releasing it", async () => {
  await using kube = await startTestKubeSim();
  const a = candidate(kube.kc, "pod-a_1");
  await eventually(() => a.elector.isLeader(), "pod-a leading");
  const b = candidate(kube.kc, "pod-b_2");
  try {
    // SIGKILL: pod-a stops renewing and never touches the Lease again.
    a.controller.abort();
    await a.running;
    assert.equal((kube.sim.get(LEASE)!.spec as Record<string, unknown>).holderIdentity, "pod-a_1");
    await eventually(() => b.elector.isLeader(), "pod-b leading once the Lease expired", 10_000);
    const spec = kube.sim.get(LEASE)!.spec as Record<string, unknown>;
    assert.equal(spec.holderIdentity, "pod-b_2");
    assert.equal(spec.leaseTransitions, 1);
  } finally {
    await stopAll(a, b);
  }
});

Deno.test("createLeaderElector() stops leading when renewals fail past the deadline, and leads again after", async () => {
  await using kube = await startTestKubeSim();
  const a = candidate(kube.kc, "pod-a_1");
  try {
    await eventually(() => a.elector.isLeader(), "pod-a leading");
    kube.sim.injectFailure({ pathPattern: "/leases/oci-lb-registrar", status: 500, count: 0 });
    await eventually(() => a.stopped === 1, "onStoppedLeading after the renew deadline", 5_000);
    assert.ok(!a.elector.isLeader());
    kube.sim.clearFailures();
    await eventually(() => a.elector.isLeader(), "pod-a leading again once the API answers", 5_000);
  } finally {
    await stopAll(a);
  }
});
