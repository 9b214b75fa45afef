import assert from "node:assert/strict";
import {
  decide,
  expiresAt,
  type LeaseRecord,
  leaseRecordOf,
  nextRecord,
  releasedRecord,
  sameRecord,
} from "../../../src/serve/lease_decision.ts";

const T0 = Date.UTC(2026, 10, 23, 21, 40, 3, 250);
const LEASE_MS = 15_000;

function held(holder: string, overrides: Partial<LeaseRecord> = {}): LeaseRecord {
  return {
    holderIdentity: holder,
    leaseDurationSeconds: 15,
    acquireTime: "2026-11-23T21:00:00.000000Z",
    renewTime: "2026-11-23T21:40:00.000000Z",
    leaseTransitions: 3,
    ...overrides,
  };
}

const timing = (now: number, observedAt = T0) => ({ now, observedAt, leaseDurationMs: LEASE_MS });

Deno.test("decide() acquires when there is no Lease or nobody holds it", () => {
  assert.equal(decide(undefined, "me_1", timing(T0)), "acquire");
  assert.equal(decide(held(""), "me_1", timing(T0)), "acquire");
});

Deno.test("decide() renews a Lease this identity holds, even one that looks expired", () => {
  assert.equal(decide(held("me_1"), "me_1", timing(T0)), "renew");
  assert.equal(decide(held("me_1"), "me_1", timing(T0 + 60_000)), "renew");
});

Deno.test("decide() follows another holder until the Lease stays unchanged for its duration", () => {
  const lease = held("other_2");
  assert.equal(decide(lease, "me_1", timing(T0)), "follow");
  assert.equal(decide(lease, "me_1", timing(T0 + 14_999)), "follow");
  assert.equal(decide(lease, "me_1", timing(T0 + 15_000)), "acquire");
});

Deno.test("decide() measures expiry from when the record was observed, not from renewTime", () => {
  // renewTime is long past on the local clock (a skewed node); the record was first seen just now.
  const lease = held("other_2", { renewTime: "2020-01-01T00:00:00.000000Z" });
  assert.equal(decide(lease, "me_1", timing(T0 + 1_000, T0)), "follow");
});

Deno.test("decide() uses the Lease's own duration, falling back to the configured one", () => {
  const short = held("other_2", { leaseDurationSeconds: 2 });
  assert.equal(decide(short, "me_1", timing(T0 + 2_000)), "acquire");
  const none = held("other_2", { leaseDurationSeconds: 0 });
  assert.equal(expiresAt(none, T0, LEASE_MS), T0 + LEASE_MS);
  assert.equal(decide(none, "me_1", timing(T0 + 14_000)), "follow");
});

Deno.test("nextRecord() renewing keeps acquireTime and transitions, moves renewTime", () => {
  const previous = held("me_1");
  const next = nextRecord("renew", previous, "me_1", T0, LEASE_MS);
  assert.deepEqual(next, {
    holderIdentity: "me_1",
    leaseDurationSeconds: 15,
    acquireTime: previous.acquireTime,
    renewTime: "2026-11-23T21:40:03.250000Z",
    leaseTransitions: 3,
  });
});

Deno.test("nextRecord() acquiring counts a transition, and a new Lease starts at 0", () => {
  const takeover = nextRecord("acquire", held("other_2"), "me_1", T0, LEASE_MS);
  assert.equal(takeover.holderIdentity, "me_1");
  assert.equal(takeover.leaseTransitions, 4);
  assert.equal(takeover.acquireTime, "2026-11-23T21:40:03.250000Z");
  assert.equal(takeover.renewTime, takeover.acquireTime);
  assert.equal(nextRecord("acquire", undefined, "me_1", T0, LEASE_MS).leaseTransitions, 0);
});

Deno.test("nextRecord() rounds sub-second lease durations up to whole seconds", () => {
  assert.equal(nextRecord("acquire", undefined, "me_1", T0, 1_500).leaseDurationSeconds, 2);
  assert.equal(nextRecord("acquire", undefined, "me_1", T0, 200).leaseDurationSeconds, 1);
});

Deno.test("releasedRecord() clears the holder, keeps transitions and shortens the lease", () => {
  const released = releasedRecord(held("me_1"), T0);
  assert.equal(released.holderIdentity, "");
  assert.equal(released.leaseDurationSeconds, 1);
  assert.equal(released.leaseTransitions, 3);
  assert.equal(released.renewTime, "2026-11-23T21:40:03.250000Z");
  assert.equal(decide(released, "other_2", timing(T0)), "acquire");
});

Deno.test("leaseRecordOf() reads an empty or malformed spec as an unheld Lease", () => {
  const empty = { holderIdentity: "", leaseDurationSeconds: 0, leaseTransitions: 0 };
  assert.deepEqual(leaseRecordOf(undefined), empty);
  assert.deepEqual(leaseRecordOf({}), empty);
  assert.deepEqual(
    leaseRecordOf({ holderIdentity: 7, leaseDurationSeconds: -1, leaseTransitions: 1.5 }),
    empty,
  );
  assert.deepEqual(leaseRecordOf(held("a_1")), held("a_1"));
});

Deno.test("sameRecord() tells a renewal apart from an unchanged Lease", () => {
  assert.ok(sameRecord(held("a_1"), held("a_1")));
  assert.ok(!sameRecord(held("a_1"), held("a_1", { renewTime: "2026-11-23T21:40:02.000000Z" })));
  assert.ok(!sameRecord(held("a_1"), held("b_1")));
});
