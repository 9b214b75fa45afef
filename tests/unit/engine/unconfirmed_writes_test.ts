import assert from "node:assert/strict";
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
