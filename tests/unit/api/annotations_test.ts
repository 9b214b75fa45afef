import assert from "node:assert/strict";
import { isPaused, skipCleanup } from "../../../src/api/annotations.ts";
import type { LBRegistrar } from "../../../src/api/types.ts";

/** An object carrying `annotations` in its metadata. */
function withAnnotations(annotations: unknown): Pick<LBRegistrar, "metadata"> {
  return { metadata: { name: "web", annotations } as LBRegistrar["metadata"] };
}

Deno.test('isPaused() is true only for the paused annotation set to "true"', () => {
  assert.equal(isPaused(withAnnotations({ "nodes.peppy-ratio.dev/paused": "true" })), true);
  for (const value of ["false", "True", "yes", "", true]) {
    assert.equal(
      isPaused(withAnnotations({ "nodes.peppy-ratio.dev/paused": value })),
      false,
      String(value),
    );
  }
  assert.equal(isPaused(withAnnotations({ "nodes.peppy-ratio.dev/skip-cleanup": "true" })), false);
});

Deno.test("isPaused() is false without annotations, even malformed ones", () => {
  for (const annotations of [undefined, null, "paused", []]) {
    assert.equal(isPaused(withAnnotations(annotations)), false);
  }
  assert.equal(
    isPaused({ metadata: undefined } as unknown as Pick<LBRegistrar, "metadata">),
    false,
  );
});

Deno.test('skipCleanup() is true only for the skip-cleanup annotation set to "true"', () => {
  assert.equal(
    skipCleanup(withAnnotations({ "nodes.peppy-ratio.dev/skip-cleanup": "true" })),
    true,
  );
  assert.equal(skipCleanup(withAnnotations({ "nodes.peppy-ratio.dev/skip-cleanup": "1" })), false);
  assert.equal(skipCleanup(withAnnotations({ "nodes.peppy-ratio.dev/paused": "true" })), false);
});
