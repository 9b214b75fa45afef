/**
 * The chaos soak (issue "Reliability"): both simulators in this process, the operator as one or two
 * real subprocesses, a seeded stream of cluster changes and faults in rounds. Each round ends with
 * the faults stopped: every backend set must then converge to what the oracle expects within
 * debounce + resync + drain + two work requests per set of the busiest LB (plus the Lease takeover
 * after a leader was SIGKILLed), and stay there with zero PUTs for a quiet period longer than a
 * resync. Invariants are checked all along (set_monitor.ts, write_ledger.ts, log_scan.ts) and at
 * the end (memory_watch.ts, exit codes).
 */

import { type KubeSim, startKubeSim } from "../../src/sim/kube/kube_sim.ts";
import { type OciSim, startOciSim } from "../../src/sim/oci/oci_sim.ts";
import { generateDemoKey } from "../../src/sim/demo_key.ts";
import { runRound, type Soak } from "./chaos_round.ts";
import { createChangeStream } from "./cluster_changes.ts";
import { checkpoint } from "./checkpoint.ts";
import { createFaultStream, type FaultKind } from "./fault_stream.ts";
import { createLogScanner, secretPatterns } from "./log_scan.ts";
import { createMemoryWatch } from "./memory_watch.ts";
import { type OperatorPool, startOperatorPool } from "./operator_pool.ts";
import { createRandom } from "./random.ts";
import { type SetMonitor, startSetMonitor } from "./set_monitor.ts";
import type { SoakSummary } from "./summary.ts";
import {
  foreignBackends,
  KEY_SECRET,
  loadBalancers,
  OPERATOR_NAMESPACE,
  repoCrd,
  seedWorld,
  setsOf,
} from "./world.ts";
import { createWriteLedger } from "./write_ledger.ts";

/** How long and how hard to soak. */
export interface SoakOptions {
  seed: number;
  /** Wall time of the whole soak (setup excluded), in ms; at least one round runs. */
  durationMs: number;
  /** Chaos per round, in ms; a round then converges and stays quiet. */
  roundMs: number;
  /** @default 300 */
  nodes?: number;
  /** 2 runs two processes with --leader-elect (handover faults); 1 runs one. @default 2 */
  processes?: 1 | 2;
  /** Mean cluster changes per second during chaos. @default 4 */
  changesPerSecond?: number;
  /** Mean faults per minute during chaos. @default 30 */
  faultsPerMinute?: number;
  /** @default 500 */
  debounceMs?: number;
  /** @default 10000 */
  resyncMs?: number;
  /** @default 500 */
  workRequestPollMs?: number;
  /** @default 5000 */
  workRequestTimeoutMs?: number;
  /** Scales every LB's work-request time (1 = 300 ms to 1.2 s). @default 1 */
  workRequestScale?: number;
  /** Process age at which RSS counts as warmed up. @default 60000 */
  warmupMs?: number;
  /** Fault kinds never drawn. */
  excludeFaults?: readonly FaultKind[];
  /** Progress lines. @default none */
  progress?: (line: string) => void;
  /** Keep operator logs even when the soak passes. @default false */
  keepLogs?: boolean;
  signal?: AbortSignal;
}

/** Process faults happen in this first part of a long soak, so the last processes live long. */
const PROCESS_FAULT_SHARE = 0.4;

