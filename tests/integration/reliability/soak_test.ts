/**
 * The short, bounded chaos soak CI runs inside `deno task test` (under a minute): one round of
 * seeded cluster changes and faults against two real operator processes with --leader-elect,
 * including a SIGKILL of the leader mid work request and a leader handover, then convergence and a
 * quiet period. The long soak is `deno task soak --minutes 10` (tests/soak/soak.ts).
 * `SOAK_SEED=N` replays another seed.
 */

import assert from "node:assert/strict";
import { runSoak } from "../../soak/run_soak.ts";
import { formatSummary } from "../../soak/summary.ts";

const SEED = Number(Deno.env.get("SOAK_SEED") ?? 20_261_123);

Deno.test("runSoak() keeps every invariant through a round of seeded changes and faults", async () => {
  const summary = await runSoak({
    seed: SEED,
    durationMs: 20_000,
    roundMs: 20_000,
    resyncMs: 5_000,
    warmupMs: 10_000,
    changesPerSecond: 5,
    faultsPerMinute: 45,
    workRequestScale: 0.75,
  });
  const replay =
    `SOAK_SEED=${SEED} deno test --frozen -A tests/integration/reliability/soak_test.ts`;
  const text = formatSummary(summary, replay);
  console.log(text);

  assert.deepEqual(summary.violations, [], text);
  assert.equal(summary.rounds.length, 1, text);
  assert.notEqual(summary.rounds[0]?.convergedMs, undefined, text);
  assert.equal(summary.faults.sigkill, 1, "the leader was SIGKILLed once");
  assert.equal(summary.faults.handover, 1, "the leader was handed over once");
  const applied = Object.values(summary.changes).reduce((a, b) => a + b, 0);
  assert.ok(applied >= 50, `only ${applied} cluster changes were applied`);
  assert.ok(summary.oci.mutations >= 10, `only ${summary.oci.mutations} PUTs were accepted`);
});
