import assert from "node:assert/strict";
import type { Condition } from "../../../src/api/types.ts";
import { mergeConditions } from "../../../src/kube/merge_conditions.ts";

const NOW = Date.parse("2026-11-23T20:00:00.750Z");

function condition(type: Condition["type"], status: Condition["status"], at = ""): Condition {
  return { type, status, reason: "BackendsRegistered", message: "ok", lastTransitionTime: at };
}

Deno.test("mergeConditions() keeps lastTransitionTime when type and status are unchanged", () => {
  const merged = mergeConditions(
    [condition("Ready", "True", "2026-11-01T00:00:00Z")],
    [{ ...condition("Ready", "True"), message: "3 backends" }],
    NOW,
  );
  assert.equal(merged[0]?.lastTransitionTime, "2026-11-01T00:00:00Z");
  assert.equal(merged[0]?.message, "3 backends");
});

Deno.test("mergeConditions() stamps now, in whole seconds, when the status flips", () => {
  const merged = mergeConditions(
    [condition("Ready", "True", "2026-11-01T00:00:00Z")],
    [condition("Ready", "False", "ignored")],
    NOW,
  );
  assert.equal(merged[0]?.lastTransitionTime, "2026-11-23T20:00:00Z");
});

Deno.test("mergeConditions() stamps now for a condition type seen for the first time", () => {
  const merged = mergeConditions(undefined, [condition("Stalled", "True")], NOW);
  assert.equal(merged[0]?.lastTransitionTime, "2026-11-23T20:00:00Z");
});

Deno.test("mergeConditions() drops conditions that are no longer given", () => {
  const merged = mergeConditions(
    [condition("Ready", "True", "t"), condition("Stalled", "False", "t")],
    [condition("Ready", "True")],
    NOW,
  );
  assert.deepEqual(merged.map((c) => c.type), ["Ready"]);
});
