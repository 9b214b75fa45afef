/**
 * `run --leader-elect` (DESIGN §5, §8) as three operator processes on one Kubernetes simulator, with
 * the real Lease timings (15 s lease, 10 s renew deadline, 2 s retry): exactly one writes; a leader
 * stopped with SIGTERM hands the Lease back so another takes over within about one retry period; a
 * leader killed with SIGKILL is replaced only once its Lease expired; and no two ever write at once.
 *
 * Who wrote what: each process logs the work request of every write it makes ("Updating backend
 * set ..." with `workRequestId`), and the OCI simulator records the work request of every PUT.
 */
import assert from "node:assert/strict";
import { LEASE_NAME } from "../../../src/api/constants.ts";
import {
  condition,
  DEMO_LB_ID,
  eventually,
  OPERATOR_NAMESPACE,
  type Rig,
  rigFlags,
  startRig,
} from "../../support/e2e.ts";
import { logLines, type RunningChild, spawn, startCommand } from "./_start_command.ts";

const SET = "web-http";
const LEASE_DURATION_S = 15;

interface Operator {
  name: string;
  process: RunningChild;
}

function startOperator(rig: Rig, name: string): Operator {
  const process = spawn(startCommand([
    "run",
    "--leader-elect",
    ...rigFlags(rig),
    "--debounce",
    "100ms",
    "--work-request-poll",
    "200ms",
    "--metrics-addr",
    "off",
    "--health-addr",
    "off",
    "--log-format",
    "json",
  ], { POD_NAME: name }));
  return { name, process };
}

function lease(rig: Rig): { holderIdentity?: string; renewTime?: string; acquireTime?: string } {
  const object = rig.kube.sim.get({
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    namespace: OPERATOR_NAMESPACE,
    name: LEASE_NAME,
  });
  return (object?.spec ?? {}) as ReturnType<typeof lease>;
}

const holder = (rig: Rig) => (lease(rig).holderIdentity ?? "").replace(/_\d+$/, "");

/** What one process logged, in order: its writes' work requests and when it started leading. */
function story(operator: Operator): { led: number; writes: string[]; writesBeforeLeading: number } {
  const lines = logLines(operator.process.stderr());
  const led = lines.findIndex((l) => String(l.message).startsWith("Leading: acquired Lease"));
  const writes: string[] = [];
  let writesBeforeLeading = 0;
  lines.forEach((line, i) => {
    if (!String(line.message).startsWith("Updating backend set")) return;
    writes.push(String(line.workRequestId));
    if (led < 0 || i < led) writesBeforeLeading++;
  });
  return { led, writes, writesBeforeLeading };
}

/** Adds a node and waits until it is registered (some leader wrote it). */
async function addNodeAndWait(rig: Rig, node: string) {
  rig.kube.sim.addNode(node);
  const ip = rig.nodeIp(node);
  await eventually(
    () => rig.backends(DEMO_LB_ID, SET).includes(`${ip}:30080`),
    `${node} registered`,
    20_000,
  );
  await rig.quiet();
}

Deno.test("run --leader-elect lets exactly one of three processes write, across SIGTERM and SIGKILL", async () => {
  await using rig = await startRig();
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: SET,
    service: { name: "web", namespace: "default", port: "http" },
  });
  const a = startOperator(rig, "op-a");
  await using _a = a.process;
  await eventually(() => holder(rig) === "op-a", "op-a leading", 20_000);
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    20_000,
  );
  await rig.quiet();

  const b = startOperator(rig, "op-b");
  const c = startOperator(rig, "op-c");
  await using _b = b.process;
  await using _c = c.process;
  const following = (o: Operator) =>
    logLines(o.process.stderr()).some((l) => String(l.holder).startsWith("op-a_"));
  await eventually(() => following(b) && following(c), "op-b and op-c following", 20_000);
  // While they follow, the cluster sees no write but the Lease's (op-a is in steady state).
  rig.kube.sim.clearRequests();
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const writes = rig.kube.sim.requests.filter((r) =>
    r.method !== "GET" && !r.path.includes("/leases")
  );
  assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [], "followers write nothing");
  await addNodeAndWait(rig, "node-4");
  assert.equal(story(a).writes.length, 2, "op-a wrote the first sync and node-4");

  // SIGTERM: op-a hands the Lease back; a follower takes it in about one retry period.
  a.process.child.kill("SIGTERM");
  const stopped = await a.process.status;
  const releasedAt = Date.now();
  assert.equal(stopped.code, 0, a.process.stderr());
  assert.match(a.process.stderr(), /Released Lease/);
  await eventually(() => ["op-b", "op-c"].includes(holder(rig)), "a new leader", 20_000);
  const handover = Date.now() - releasedAt;
  // Within one 2 s retry period of the release, plus the requests that take the Lease.
  assert.ok(handover < 3_000, `taken over ${handover} ms after the release, not at expiry`);
  const [next, last] = holder(rig) === "op-b" ? [b, c] : [c, b];
  await addNodeAndWait(rig, "node-5");
  assert.equal(story(next).writes.length, 1, `${next.name} wrote node-5`);

  // SIGKILL: nothing is released; the last one waits for the Lease to expire.
  const renewed = Date.parse(lease(rig).renewTime!);
  next.process.child.kill("SIGKILL");
  await next.process.status;
  await eventually(() => holder(rig) === last.name, `${last.name} leading`, 30_000);
  const expiredAfter = (Date.parse(lease(rig).acquireTime!) - renewed) / 1000;
  assert.ok(
    expiredAfter >= LEASE_DURATION_S - 0.5 && expiredAfter < LEASE_DURATION_S + 5,
    `taken ${expiredAfter} s after the last renewal: at expiry, not before`,
  );
  await addNodeAndWait(rig, "node-6");
  assert.equal(story(last).writes.length, 1, `${last.name} wrote node-6`);

  // Every PUT the simulator accepted was logged by the process leading then, and by no other.
  const accepted = rig.oci.requests()
    .filter((r) => r.method === "PUT" && r.status === 202)
    .map((r) => r.workRequestId);
  const logged = [a, next, last].flatMap((o) => story(o).writes);
  assert.deepEqual(logged, accepted, "op-a's writes, then the next leader's, then the last one's");
  for (const o of [a, b, c]) assert.equal(story(o).writesBeforeLeading, 0, `${o.name} as follower`);
  const { conflicts, overlaps } = rig.oci.counters().total;
  assert.deepEqual({ conflicts, overlaps }, { conflicts: 0, overlaps: 0 });
});
