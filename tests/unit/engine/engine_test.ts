import assert from "node:assert/strict";
import type { LBRegistrarSpec } from "../../../src/api/types.ts";
import { createEngine, type EngineOptions } from "../../../src/engine/engine.ts";
import { OciError, type OciErrorKind } from "../../../src/oci/errors.ts";
import {
  createFakeCluster,
  createFakeLoadBalancers,
  type FakeCluster,
  type FakeLoadBalancers,
  type OciOperation,
} from "../../support/fake_ports.ts";
import { createManualClock, type ManualClock } from "../../support/manual_clock.ts";
import { keys, node } from "../../support/plan_fixtures.ts";

const LB = "ocid1.loadbalancer.oc1.phx.aaaatest";
const LB2 = "ocid1.networkloadbalancer.oc1.phx.aaaatest";
const DEBOUNCE = 1000;

const spec = (
  loadBalancerId: string,
  backendSetName: string,
  nodePort: number,
): LBRegistrarSpec => ({
  loadBalancerId,
  backendSetName,
  nodePort,
});

interface Harness {
  clock: ManualClock;
  cluster: FakeCluster;
  oci: FakeLoadBalancers;
  /** Stops the engine and waits for it. */
  stop(): Promise<void>;
}

/**
 * Nodes n1..n3; objects "one" (LB/a, port 30080), "two" (LB/b, 30081) and "three" (LB2/c, 30082);
 * the engine running on a manual clock with no jitter, its first sync done.
 */
