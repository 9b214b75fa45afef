import assert from "node:assert/strict";
import {
  createLeaderElector,
  holderIdentity,
  type LeaseRequest,
} from "../../../src/serve/leader_election.ts";
import { createManualClock, settle } from "../../support/manual_clock.ts";

const PATH = "/apis/coordination.k8s.io/v1/namespaces/lb-system/leases/oci-lb-registrar";
const SIX_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

interface StoredLease {
  metadata: { name: string; namespace: string; resourceVersion: string };
  spec: Record<string, unknown>;
}

interface FakeLeaseApi {
  lease: StoredLease | undefined;
  calls: { method: string; path: string; body?: StoredLease }[];
  /** Answer every request with this status. */
  failWith: number | undefined;
  /** Never answer (until the request is aborted). */
  hang: boolean;
  /** Writes the Lease as another process would. */
  put(spec: Record<string, unknown>): void;
  request: LeaseRequest;
}

/** An in-memory Lease endpoint with the API server's optimistic concurrency. */
function fakeLeaseApi(): FakeLeaseApi {
  let rv = 100;
  const api: FakeLeaseApi = {
    lease: undefined,
    calls: [],
    failWith: undefined,
    hang: false,
    put(spec: Record<string, unknown>) {
      api.lease = {
        metadata: {
          name: "oci-lb-registrar",
          namespace: "lb-system",
          resourceVersion: String(++rv),
        },
        spec,
      };
    },
    request: async (method, path, options = {}) => {
      const body = options.body as StoredLease | undefined;
      api.calls.push({ method, path, ...(body ? { body: structuredClone(body) } : {}) });
      if (api.hang) {
        return await new Promise<never>((_, reject) =>
          options.signal?.addEventListener("abort", () => reject(options.signal?.reason))
        );
      }
      if (api.failWith) {
        return { status: api.failWith, text: '{"kind":"Status","message":"injected"}' };
      }
      const answer = (status: number) => ({ status, text: JSON.stringify(api.lease ?? {}) });
      if (method === "GET") return api.lease ? answer(200) : { status: 404, text: "{}" };
      if (method === "POST") {
        if (api.lease) return { status: 409, text: "{}" };
        api.put(body!.spec);
        return answer(201);
      }
      if (body?.metadata.resourceVersion !== api.lease?.metadata.resourceVersion) {
        return { status: 409, text: "{}" };
      }
      api.put(body!.spec);
      return answer(200);
    },
  };
  return api;
}

function setup(
  wrap: (request: LeaseRequest, api: FakeLeaseApi) => LeaseRequest = (request) => request,
) {
  const clock = createManualClock();
  const api = fakeLeaseApi();
  const events: string[] = [];
  const controller = new AbortController();
  const elector = createLeaderElector({
    request: wrap(api.request, api),
    namespace: "lb-system",
    identity: "me_1",
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock,
    random: () => 0,
    onStartedLeading: () => events.push(`started@${api.calls.length}`),
    onStoppedLeading: () => events.push(`stopped@${api.calls.length}`),
  });
  const start = () => elector.run(controller.signal);
  return { clock, api, events, controller, elector, start };
}

Deno.test("holderIdentity() joins the pod name or hostname and the pid", () => {
  assert.equal(holderIdentity("oci-lb-registrar-7d9f-abcde", 1), "oci-lb-registrar-7d9f-abcde_1");
});

Deno.test("createLeaderElector() creates a missing Lease and leads", async () => {
  const { clock, api, events, controller, elector, start } = setup();
  const running = start();
  await settle();
  assert.ok(elector.isLeader());
  assert.deepEqual(api.calls.map((c) => c.method), ["GET", "POST"]);
  const spec = api.lease!.spec;
  assert.equal(spec.holderIdentity, "me_1");
  assert.equal(spec.leaseDurationSeconds, 15);
  assert.equal(spec.leaseTransitions, 0);
  assert.match(String(spec.renewTime), SIX_DIGITS);
  assert.match(String(spec.acquireTime), SIX_DIGITS);
  assert.deepEqual(events, ["started@2"]);
  controller.abort();
  await running;
  await clock.advance(0);
  assert.ok(!elector.isLeader());
  assert.deepEqual(events, ["started@2", "stopped@2"]);
});

