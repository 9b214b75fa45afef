import assert from "node:assert/strict";
import type { LBRegistrar } from "../../../src/api/types.ts";
import { createUnconfirmedWrites } from "../../../src/engine/unconfirmed_writes.ts";
import { OciError } from "../../../src/oci/errors.ts";
import type { WorkRequestState } from "../../../src/oci/port.ts";

const LB = "ocid1.loadbalancer.oc1.iad.a";
const credentials = { kind: "default", region: "us-ashburn-1" } as const;
const timeout = new OciError("did not finish", { kind: "timeout" });

/** A work-request reader answering `answer()` and counting polls. */
function reader(answer: () => WorkRequestState | Error) {
  const polls: string[] = [];
  return {
    polls,
    getWorkRequest: (_lb: string, id: string) => {
      polls.push(id);
      const value = answer();
      return value instanceof Error ? Promise.reject(value) : Promise.resolve({ state: value });
    },
  };
}

Deno.test("UnconfirmedWrites.settle() polls nothing when no write is unconfirmed", async () => {
  const oci = reader(() => "IN_PROGRESS");
  const writes = createUnconfirmedWrites(oci);
  writes.note(LB, "wr-failed", new OciError("ended FAILED", { kind: "work-request-failed" }));
  await writes.settle(LB, credentials);
  await writes.settle("ocid1.loadbalancer.oc1.iad.other", credentials);
  assert.deepEqual(oci.polls, []);
});

Deno.test("UnconfirmedWrites.settle() refuses with a conflict while the work request runs, then forgets it", async () => {
  let state: WorkRequestState = "IN_PROGRESS";
  const oci = reader(() => state);
  const writes = createUnconfirmedWrites(oci);
  writes.note(LB, "wr1", timeout);
  await assert.rejects(writes.settle(LB, credentials), (e: unknown) => {
    assert.ok(e instanceof OciError);
    assert.equal(e.kind, "conflict");
    assert.match(e.message, /"wr1" .* still runs \(IN_PROGRESS\)/);
    return true;
  });
  state = "SUCCEEDED";
  await writes.settle(LB, credentials);
  await writes.settle(LB, credentials);
  assert.deepEqual(oci.polls, ["wr1", "wr1"], "forgotten once it ended");
});

Deno.test("UnconfirmedWrites.settle() forgets a work request OCI no longer knows", async () => {
  const oci = reader(() => new OciError("404", { kind: "work-request-failed", status: 404 }));
  const writes = createUnconfirmedWrites(oci);
  writes.note(LB, "wr1", timeout);
  await writes.settle(LB, credentials);
  await writes.settle(LB, credentials);
  assert.equal(oci.polls.length, 1);
});

Deno.test("UnconfirmedWrites.settle() passes a failed poll on and keeps the work request", async () => {
  let answer: WorkRequestState | Error = new OciError("503", { kind: "transient", status: 503 });
  const oci = reader(() => answer);
  const writes = createUnconfirmedWrites(oci);
  writes.note(LB, "wr1", timeout);
  await assert.rejects(writes.settle(LB, credentials), (e: unknown) => e === answer);
  answer = "FAILED";
  await writes.settle(LB, credentials);
  assert.deepEqual(oci.polls, ["wr1", "wr1"]);
});

Deno.test("UnconfirmedWrites.seed() notes the lastWorkRequestIds of a status once, skipping garbled entries", async () => {
  const oci = reader(() => "SUCCEEDED");
  const writes = createUnconfirmedWrites(oci);
  const lbr = {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name: "web" },
    spec: { loadBalancerId: LB, backendSetName: "a", nodePort: 30080 },
    status: {
      backendSets: [
        { loadBalancerId: LB, name: "a", registered: [], draining: [], lastWorkRequestId: "wr-a" },
        { loadBalancerId: LB, name: "b", registered: [], draining: [], lastWorkRequestId: "wr-b" },
        { loadBalancerId: LB, name: "c", registered: [], draining: [] },
        null,
        { loadBalancerId: 7, name: "d", lastWorkRequestId: "wr-d" },
        { loadBalancerId: LB, name: "e", lastWorkRequestId: { id: "x" } },
      ],
    },
  } as unknown as LBRegistrar;
  writes.seed(lbr);
  writes.seed(lbr);
  await writes.settle(LB, credentials);
  assert.deepEqual(oci.polls.sort(), ["wr-a", "wr-b"]);
  await writes.settle(LB, credentials);
  assert.equal(oci.polls.length, 2, "each polled once, then forgotten");
});
