import assert from "node:assert/strict";
import type { DesiredBackend } from "../../../src/plan/desired_backends.ts";
import { diffBackends, type Removal } from "../../../src/plan/diff.ts";
import {
  failOpenWhenAllNotReady,
  holdWhileUnresolved,
  keepWhenDesiredEmpty,
  restrictToOwned,
} from "../../../src/plan/safety_rules.ts";
import { backend, keys, NOW } from "../../support/plan_fixtures.ts";

function desired(...entries: [string, boolean][]): Map<string, DesiredBackend> {
  return new Map(entries.map(([key, drain]) => {
    const b = backend(key);
    return [key, {
      key,
      ipAddress: b.ipAddress,
      port: b.port,
      weight: 1,
      drain,
      rule: drain ? "notReady" : "wanted",
      node: "n",
    }];
  }));
}

const byRule = (rules: Record<string, Removal>) => (key: string): Removal =>
  rules[key] ?? { when: "now", rule: "nodeDeleted" };

Deno.test("failOpenWhenAllNotReady() undrains every backend when all would drain", () => {
  const result = failOpenWhenAllNotReady(desired(["10.0.0.1:1", true], ["10.0.0.2:1", true]));
  assert.deepEqual([...result.desired.values()].map((d) => [d.drain, d.rule]), [
    [false, "failOpen"],
    [false, "failOpen"],
  ]);
  assert.equal(result.fired?.rule, "failOpenWhenAllNotReady");
  assert.equal(result.fired?.backends, 2);
});

Deno.test("failOpenWhenAllNotReady() does nothing while one backend is ready", () => {
  const input = desired(["10.0.0.1:1", true], ["10.0.0.2:1", false]);
  const result = failOpenWhenAllNotReady(input);
  assert.equal(result.desired, input);
  assert.equal(result.fired, undefined);
});

Deno.test("failOpenWhenAllNotReady() does nothing for an empty desired set", () => {
  assert.equal(failOpenWhenAllNotReady(new Map()).fired, undefined);
});

Deno.test("restrictToOwned() reverts changes to unrecorded backends and keeps new ones", () => {
  const diff = diffBackends(desired(["10.0.0.3:1", false]), [
    backend("10.0.0.1:1"),
    backend("10.0.0.2:1"),
  ]);
  const result = restrictToOwned(diff, (key) => key !== "10.0.0.1:1");
  assert.deepEqual(keys(result.diff.next), ["10.0.0.1:1", "10.0.0.3:1"]);
  assert.deepEqual(result.diff.changes.removed, [{ ipPort: "10.0.0.2:1", rule: "foreign" }]);
  assert.equal(result.fired?.backends, 1);
});

Deno.test("keepWhenDesiredEmpty() keeps everything but Deregister removals", () => {
  const removal = byRule({
    "10.0.0.2:1": { when: "afterDrain", rule: "ineligible", drainSeconds: 30 },
    "10.0.0.3:1": { when: "afterDrain", rule: "deregister", drainSeconds: 30 },
  });
  const diff = diffBackends(new Map(), [
    backend("10.0.0.1:1"),
    backend("10.0.0.2:1"),
    backend("10.0.0.3:1"),
  ], {
    removal,
    now: NOW,
  });
  const result = keepWhenDesiredEmpty(diff, "NoEligibleNodes");
  assert.deepEqual(result.diff.next, [
    backend("10.0.0.1:1"),
    backend("10.0.0.2:1"),
    backend("10.0.0.3:1", { drain: true }),
  ]);
  assert.equal(result.diff.entries[1]?.pending, undefined, "a kept backend has no drain timer");
  assert.deepEqual([result.fired?.reason, result.fired?.backends], ["NoEligibleNodes", 2]);
});

Deno.test("keepWhenDesiredEmpty() does nothing when something is desired", () => {
  const diff = diffBackends(new Map(), [backend("10.0.0.1:1")]);
  assert.equal(keepWhenDesiredEmpty(diff, undefined).diff, diff);
});

Deno.test("holdWhileUnresolved() keeps removals and names the bindings that cannot be planned", () => {
  const diff = diffBackends(desired(["10.0.0.2:1", false]), [backend("10.0.0.1:1")]);
  const result = holdWhileUnresolved(diff, ["spec.services[1]"]);
  assert.deepEqual(keys(result.diff.next), ["10.0.0.1:1", "10.0.0.2:1"]);
  assert.equal(
    result.fired?.message,
    "Keeping 1 backends that would be drained or removed: spec.services[1] cannot be planned",
  );
});