Deno.test("createLeaderElector() renews every retry period with a conditional PUT and no GET", async () => {
  const { clock, api, controller, start } = setup();
  const running = start();
  await settle();
  const firstRenew = api.lease!.spec.renewTime;
  await clock.advance(2_000);
  await clock.advance(2_000);
  assert.deepEqual(api.calls.slice(2).map((c) => c.method), ["PUT", "PUT"]);
  assert.equal(
    api.calls[3]!.body!.metadata.resourceVersion,
    "102",
    "renews on top of its own write",
  );
  assert.notEqual(api.lease!.spec.renewTime, firstRenew);
  assert.equal(api.lease!.spec.acquireTime, api.calls[1]!.body!.spec.acquireTime);
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() follows a valid Lease with GETs only, then takes it over once expired", async () => {
  const { clock, api, events, controller, elector, start } = setup();
  api.put({
    holderIdentity: "other_2",
    leaseDurationSeconds: 15,
    acquireTime: "2026-11-23T21:00:00.000000Z",
    renewTime: "2026-11-23T21:40:00.000000Z",
    leaseTransitions: 4,
  });
  const running = start();
  await settle();
  for (let waited = 0; waited < 14_000; waited += 2_000) await clock.advance(2_000);
  assert.ok(!elector.isLeader());
  assert.ok(api.calls.every((c) => c.method === "GET"), "a follower only reads");
  await clock.advance(2_000);
  assert.ok(elector.isLeader(), "the Lease stayed unchanged for 15 s");
  assert.equal(api.lease!.spec.holderIdentity, "me_1");
  assert.equal(api.lease!.spec.leaseTransitions, 5);
  assert.equal(events.length, 1);
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() keeps following while the holder renews", async () => {
  const { clock, api, controller, elector, start } = setup();
  const renew = (n: number) =>
    api.put({
      holderIdentity: "other_2",
      leaseDurationSeconds: 15,
      renewTime: `2026-11-23T21:40:${String(n).padStart(2, "0")}.000000Z`,
      leaseTransitions: 0,
    });
  renew(0);
  const running = start();
  for (let n = 1; n <= 20; n++) {
    await clock.advance(2_000);
    renew(n);
  }
  assert.ok(!elector.isLeader());
  assert.ok(api.calls.every((c) => c.method === "GET"));
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() stops leading exactly at the renew deadline when renewals fail", async () => {
  const { clock, api, events, controller, elector, start } = setup();
  const running = start();
  await settle();
  api.failWith = 500;
  await clock.advance(9_999);
  assert.ok(elector.isLeader(), "still within the renew deadline");
  await clock.advance(1);
  assert.ok(!elector.isLeader());
  assert.deepEqual(events.map((e) => e.split("@")[0]), ["started", "stopped"]);
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() stops leading at the deadline even while a renewal hangs", async () => {
  const { clock, api, events, controller, elector, start } = setup();
  const running = start();
  await settle();
  api.hang = true;
  await clock.advance(2_000);
  assert.equal(api.calls.at(-1)!.method, "PUT", "a renewal is in flight");
  await clock.advance(8_000);
  assert.ok(!elector.isLeader());
  assert.equal(events.at(-1)!.split("@")[0], "stopped");
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() stops leading at once when another process took the Lease", async () => {
  const { clock, api, controller, elector, start } = setup();
  const running = start();
  await settle();
  api.put({ holderIdentity: "other_2", leaseDurationSeconds: 15, leaseTransitions: 1 });
  await clock.advance(2_000);
  assert.deepEqual(api.calls.slice(2).map((c) => c.method), ["PUT", "GET"]);
  assert.ok(!elector.isLeader());
  controller.abort();
  await running;
});

Deno.test("createLeaderElector() that loses the create race follows", async () => {
  const { api, controller, elector, start } = setup(
    (request, api) => async (method, path, options) => {
      // Another candidate creates the Lease between our GET and our POST.
      if (method === "POST") api.put({ holderIdentity: "other_2", leaseDurationSeconds: 15 });
      return await request(method, path, options);
    },
  );
  const running = start();
  await settle();
  assert.ok(!elector.isLeader());
  assert.deepEqual(api.calls.map((c) => c.method), ["GET", "POST"]);
  assert.equal(api.lease!.spec.holderIdentity, "other_2");
  controller.abort();
  await running;
});

Deno.test("release() stops leading first, then clears the holder with a conditional PUT and ends run()", async () => {
  const { clock, api, events, elector, start } = setup();
  const running = start();
  await settle();
  await clock.advance(2_000);
  await elector.release();
  await running;
  assert.ok(!elector.isLeader());
  const last = api.calls.at(-1)!;
  assert.equal(last.method, "PUT");
  assert.equal(last.path, PATH);
  assert.equal(
    last.body!.metadata.resourceVersion,
    api.calls.at(-2)!.method === "GET" ? "102" : "",
  );
  assert.equal(api.lease!.spec.holderIdentity, "");
  assert.equal(api.lease!.spec.leaseDurationSeconds, 1);
  const stoppedAt = Number(events.at(-1)!.split("@")[1]);
  assert.ok(stoppedAt < api.calls.length - 1, "onStoppedLeading ran before the release was sent");
});

Deno.test("createLeaderElector() aborted without release() leaves the Lease naming this process", async () => {
  const { api, controller, elector, start } = setup();
  const running = start();
  await settle();
  controller.abort();
  await running;
  assert.ok(!elector.isLeader());
  assert.equal(api.lease!.spec.holderIdentity, "me_1");
  assert.ok(api.calls.every((c) => c.method !== "PUT"));
});

Deno.test("createLeaderElector() refuses durations that could let two processes lead", () => {
  const request = fakeLeaseApi().request;
  const base = { request, namespace: "ns", identity: "me_1" };
  assert.throws(
    () => createLeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }),
    /lease duration of 10000 ms: wanted more than the renew deadline \(10000 ms\)/,
  );
  assert.throws(
    () => createLeaderElector({ ...base, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }),
    /renew deadline of 2000 ms: wanted more than 2400 ms/,
  );
});
