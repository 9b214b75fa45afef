import assert from "node:assert/strict";
import { createFinalizerKeeper } from "../../../src/engine/finalizer_keeper.ts";
import { createRecordingLogger } from "../../support/fake_ports.ts";
import { createManualClock } from "../../support/manual_clock.ts";

function keeper(failures: number) {
  const clock = createManualClock();
  const writes: string[] = [];
  let left = failures;
  const controller = new AbortController();
  const keep = createFinalizerKeeper({
    write: (name, present) => {
      writes.push(`${name}:${present}`);
      return left-- > 0 ? Promise.reject(new Error("409 Conflict")) : Promise.resolve();
    },
    clock,
    logger: createRecordingLogger().logger,
    signal: controller.signal,
    random: () => 0,
  });
  return { clock, writes, keep, controller };
}

Deno.test("createFinalizerKeeper() writes only a change and retries a refused write with backoff", async () => {
  const { clock, writes, keep } = keeper(2);
  keep.want("web", true, true);
  assert.deepEqual(writes, [], "already so: nothing to write");
  keep.want("web", true, false);
  await clock.advance(0);
  assert.deepEqual(writes, ["web:true"]);
  await clock.advance(1000);
  assert.deepEqual(writes, ["web:true", "web:true"], "retried after 1 s");
  await clock.advance(2000);
  assert.deepEqual(writes, ["web:true", "web:true", "web:true"], "then after 2 s, and done");
  await clock.advance(60_000);
  assert.equal(writes.length, 3);
  await keep.flush();
});

Deno.test("createFinalizerKeeper() writes the newest wish after the one in flight", async () => {
  const { clock, writes, keep } = keeper(1);
  keep.want("web", true, false);
  keep.want("web", false, false);
  await clock.advance(5000);
  await keep.flush();
  assert.deepEqual(
    writes,
    ["web:true", "web:false"],
    "the refused add is not retried: removal won",
  );
});

Deno.test("createFinalizerKeeper() stops retrying once its signal aborts", async () => {
  const { clock, writes, keep, controller } = keeper(10);
  keep.want("web", true, false);
  await clock.advance(0);
  controller.abort();
  await clock.advance(120_000);
  await keep.flush();
  assert.deepEqual(writes, ["web:true"]);
  keep.want("other", true, false);
  assert.deepEqual(writes, ["web:true"], "nothing new starts either");
});