/** Runs the soak; resolves with its summary (violations listed, never thrown). */
export async function runSoak(input: SoakOptions): Promise<SoakSummary> {
  const options = {
    nodes: 300,
    processes: 2 as const,
    changesPerSecond: 4,
    faultsPerMinute: 30,
    debounceMs: 500,
    resyncMs: 10_000,
    workRequestPollMs: 500,
    workRequestTimeoutMs: 5_000,
    workRequestScale: 1,
    warmupMs: 60_000,
    excludeFaults: [],
    progress: () => {},
    keepLogs: false,
    ...input,
  };
  const { seed, processes, progress } = options;
  const began = Date.now();
  const lbs = loadBalancers(options.workRequestScale);
  const sets = setsOf(lbs);
  const summary: SoakSummary = {
    seed,
    processes,
    nodes: options.nodes,
    registrars: 10,
    sets: sets.length,
    loadBalancers: lbs.length,
    rounds: [],
    changes: {},
    faults: {},
    oci: { requests: 0, mutations: 0, conflicts: 0, overlaps: 0 },
    memory: [],
    violations: [],
    notes: [],
    wallMs: 0,
    killsMidWrite: 0,
    logDir: await Deno.makeTempDir({ prefix: "lbr-soak-" }),
  };
  const violation = (message: string) => {
    const line = `[${((Date.now() - began) / 1000).toFixed(1)}s] ${message}`;
    summary.violations.push(line);
    progress(`VIOLATION ${line}`);
  };
  let kube: KubeSim | undefined;
  let oci: OciSim | undefined;
  let pool: OperatorPool | undefined;
  let monitor: SetMonitor | undefined;
  let scanner: ReturnType<typeof createLogScanner> | undefined;
  try {
    const random = createRandom(seed);
    const key = generateDemoKey();
    kube = await startKubeSim({
      crds: [await repoCrd()],
      namespaces: ["default", "kube-system", "kube-node-lease", OPERATOR_NAMESPACE, "apps"],
    });
    oci = startOciSim();
    oci.registerKey(key.keyId, key.publicPem);
    const apiKey = {
      user: key.user,
      fingerprint: key.fingerprint,
      tenancy: key.tenancy,
      region: "us-ashburn-1",
      privateKey: { namespace: OPERATOR_NAMESPACE, secretKeyRef: { ...KEY_SECRET } },
    };
    seedWorld({
      kube,
      oci,
      lbs,
      random,
      nodeCount: options.nodes,
      apiKey,
      privatePem: key.privatePem,
    });
    const kubeconfig = `${summary.logDir}/kubeconfig`;
    await kube.writeKubeconfig(kubeconfig, { namespace: OPERATOR_NAMESPACE });
    const foreign = new Map(sets.map((s) => [s.key, foreignBackends(s.name)]));
    const shortestWorkRequest = Math.min(...lbs.map((lb) => lb.workRequestDelayMs));
    monitor = startSetMonitor({
      oci,
      sets,
      foreign,
      intervalMs: Math.max(10, Math.min(40, Math.floor(shortestWorkRequest / 4))),
      violation,
    });
    const ledger = createWriteLedger({
      delayOf: (lbId) => lbs.find((lb) => lb.id === lbId)?.workRequestDelayMs ?? 0,
      workRequestTimeoutMs: options.workRequestTimeoutMs,
    });
    scanner = createLogScanner(secretPatterns(key.privatePem, kube.token));
    pool = startOperatorPool({
      root: new URL("../../", import.meta.url).pathname.replace(/\/$/, ""),
      flags: {
        kubeconfig,
        ociEndpoint: oci.url,
        namespace: OPERATOR_NAMESPACE,
        debounce: `${options.debounceMs}ms`,
        resync: `${options.resyncMs}ms`,
        workRequestPoll: `${options.workRequestPollMs}ms`,
        workRequestTimeout: `${options.workRequestTimeoutMs}ms`,
        leaderElect: processes === 2,
      },
      processes,
      logDir: summary.logDir!,
      scanner,
      violation,
      kube,
      stopTimeoutMs: Math.min(options.workRequestTimeoutMs, 20_000) + 10_000,
    });
    const soak: Soak = {
      options,
      kube,
      oci,
      lbs,
      pool,
      ledger,
      memory: createMemoryWatch(options.warmupMs),
      summary,
      checkpointDeps: {
        kube,
        oci,
        sets,
        foreign,
        pool,
        violation,
        progress,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      changes: createChangeStream({ kube, oci, random, sets, nodeCount: options.nodes }),
      faults: createFaultStream({
        kube,
        oci,
        random,
        ledger,
        lbIds: lbs.map((lb) => lb.id),
        exclude: options.excludeFaults,
      }),
      random,
      drainOci() {
        ledger.absorb(oci!.requests(), true);
        const { total } = oci!.counters();
        summary.oci.requests += total.requests;
        summary.oci.mutations += total.mutations;
        summary.oci.conflicts += total.conflicts;
        summary.oci.overlaps += total.overlaps;
        oci!.reset();
        ledger.resetLog();
      },
    };

    progress(
      `seed ${seed}: ${options.nodes} nodes, ${sets.length} backend sets on ${lbs.length} LBs, ` +
        `${processes} operator process(es); logs in ${summary.logDir}`,
    );
    // The world as seeded: the operator starts with empty sets (foreign ones aside) and fills them.
    await pool.waitForLeader(30_000);
    const first = await checkpoint(soak.checkpointDeps, { round: 0, boundMs: 30_000, quietMs: 0 });
    summary.initialConvergenceMs = first.convergedMs;
    soak.drainOci();

    const processFaultsUntil = began +
      (options.durationMs < 180_000
        ? options.durationMs
        : options.durationMs * PROCESS_FAULT_SHARE);
    // Another round starts while at least half of it fits in the planned time.
    const more = () => Date.now() - began + options.roundMs / 2 < options.durationMs;
    for (let round = 1; round === 1 || more(); round++) {
      await runRound(soak, round, Date.now() < processFaultsUntil);
    }
    await finish(soak, monitor, scanner, violation);
  } catch (error) {
    violation(`soak aborted: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    monitor?.stop();
    pool?.killAll();
    if (pool && !(await pool.settled(15_000))) {
      summary.violations.push("operator processes still running after SIGKILL");
    }
    await oci?.stop();
    await kube?.stop();
    summary.log ??= scanner?.findings;
    summary.wallMs = Date.now() - began;
    if (summary.violations.length === 0 && !options.keepLogs && summary.logDir) {
      await Deno.remove(summary.logDir, { recursive: true }).catch(() => {});
      delete summary.logDir;
    }
  }
  return summary;
}

/** The end: memory verdicts, a clean stop of every process, and what the logs and ledger hold. */
async function finish(
  soak: Soak,
  monitor: SetMonitor,
  scanner: ReturnType<typeof createLogScanner>,
  violation: (message: string) => void,
): Promise<void> {
  const { pool, ledger, memory, summary, lbs } = soak;
  await memory.sample(pool.live());
  summary.memory = memory.judge(pool.live(), {
    note: (text) => summary.notes.push(text),
    violation,
  });
  await pool.stopAll();
  await pool.settled(15_000);

  summary.log = scanner.findings;
  for (const leak of scanner.findings.secrets) violation(`secret in operator output: ${leak}`);
  for (const error of scanner.findings.errors.slice(0, 20)) violation(`operator error: ${error}`);
  if (scanner.findings.errors.length > 20) {
    violation(`… and ${scanner.findings.errors.length - 20} more operator errors`);
  }

  summary.ledger = ledger.totals;
  const { overlaps } = ledger.totals;
  const wrong = overlaps.filter((o) => o.kind === "unexcused" || o.kind === "after-failed-poll");
  for (const o of wrong.slice(0, 20)) {
    violation(`overlapping write (${o.kind}) on ${o.lbId}: ${o.detail}`);
  }
  if (wrong.length > 20) violation(`… and ${wrong.length - 20} more overlapping writes`);
  if (summary.oci.overlaps > overlaps.length) {
    violation(
      `the OCI simulator counted ${summary.oci.overlaps} overlapping PUTs, the ledger placed only ${overlaps.length}`,
    );
  }

  monitor.check();
  summary.monitor = monitor.stats;
  const shortest = Math.min(...lbs.map((lb) => lb.workRequestDelayMs));
  if (monitor.stats.maxGapMs >= shortest) {
    summary.notes.push(
      `set monitor: longest gap between polls ${Math.round(monitor.stats.maxGapMs)} ms ≥ ` +
        `shortest work request ${shortest} ms (a commit could have been missed)`,
    );
  }
}
