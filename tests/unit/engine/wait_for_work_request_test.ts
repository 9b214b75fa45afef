import assert from "node:assert/strict";
import { waitForWorkRequest } from "../../../src/engine/wait_for_work_request.ts";
import { OciError } from "../../../src/oci/errors.ts";
import type { WorkRequestState } from "../../../src/oci/port.ts";
import { createManualClock } from "../../support/manual_clock.ts";

const credentials = { kind: "default", region: "us-ashburn-1" } as const;
const target = {
  loadBalancerId: "ocid1.loadbalancer.oc1.iad.a",
  workRequestId: "wr1",
  credentials,
};

/** A fake whose work request succeeds (or ends in `final`) once `doneAt` ms have passed. */
function fakeOci(clock: { now(): number }, doneAt: number, final: WorkRequestState = "SUCCEEDED") {
  const start = clock.now();
  const polls: number[] = [];
  return {
    polls,
    getWorkRequest: () => {
      polls.push(clock.now() - start);
      const state: WorkRequestState = clock.now() - start >= doneAt ? final : "IN_PROGRESS";
      return Promise.resolve({
        state,
        message: final === "FAILED" ? "backend IP invalid" : undefined,
      });
    },
  };
}

Deno.test("waitForWorkRequest() notices a 1.5 s work request within 0.5 s of its end", async () => {
  const clock = createManualClock();
  const oci = fakeOci(clock, 1500);
  const done = waitForWorkRequest(oci, target, { clock, maxPollMs: 5000 });
  await clock.advance(10_000);
  assert.equal((await done).state, "SUCCEEDED");
  assert.deepEqual(oci.polls, [250, 750, 1750]);
});

Deno.test("waitForWorkRequest() backs off to the poll bound", async () => {
  const clock = createManualClock();
  const oci = fakeOci(clock, 20_000);
  const done = waitForWorkRequest(oci, target, { clock, maxPollMs: 3000 });
  await clock.advance(30_000);
  await done;
  const pauses = oci.polls.map((t, i) => t - (oci.polls[i - 1] ?? 0));
  assert.deepEqual(pauses.slice(0, 6), [250, 500, 1000, 2000, 3000, 3000]);
});

Deno.test("waitForWorkRequest() throws work-request-failed with OCI's message", async () => {
  const clock = createManualClock();
  const oci = fakeOci(clock, 0, "FAILED");
  const done = waitForWorkRequest(oci, target, { clock });
  const check = assert.rejects(done, (e: unknown) => {
    assert.ok(e instanceof OciError);
    assert.equal(e.kind, "work-request-failed");
    assert.match(e.message, /wr1.*ended FAILED: backend IP invalid/);
    return true;
  });
  await clock.advance(1000);
  await check;
});

Deno.test("waitForWorkRequest() gives up at the timeout", async () => {
  const clock = createManualClock();
  const oci = fakeOci(clock, Infinity);
  const done = waitForWorkRequest(oci, target, { clock, maxPollMs: 1000, timeoutMs: 4000 });
  const check = assert.rejects(done, (e: unknown) => e instanceof OciError && e.kind === "timeout");
  await clock.advance(10_000);
  await check;
  assert.equal(oci.polls.at(-1), 4000, "last poll lands on the deadline");
});

/** Wraps `fakeOci` so the polls at the given indexes throw `error` instead of answering. */
function failingPolls(oci: ReturnType<typeof fakeOci>, failAt: number[], error: OciError) {
  let calls = 0;
  return {
    polls: oci.polls,
    getWorkRequest: () => {
      const answer = oci.getWorkRequest();
      return failAt.includes(calls++) ? Promise.reject(error) : answer;
    },
  };
}

for (const kind of ["transient", "throttled"] as const) {
  Deno.test(`waitForWorkRequest() keeps polling through a ${kind} poll failure`, async () => {
    const clock = createManualClock();
    const oci = failingPolls(fakeOci(clock, 1500), [0, 2], new OciError("poll", { kind }));
    const done = waitForWorkRequest(oci, target, { clock, maxPollMs: 5000 });
    await clock.advance(10_000);
    assert.equal((await done).state, "SUCCEEDED");
    // The poll at 1750 ms would have seen SUCCEEDED but failed; the next one, at 3750, sees it.
    assert.deepEqual(oci.polls, [250, 750, 1750, 3750]);
  });
}

Deno.test("waitForWorkRequest() ends at once on a poll error that will not pass", async () => {
  const clock = createManualClock();
  const gone = new OciError("gone", { kind: "lb-not-found", status: 404 });
  const oci = failingPolls(fakeOci(clock, 1500), [1], gone);
  const done = waitForWorkRequest(oci, target, { clock });
  const check = assert.rejects(done, (e: unknown) => e === gone);
  await clock.advance(10_000);
  await check;
  assert.deepEqual(oci.polls, [250, 750]);
});

Deno.test("waitForWorkRequest() times out naming the last poll failure", async () => {
  const clock = createManualClock();
  const oci = failingPolls(
    fakeOci(clock, Infinity),
    [0, 1, 2, 3, 4, 5, 6, 7],
    new OciError("503 Service Unavailable", { kind: "transient", status: 503 }),
  );
  const done = waitForWorkRequest(oci, target, { clock, maxPollMs: 1000, timeoutMs: 4000 });
  const check = assert.rejects(done, (e: unknown) => {
    assert.ok(e instanceof OciError);
    assert.equal(e.kind, "timeout");
    assert.match(e.message, /within 4s: last poll failed: 503 Service Unavailable/);
    return true;
  });
  await clock.advance(10_000);
  await check;
});
