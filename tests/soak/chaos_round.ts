/**
 * One round of the soak: chaos (changes at a Poisson rate, faults likewise, and in the first part
 * of a long soak one SIGKILL of the writer and one leader handover), then the faults stop and the
 * checkpoint judges convergence and the quiet period.
 */

import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { OciSim } from "../../src/sim/oci/oci_sim.ts";
import { preciseNow } from "../../src/sim/oci/recorder.ts";
import { checkpoint, type CheckpointDeps } from "./checkpoint.ts";
import { type createChangeStream, MAX_DRAIN_SECONDS } from "./cluster_changes.ts";
import type { createFaultStream } from "./fault_stream.ts";
import type { createMemoryWatch } from "./memory_watch.ts";
import { type OperatorPool, sleep } from "./operator_pool.ts";
import { handOver, killWriterMidWrite } from "./process_faults.ts";
import type { Random } from "./random.ts";
import type { SoakOptions } from "./run_soak.ts";
import type { SoakSummary } from "./summary.ts";
import type { LbPlan } from "./world.ts";
import type { WriteLedger } from "./write_ledger.ts";

/** The Lease of `--leader-elect` (DESIGN §8) plus its retry period. */
const LEASE_TAKEOVER_MS = 15_000 + 2_000;

/** Everything a round works with. */
export interface Soak {
  options: Required<Omit<SoakOptions, "signal">> & { signal?: AbortSignal };
  kube: KubeSim;
  oci: OciSim;
  lbs: LbPlan[];
  pool: OperatorPool;
  ledger: WriteLedger;
  memory: ReturnType<typeof createMemoryWatch>;
  summary: SoakSummary;
  checkpointDeps: CheckpointDeps;
  changes: ReturnType<typeof createChangeStream>;
  faults: ReturnType<typeof createFaultStream>;
  random: Random;
  /** Moves the OCI simulator's log and counters into the ledger and summary, then resets it. */
  drainOci(): void;
}

/** One round: chaos, faults stop, convergence and quiet period. */
export async function runRound(soak: Soak, round: number, processFaults: boolean): Promise<void> {
  const { options, kube, oci, lbs, pool, ledger, memory, summary, changes, faults, random } = soak;
  const { roundMs, changesPerSecond, faultsPerMinute, workRequestTimeoutMs, signal } = options;
  const count = (table: Record<string, number>, kind: string) =>
    table[kind] = (table[kind] ?? 0) + 1;
  const roundStart = Date.now();
  options.progress(`round ${round}: chaos for ${(roundMs / 1000).toFixed(0)} s`);
  const planned: { at: number; kind: "sigkill" | "handover" }[] = [];
  if (processFaults) {
    planned.push({ at: roundStart + roundMs * (0.08 + 0.12 * random.next()), kind: "sigkill" });
    if (options.processes === 2) {
      planned.push({ at: roundStart + roundMs * (0.7 + 0.12 * random.next()), kind: "handover" });
    }
  }
  const processOps: Promise<void>[] = [];
  let lastWriterKill = 0;
  let nextChange = roundStart + random.exponential(1000 / changesPerSecond);
  let nextFault = roundStart + random.exponential(60_000 / faultsPerMinute);
  let nextAbsorb = 0;
  let nextMemory = 0;
  while (Date.now() < roundStart + roundMs) {
    if (signal?.aborted) throw new Error(`Soak stopped: ${signal.reason ?? "aborted"}`);
    const now = Date.now();
    while (nextChange <= now) {
      const change = changes.apply();
      if (change) count(summary.changes, change.kind);
      nextChange += random.exponential(1000 / changesPerSecond);
    }
    if (nextFault <= now) {
      count(summary.faults, (await faults.inject()).kind);
      nextFault = Date.now() + random.exponential(60_000 / faultsPerMinute);
    }
    for (const op of planned.filter((p) => p.at <= now)) {
      planned.splice(planned.indexOf(op), 1);
      count(summary.faults, op.kind);
      const done = op.kind === "sigkill"
        ? killWriterMidWrite(pool, ledger, oci, options.progress).then((kill) => {
          lastWriterKill = Math.max(lastWriterKill, kill.killedAt);
          if (kill.midWrite) summary.killsMidWrite++;
        })
        : handOver(pool, options.progress);
      // Caught here, so a round that is aborted meanwhile leaves no unhandled rejection behind.
      processOps.push(done.catch((error) => {
        if (signal?.aborted) return;
        soak.checkpointDeps.violation(
          `${op.kind} failed: ${error instanceof Error ? error.message : error}`,
        );
      }));
    }
    faults.endHung(workRequestTimeoutMs);
    if (now >= nextAbsorb) {
      ledger.absorb(oci.requests());
      ledger.prune(preciseNow());
      nextAbsorb = now + 500;
    }
    if (now >= nextMemory) {
      await memory.sample(pool.live());
      nextMemory = now + 2_000;
    }
    await sleep(20);
  }

  // Faults stop: process operations finish, pending faults are cleared, hung work requests end.
  // Draining first matters: it reads every answered PUT (a hang taken in the last moments
  // included) and clears the fault rules, so no work request can hang after endHung.
  await Promise.all(processOps);
  changes.restoreSelectors();
  kube.clearFailures();
  soak.drainOci();
  faults.endHung(workRequestTimeoutMs, true);
  pool.fill();
  const boundMs = convergenceBound(options, lbs, lastWriterKill);
  const result = await checkpoint(soak.checkpointDeps, {
    round,
    boundMs,
    quietMs: options.resyncMs + 1_500,
  });
  soak.drainOci();
  await memory.sample(pool.live());
  summary.rounds.push({
    round,
    chaosMs: roundMs,
    boundMs,
    ...result,
    rss: memory.latest(pool.live()),
  });
}

/**
 * debounce + resync (it overrides any retry backoff) + the longest drain + two work requests (one
 * to drain, one to remove) for every set of the busiest LB, whose lane runs them one at a time,
 * plus 3 s of slack; after a SIGKILLed leader, what is left of the Lease takeover.
 */
function convergenceBound(
  options: Soak["options"],
  lbs: readonly LbPlan[],
  lastWriterKill: number,
) {
  const { debounceMs, resyncMs, workRequestPollMs, processes } = options;
  const busiest = Math.max(
    ...lbs.map((lb) => lb.sets.length * (lb.workRequestDelayMs + workRequestPollMs)),
  );
  let boundMs = debounceMs + resyncMs + MAX_DRAIN_SECONDS * 1000 + 2 * busiest + 3_000;
  const sinceKill = Date.now() - lastWriterKill;
  if (processes === 2 && sinceKill < LEASE_TAKEOVER_MS) boundMs += LEASE_TAKEOVER_MS - sinceKill;
  return boundMs;
}
