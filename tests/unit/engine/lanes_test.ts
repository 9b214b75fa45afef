import assert from "node:assert/strict";
import { createLanes } from "../../../src/engine/lanes.ts";
import { createManualClock, settle } from "../../support/manual_clock.ts";

function recorder() {
  const calls: { lb: string; names: string[]; at: number }[] = [];
  let inFlight = new Map<string, number>();
  let maxPerLb = 0;
  let maxOverall = 0;
  const gates: (() => void)[] = [];
  return {
    calls,
    gates,
    maxPerLb: () => maxPerLb,
    maxOverall: () => maxOverall,
    work(clock: { now(): number }, hold: boolean) {
      return async (lb: string, names: string[]) => {
        calls.push({ lb, names, at: clock.now() });
        inFlight = new Map(inFlight).set(lb, (inFlight.get(lb) ?? 0) + 1);
        maxPerLb = Math.max(maxPerLb, inFlight.get(lb) ?? 0);
        maxOverall = Math.max(maxOverall, [...inFlight.values()].reduce((a, b) => a + b, 0));
        if (hold) await new Promise<void>((resolve) => gates.push(resolve));
        inFlight.set(lb, (inFlight.get(lb) ?? 1) - 1);
      };
    },
  };
}

Deno.test("createLanes() turns a burst into one batch per load balancer after the debounce", async () => {
  const clock = createManualClock();
  const rec = recorder();
  const lanes = createLanes({ clock, work: rec.work(clock, false), debounceMs: 1000 });
  const start = clock.now();
  lanes.enqueue("lb1", "b");
  await clock.advance(300);
  lanes.enqueue("lb1", "a");
  lanes.enqueue("lb1", "b");
  lanes.enqueue("lb2", "x");
  await clock.advance(600);
  assert.equal(rec.calls.length, 0, "nothing runs before the debounce");
  await clock.advance(100);
  assert.deepEqual(rec.calls, [{ lb: "lb1", names: ["b"], at: start + 1000 }]);
  await clock.advance(300);
  const later = rec.calls.slice(1).sort((x, y) => x.lb.localeCompare(y.lb));
  assert.deepEqual(later, [
    { lb: "lb1", names: ["a"], at: start + 1300 },
    { lb: "lb2", names: ["x"], at: start + 1300 },
  ]);
  assert.equal(lanes.depth(), 0);
  await lanes.close();
});

Deno.test("createLanes() never runs two batches of one load balancer at once", async () => {
  const clock = createManualClock();
  const rec = recorder();
  const lanes = createLanes({ clock, work: rec.work(clock, true), debounceMs: 0, maxParallel: 4 });
  lanes.enqueue("lb1", "a");
  await clock.advance(0);
  lanes.enqueue("lb1", "b");
  lanes.enqueue("lb2", "c");
  await clock.advance(10);
  assert.equal(rec.calls.length, 2, "lb1's second set waits; lb2 runs in parallel");
  assert.equal(rec.maxPerLb(), 1);
  assert.equal(lanes.busy(), true);
  rec.gates.shift()!();
  await settle();
  assert.deepEqual(rec.calls.map((c) => c.names), [["a"], ["c"], ["b"]]);
  for (const open of rec.gates.splice(0)) open();
  await settle();
  assert.equal(rec.maxPerLb(), 1);
  await lanes.close();
});

Deno.test("createLanes() bounds the load balancers synced in parallel", async () => {
  const clock = createManualClock();
  const rec = recorder();
  const lanes = createLanes({ clock, work: rec.work(clock, true), debounceMs: 0, maxParallel: 2 });
  for (const lb of ["lb1", "lb2", "lb3"]) lanes.enqueue(lb, "s");
  await clock.advance(0);
  assert.equal(rec.calls.length, 2);
  rec.gates.shift()!();
  await settle();
  assert.equal(rec.calls.length, 3);
  assert.equal(rec.maxOverall(), 2);
  for (const open of rec.gates.splice(0)) open();
  await lanes.close();
});

Deno.test("createLanes() keeps the earliest due time and honours explicit delays", async () => {
  const clock = createManualClock();
  const rec = recorder();
  const lanes = createLanes({ clock, work: rec.work(clock, false), debounceMs: 1000 });
  const start = clock.now();
  lanes.enqueue("lb1", "a", 5000);
  lanes.enqueue("lb1", "a", 200);
  lanes.enqueue("lb1", "a", 9000);
  await clock.advance(10_000);
  assert.deepEqual(rec.calls, [{ lb: "lb1", names: ["a"], at: start + 200 }]);
  await lanes.close();
});

Deno.test("createLanes() reports a throwing batch and keeps the lane alive", async () => {
  const clock = createManualClock();
  const errors: string[] = [];
  let runs = 0;
  const lanes = createLanes({
    clock,
    debounceMs: 0,
    work: () => {
      runs++;
      return runs === 1 ? Promise.reject(new Error("boom")) : Promise.resolve();
    },
    onError: (lb, e) => errors.push(`${lb}: ${(e as Error).message}`),
  });
  lanes.enqueue("lb1", "a");
  await clock.advance(0);
  lanes.enqueue("lb1", "a");
  await clock.advance(0);
  assert.deepEqual(errors, ["lb1: boom"]);
  assert.equal(runs, 2);
  await lanes.close();
});

Deno.test("createLanes() close() cancels timers and ignores later enqueues", async () => {
  const clock = createManualClock();
  let runs = 0;
  const lanes = createLanes({ clock, work: () => Promise.resolve(void runs++), debounceMs: 1000 });
  lanes.enqueue("lb1", "a");
  await lanes.close();
  lanes.enqueue("lb1", "b");
  await clock.advance(5000);
  assert.equal(runs, 0);
  assert.equal(clock.pending(), 0);
});

Deno.test("createLanes() frees a batch's parallel slot while it idles, and still runs one batch per load balancer", async () => {
  const clock = createManualClock();
  const calls: string[] = [];
  const waiting = Promise.withResolvers<void>();
  const lanes = createLanes({
    clock,
    debounceMs: 0,
    maxParallel: 1,
    work: async (lb, names, batch) => {
      calls.push(`${lb}/${names.join()}`);
      // lb1's first batch waits on a (hung) work request without holding the only slot.
      if (lb === "lb1" && names[0] === "a") await batch.idle(waiting.promise);
    },
  });
  lanes.enqueue("lb1", "a");
  await clock.advance(0);
  lanes.enqueue("lb1", "b");
  lanes.enqueue("lb2", "c");
  await clock.advance(0);
  assert.deepEqual(calls, ["lb1/a", "lb2/c"], "lb2 ran in the freed slot; lb1/b waits for lb1/a");
  waiting.resolve();
  await clock.advance(0);
  await settle();
  assert.deepEqual(calls, ["lb1/a", "lb2/c", "lb1/b"]);
  await lanes.close();
});