async function start(overrides: Partial<EngineOptions> = {}): Promise<Harness> {
  const clock = createManualClock();
  const cluster = createFakeCluster();
  const oci = createFakeLoadBalancers(() => clock.now());
  for (const name of ["n1", "n2", "n3"]) cluster.setNode(node(name));
  for (const [lb, set] of [[LB, "a"], [LB, "b"], [LB2, "c"]] as const) oci.seed(lb, set);
  cluster.applyLbr("one", spec(LB, "a", 30080));
  cluster.applyLbr("two", spec(LB, "b", 30081));
  cluster.applyLbr("three", spec(LB2, "c", 30082));
  const engine = createEngine({
    cluster,
    oci,
    operatorNamespace: "lbr-system",
    clock,
    random: () => 0,
    debounceMs: DEBOUNCE,
    resyncMs: 3_600_000,
    workRequestPollMs: 1000,
    ...overrides,
  });
  const controller = new AbortController();
  const done = engine.run(controller.signal);
  await clock.advance(2000);
  return {
    clock,
    cluster,
    oci,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const ready = (cluster: FakeCluster, name: string) =>
  cluster.statusOf(name)?.conditions?.find((c) => c.type === "Ready");

Deno.test("createEngine() first registers every node in every backend set and reports Ready", async () => {
  const h = await start();
  assert.deepEqual(keys(h.oci.backends(LB, "a")), [
    "10.0.0.1:30080",
    "10.0.0.2:30080",
    "10.0.0.3:30080",
  ]);
  assert.deepEqual(keys(h.oci.backends(LB2, "c")), [
    "10.0.0.1:30082",
    "10.0.0.2:30082",
    "10.0.0.3:30082",
  ]);
  for (const name of ["one", "two", "three"]) {
    assert.equal(ready(h.cluster, name)?.status, "True", name);
  }
  assert.equal(h.oci.overlaps(), 0);
  await h.stop();
});

Deno.test("createEngine() turns a burst of node changes into one sync per backend set", async () => {
  const h = await start();
  const before = h.oci.calls.length;
  for (const name of ["n4", "n5", "n6", "n7"]) {
    h.cluster.setNode(node(name));
    await h.clock.advance(200);
  }
  h.cluster.setNode(node("n2", { labels: { pool: "blue" } }));
  const burst = h.oci.calls.slice(before);
  assert.equal(burst.length, 0, "nothing is read before the debounce ends");

  await h.clock.advance(DEBOUNCE + 2000);
  const calls = h.oci.calls.slice(before);
  for (const set of ["a", "b", "c"]) {
    assert.equal(
      calls.filter((c) => c.op === "getBackendSet" && c.backendSetName === set).length,
      1,
      set,
    );
    assert.equal(
      calls.filter((c) => c.op === "replaceBackends" && c.backendSetName === set).length,
      1,
      set,
    );
  }
  assert.equal(h.oci.backends(LB, "a").length, 7);
  await h.stop();
});

Deno.test("createEngine() keeps one mutation in flight per load balancer across objects", async () => {
  const h = await start();
  h.oci.holdWorkRequests();
  const before = h.oci.calls.length;
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE + 10_000);
  const puts = () => h.oci.calls.slice(before).filter((c) => c.op === "replaceBackends");
  // LB's first write waits for its work request; LB2 is another load balancer and goes ahead.
  assert.deepEqual(
    puts().map((c) => `${c.loadBalancerId === LB ? "LB" : "LB2"}/${c.backendSetName}`),
    [
      "LB/a",
      "LB2/c",
    ],
  );

  h.oci.finishWorkRequests();
  await h.clock.advance(10_000);
  assert.deepEqual(puts().map((c) => c.backendSetName), ["a", "c", "b"]);
  assert.equal(h.oci.overlaps(), 0);
  assert.equal(h.oci.backends(LB, "b").length, 4);
  await h.stop();
});

const RETRIES: {
  kind: OciErrorKind;
  op: OciOperation;
  delays: [number, number];
  reason: string;
  condition: string;
}[] = [
  {
    kind: "conflict",
    op: "replaceBackends",
    delays: [1000, 2000],
    reason: "WorkRequestPending",
    condition: "Reconciling",
  },
  {
    kind: "throttled",
    op: "getBackendSet",
    delays: [2000, 4000],
    reason: "Throttled",
    condition: "Reconciling",
  },
  {
    kind: "transient",
    op: "replaceBackends",
    delays: [1000, 2000],
    reason: "OciError",
    condition: "Reconciling",
  },
  {
    kind: "precondition",
    op: "replaceBackends",
    delays: [0, 500],
    reason: "OciError",
    condition: "Reconciling",
  },
  {
    kind: "lb-not-found",
    op: "getBackendSet",
    delays: [30_000, 60_000],
    reason: "LoadBalancerNotFound",
    condition: "Stalled",
  },
  {
    kind: "auth",
    op: "getBackendSet",
    delays: [30_000, 60_000],
    reason: "CredentialsError",
    condition: "Stalled",
  },
];

for (const { kind, op, delays, reason, condition } of RETRIES) {
  Deno.test(`createEngine() retries an OCI failure of kind ${kind} after ${delays.join(" then ")} ms, showing ${reason}`, async () => {
    const h = await start();
    h.oci.failNext(op, new OciError(`injected ${kind}`, { kind }), 2, "a");
    const t0 = h.clock.now();
    // A new port for "one" only, so set "a" has its lane to itself.
    h.cluster.applyLbr("one", spec(LB, "a", 30070));
    await h.clock.advance(DEBOUNCE);
    const reads = () =>
      h.oci.calls.filter((c) => c.op === "getBackendSet" && c.backendSetName === "a" && c.at >= t0)
        .map((c) => c.at - t0 - DEBOUNCE);
    // After a 412 the first re-read is immediate.
    assert.deepEqual(reads(), delays[0] === 0 ? [0, 0] : [0]);
    const shown = h.cluster.statusOf("one")?.conditions?.find((c) => c.type === condition);
    assert.equal(`${shown?.status}/${shown?.reason}`, `True/${reason}`);

    await h.clock.advance(delays[0] + delays[1] + 5000);
    assert.deepEqual(reads(), [0, delays[0], delays[0] + delays[1]]);
    assert.deepEqual(
      keys(h.oci.backends(LB, "a")),
      ["10.0.0.1:30070", "10.0.0.2:30070", "10.0.0.3:30070"],
      "the third attempt wrote",
    );
    assert.equal(ready(h.cluster, "one")?.status, "True");
    await h.stop();
  });
}

Deno.test("createEngine() never syncs for a status-only change of an LBRegistrar", async () => {
  // The fake echoes each status write back as an LBRegistrar change, as the real watch does.
  const h = await start();
  const calls = h.oci.calls.length;
  const writes = h.cluster.statuses.length;
  assert.ok(writes > 0);
  h.cluster.patchStatus("one", { phase: "ERROR" });
  await h.clock.advance(DEBOUNCE * 20);
  assert.equal(h.oci.calls.length, calls, "no OCI call");
  assert.equal(h.cluster.statuses.length, writes + 1, "no status write answers a status write");

  h.cluster.applyLbr("one", spec(LB, "a", 30090));
  await h.clock.advance(DEBOUNCE * 5);
  assert.equal(h.oci.count("replaceBackends", "a"), 2, "a spec change does sync");
  await h.stop();
});

Deno.test("createEngine() reports Ready only once every backend set of an object is synced", async () => {
  const h = await start();
  h.oci.holdWorkRequests();
  h.oci.seed(LB, "d");
  h.cluster.applyLbr("pair", {
    loadBalancerId: LB,
    services: [
      { name: "web", namespace: "default", port: 80, backendSetName: "b" },
      { name: "web", namespace: "default", port: 80, backendSetName: "d" },
    ],
  });
  h.cluster.setService({
    namespace: "default",
    name: "web",
    type: "NodePort",
    ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30099 }],
  });
  await h.clock.advance(DEBOUNCE + 5000);
  assert.notEqual(ready(h.cluster, "pair")?.status, "True", "b is written, d waits behind it");
  h.oci.finishWorkRequests();
  await h.clock.advance(10_000);
  assert.equal(ready(h.cluster, "pair")?.status, "True");
  assert.equal(h.cluster.statusOf("pair")?.backendSets?.length, 2);
  await h.stop();
});

