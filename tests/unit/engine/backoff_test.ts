import assert from "node:assert/strict";
import { createBackoff } from "../../../src/engine/backoff.ts";

Deno.test("createBackoff() doubles from the initial delay up to the bound", () => {
  const delayFor = createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 10].map(delayFor), [100, 200, 400, 800, 1000, 1000]);
});

Deno.test("createBackoff() jitter shortens the delay by at most its fraction", () => {
  const delayFor = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 1 });
  assert.equal(delayFor(1), 500);
  const none = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
  assert.equal(none(1), 1000);
});
