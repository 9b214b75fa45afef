import assert from "node:assert/strict";
import { startLoopLagMonitor } from "../../../src/serve/loop_lag.ts";

function blockFor(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy-wait: the point is to keep the event loop from running timers.
  }
}

Deno.test("startLoopLagMonitor() reports a blocked event loop as lag", async () => {
  const monitor = startLoopLagMonitor({ intervalMs: 10 });
  try {
    await new Promise((resolve) => setTimeout(resolve, 30));
    blockFor(200);
    assert.ok(monitor.lagMs() >= 150, `lag ${monitor.lagMs()} ms right after the block`);
  } finally {
    monitor.stop();
  }
});

Deno.test("startLoopLagMonitor() measures lag on its injected clock", async () => {
  let now = 0;
  const monitor = startLoopLagMonitor({ intervalMs: 5, now: () => now });
  try {
    assert.equal(monitor.lagMs(), 0);
    now = 1_005;
    assert.equal(monitor.lagMs(), 1_000, "the pending probe is 1000 ms overdue");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(monitor.lagMs(), 0, "probes that fire on time again report no lag");
  } finally {
    monitor.stop();
  }
});
