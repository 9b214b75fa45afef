import assert from "node:assert/strict";
import { createStatusPublisher } from "../../../src/engine/status_publisher.ts";

Deno.test("createStatusPublisher() writes one object at a time and coalesces requests", async () => {
  const started: string[] = [];
  const gates: (() => void)[] = [];
  let state = 0;
  const written: string[] = [];
  const publisher = createStatusPublisher((name) => {
    started.push(name);
    const snapshot = state;
    return new Promise<void>((resolve) =>
      gates.push(() => {
        written.push(`${name}=${snapshot}`);
        resolve();
      })
    );
  });
  publisher.publish("a");
  state = 1;
  publisher.publish("a");
  state = 2;
  publisher.publish("a");
  publisher.publish("b");
  assert.deepEqual(started, ["a", "b"], "a second write of a waits for the first");
  gates.shift()!();
  await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(started, ["a", "b", "a"], "three requests became two writes");
  for (const open of gates.splice(0)) open();
  await publisher.flush();
  assert.deepEqual(written, ["a=0", "b=2", "a=2"], "the last write of a saw the newest state");
});

Deno.test("createStatusPublisher() flush() waits for writes asked for during the flush", async () => {
  let writes = 0;
  const publisher = createStatusPublisher(async () => {
    await new Promise((r) => setTimeout(r, 1));
    writes++;
  });
  publisher.publish("a");
  publisher.publish("a");
  await publisher.flush();
  assert.equal(writes, 2);
});