async function syncOnce(cluster: FakeCluster, oci: FakeLoadBalancers, clock: ManualClock) {
  const engine = createEngine({
    cluster,
    oci,
    operatorNamespace: "lbr-system",
    clock,
    random: () => 0,
    workRequestPollMs: 1000,
  });
  let result: boolean | undefined;
  const run = engine.syncOnce(new AbortController().signal).then((r) => (result = r));
  while (result === undefined) await clock.advance(100);
  await run;
  return result;
}

function onceFixture() {
  const clock = createManualClock();
  const cluster = createFakeCluster();
  const oci = createFakeLoadBalancers(() => clock.now());
  for (const name of ["n1", "n2"]) cluster.setNode(node(name));
  oci.seed(LB, "a");
  oci.seed(LB2, "c");
  cluster.applyLbr("one", spec(LB, "a", 30080));
  cluster.applyLbr("three", spec(LB2, "c", 30082));
  return { clock, cluster, oci };
}

Deno.test("createEngine().syncOnce() is true when every object ends Ready", async () => {
  const { clock, cluster, oci } = onceFixture();
  assert.equal(await syncOnce(cluster, oci, clock), true);
  assert.equal(oci.backends(LB, "a").length, 2);
  assert.equal(oci.backends(LB2, "c").length, 2);
  assert.equal(await syncOnce(cluster, oci, clock), true, "again, with nothing to write");
  assert.equal(oci.count("replaceBackends"), 2);
});

Deno.test("createEngine().syncOnce() is false when one set fails, and does not retry it", async () => {
  const { clock, cluster, oci } = onceFixture();
  oci.failNext("replaceBackends", new OciError("injected", { kind: "transient" }));
  assert.equal(await syncOnce(cluster, oci, clock), false);
  await clock.advance(120_000);
  assert.equal(oci.count("replaceBackends"), 2, "one failed, one written, no retry");
  assert.equal(oci.backends(LB2, "c").length + oci.backends(LB, "a").length, 2);
});

Deno.test("createEngine() names the LBRegistrar and Secret whose key OCI refused", async () => {
  const h = await start();
  h.cluster.setSecret("keys/oci", { pem: "-----BEGIN PRIVATE KEY-----\n..." });
  h.oci.failNext("getBackendSet", new OciError("401 NotAuthenticated", { kind: "auth" }), 1, "a");
  h.cluster.applyLbr("one", {
    ...spec(LB, "a", 30080),
    apiKey: {
      user: "ocid1.user.oc1..aaaa",
      tenancy: "ocid1.tenancy.oc1..aaaa",
      fingerprint: "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
      privateKey: { namespace: "keys", secretKeyRef: { name: "oci", key: "pem" } },
    },
  });
  await h.clock.advance(DEBOUNCE);
  const stalled = h.cluster.statusOf("one")?.conditions?.find((c) => c.type === "Stalled");
  assert.equal(stalled?.reason, "CredentialsError");
  assert.equal(
    stalled?.message,
    'Cannot use the API key of LBRegistrar "one" (secret "keys/oci" key "pem"): 401 NotAuthenticated',
  );
  await h.stop();
});

Deno.test("createEngine() leaves the backends of a deleted LBRegistrar in place (Retain)", async () => {
  const h = await start();
  const calls = h.oci.calls.length;
  const writes = h.cluster.statuses.length;
  h.cluster.deleteLbr("one");
  h.cluster.setNode(node("n4"));
  await h.clock.advance(DEBOUNCE * 5);
  const after = h.oci.calls.slice(calls);
  assert.equal(after.filter((c) => c.backendSetName === "a").length, 0, "set a is nobody's now");
  assert.equal(h.oci.backends(LB, "a").length, 3);
  assert.equal(h.oci.backends(LB, "b").length, 4, "other objects still follow the cluster");
  assert.equal(h.cluster.statuses.slice(writes).filter((s) => s.name === "one").length, 0);
  await h.stop();
});
