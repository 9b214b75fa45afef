/**
 * The engine (DESIGN §5): follows cluster changes, keeps one lane per load balancer, syncs backend
 * sets, re-reads everything every resync, reports status and events, and keeps the Deregister
 * finalizer. It sees Kubernetes and OCI only through their ports. `run`, `syncOnce` and `planOnce`
 * share one sync path: `planOnce` (the `plan` command) and --dry-run stop it just before the PUT.
 *
 * Drift repair, for metrics: a write on a backend set whose previous sync found it in sync (or made
 * it so) with nothing pending, when no input of that set changed since (no cluster or LBRegistrar
 * change, retry or drain wake-up reached it): only OCI can have changed, by hand or by another tool.
 */

import { isPaused } from "../api/annotations.ts";
import { backendSetKey, type Binding } from "../api/binding.ts";
import { SKIP_CLEANUP_ANNOTATION } from "../api/constants.ts";
import { formatProblem } from "../api/problem.ts";
import type { LBRegistrar } from "../api/types.ts";
import type { Cluster, ClusterChange } from "../kube/port.ts";
import { lbrChangeMatters } from "../kube/relevance.ts";
import { getLogger, type Logger } from "../log.ts";
import type { LoadBalancers, OciCredentials } from "../oci/port.ts";
import { type ClusterIndex, indexCluster } from "../plan/cluster.ts";
import { canonicalIp } from "../plan/ip_address.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";
import { type MetricsRecorder, NO_METRICS } from "../serve/metrics_recorder.ts";
import { createBindingsIndex, parseSetKey } from "./bindings_index.ts";
import { type Clock, systemClock } from "./clock.ts";
import { blameCredentials, resolveCredentials } from "./credentials.ts";
import { createDeregisterCleanups } from "./deregister_cleanups.ts";
import { createFinalizerKeeper, type FinalizerKeeper } from "./finalizer_keeper.ts";
import { intake } from "./intake.ts";
import { type Batch, createLanes } from "./lanes.ts";
import { lifecycleOf, wantsDeregister } from "./lifecycle.ts";
import { createObjectReports } from "./object_reports.ts";
import { createOwnershipRecords } from "./ownership_records.ts";
import { createUnconfirmedWrites } from "./unconfirmed_writes.ts";
import { type PlannedObject, type PlannedSet, plannedSet, type PlanReport } from "./plan_report.ts";
import { retryVerdict } from "./retry_policy.ts";
import { countBackends, summarise } from "./plan_summary.ts";
import { graceAfter } from "./shutdown_grace.ts";
import { syncBackendSet, type SyncResult } from "./sync_backend_set.ts";

export type { PlannedObject, PlannedSet, PlanReport };

export interface EngineOptions {
  cluster: Cluster;
  oci: LoadBalancers;
  /** Default namespace of API key Secrets. */
  operatorNamespace: string;
  /** @default systemClock */
  clock?: Clock;
  /** @default getLogger("engine") */
  logger?: Logger;
  /** Jitter source. @default Math.random */
  random?: () => number;
  /** @default 1000 */
  debounceMs?: number;
  /** @default 300000 */
  resyncMs?: number;
  /** @default 5000 */
  workRequestPollMs?: number;
  /** @default 300000 */
  workRequestTimeoutMs?: number;
  /** Load balancers written at the same time. @default 4 */
  maxParallelLbs?: number;
  /** Plan and report (status, events), never write OCI nor change finalizers. @default false */
  dryRun?: boolean;
  /** Where reconciles, durations and backend counts go. @default NO_METRICS */
  metrics?: MetricsRecorder;
  /**
   * Start the cluster's reflectors with the signal of `run`, `syncOnce` or `planOnce`. false: the
   * caller runs them, so caches stay warm across leadership terms. @default true
   */
  startCluster?: boolean;
  /**
   * Once the signal of `run` aborts, how long work requests OCI already accepted are still awaited,
   * so their outcome reaches status. No new sync or write starts meanwhile. @default 0
   */
  shutdownGraceMs?: number;
}

export interface Engine {
  /** Runs until `signal` aborts: first sync of everything, then changes and resyncs. */
  run(signal: AbortSignal): Promise<void>;
  /** One pass over every backend set with no retries; true when every object ends Ready. */
  syncOnce(signal: AbortSignal): Promise<boolean>;
  /**
   * Reads the cluster and every backend set once and plans each, writing nothing at all: no OCI
   * write, status, event or finalizer.
   */
  planOnce(signal: AbortSignal): Promise<PlanReport>;
}

type Mode = "run" | "once" | "plan";

/** Per backend set: consecutive failures, drain timers, and what the last sync found. */
interface SetState {
  attempts: number;
  drainedAt: Map<string, number>;
  /** Inputs that changed so far: cluster or object changes, retries and wake-ups reaching the set. */
  inputs: number;
  /** `inputs` when the last sync that left the set in sync started (see drift repair). */
  settledAt?: number;
  /** The last sync found the set in sync or wrote it. */
  healthy: boolean;
}

/** Creates the engine; nothing runs until `run`, `syncOnce` or `planOnce` (one of them, once). */
export function createEngine(options: EngineOptions): Engine {
  const {
    cluster,
    oci,
    operatorNamespace,
    clock = systemClock,
    logger = getLogger("engine"),
    random = Math.random,
    debounceMs = 1000,
    resyncMs = 300_000,
    workRequestPollMs = 5000,
    workRequestTimeoutMs = 300_000,
    maxParallelLbs = 4,
    dryRun = false,
    metrics = NO_METRICS,
    startCluster = true,
    shutdownGraceMs = 0,
  } = options;

  const index = createBindingsIndex(operatorNamespace);
  const records = createOwnershipRecords();
  const unconfirmed = createUnconfirmedWrites(oci);
  const sets = new Map<string, SetState>();
  /** InvalidSpec events already sent, by "name@generation". */
  const invalidReported = new Set<string>();
  /** planOnce: what each backend set would get. */
  const planned = new Map<string, PlannedSet>();
  const reports = createObjectReports({
    cluster,
    index,
    clock,
    logger,
    writes: () => mode !== "plan",
    cleaningUp: (name) => cleanups.has(name),
  });
  const cleanups = createDeregisterCleanups({
    index,
    records,
    lbRegistrars: () => view().lbRegistrars,
    finalizers: () => finalizers,
  });

  let clusterIndex: ClusterIndex | undefined;
  let mode: Mode = "run";
  let retries = true;
  let started = false;
  /** Aborts when the engine stops: no new sync or write starts. */
  let stopping: AbortSignal | undefined;
  /** Aborts once the shutdown grace is over: waits for work requests end too. */
  let abandon: AbortSignal | undefined;
  let finalizers: FinalizerKeeper | undefined;

  const lanes = createLanes({
    clock,
    debounceMs,
    maxParallel: maxParallelLbs,
    work: async (loadBalancerId, names, batch) => {
      metrics.laneQueueDepth(lanes.depth());
      for (const name of names) {
        // Once stopping, start nothing new: a PUT sent now would outlive the process.
        if (stopping?.aborted) return;
        await syncSet(backendSetKey(loadBalancerId, name), batch);
      }
    },
    onError: (lbId, error) =>
      logger.error("Sync of load balancer {lbId} threw: {error}", { lbId, error }),
  });

  function view() {
    return cluster.view();
  }

  function plannerView(): ClusterIndex {
    if (!clusterIndex) {
      const { nodes, services, endpointSlices } = view();
      clusterIndex = indexCluster({ nodes, services, slices: endpointSlices });
    }
    return clusterIndex;
  }

  /** Marks a set due; anything but a resync is a changed input (see drift repair). */
  function enqueue(key: string, delayMs?: number, resync = false) {
    const state = sets.get(key);
    if (state && !resync) state.inputs++;
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    lanes.enqueue(loadBalancerId, backendSetName, delayMs);
    metrics.laneQueueDepth(lanes.depth());
  }

  function stateOf(key: string): SetState {
    let state = sets.get(key);
    if (!state) {
      sets.set(key, state = { attempts: 0, drainedAt: new Map(), inputs: 0, healthy: false });
    }
    return state;
  }

  function forgetSet(key: string) {
    if (!sets.delete(key)) return;
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    metrics.forgetBackendSet(loadBalancerId, backendSetName);
  }

  /** Every set some object targets or has a Deregister cleanup to finish in. */
  function managedSetKeys(): string[] {
    const keys = new Set(index.setKeys());
    for (const name of cleanups.leaving()) for (const key of records.setsOf(name)) keys.add(key);
    return [...keys];
  }

  /** Indexes an object seen for the first time or changed. */
  function admit(lbr: LBRegistrar): { keys: string[]; changed: boolean } {
    records.seed(lbr);
    unconfirmed.seed(lbr);
    const { before, after, changed } = index.upsert(lbr);
    const indexed = index.get(lbr.metadata.name)!;
    const key = `${lbr.metadata.name}@${lbr.metadata.generation}`;
    if (indexed.normalised.problems.length > 0 && !invalidReported.has(key)) {
      invalidReported.add(key);
      const message = indexed.normalised.problems.map(formatProblem).join("; ");
      logger.warn("LBRegistrar {lbr} is invalid: {reason}", {
        lbr: lbr.metadata.name,
        reason: message,
      });
      reports.recordEvent(lbr.metadata.name, "Warning", "InvalidSpec", message);
    }
    // Outcomes of sets the object no longer targets or holds records in go away.
    reports.keepOutcomes(
      lbr.metadata.name,
      new Set([...after, ...records.setsOf(lbr.metadata.name)]),
    );
    return { keys: [...new Set([...before, ...after])], changed };
  }

  /** Forgets an object (deleted, or released without cleanup); returns the sets to sync again. */
  function forget(name: string): string[] {
    const keys = new Set([...index.remove(name), ...records.setsOf(name)]);
    records.forget(name);
    reports.forget(name);
    cleanups.forget(name);
    return [...keys];
  }

  /** Brings the engine's view of one object in line with its lifecycle (lifecycle.ts). */
  function track(lbr: LBRegistrar): { keys: string[]; changed: boolean } {
    const name = lbr.metadata.name;
    const lifecycle = lifecycleOf(lbr);
    if (lifecycle === "gone" || lifecycle === "releasing") {
      if (lifecycle === "releasing" && finalizers) {
        logger.info("Releasing LBRegistrar {lbr} without touching OCI: {reason}", {
          lbr: name,
          reason: wantsDeregister(lbr)
            ? `annotation ${SKIP_CLEANUP_ANNOTATION} is "true"`
            : "deletionPolicy is Retain",
        });
      }
      cleanups.follow(lbr);
      return { keys: forget(name), changed: true };
    }
    const admitted = admit(lbr);
    const wasLeaving = cleanups.has(name);
    if (cleanups.follow(lbr)) {
      if (!wasLeaving) {
        logger.info("Deregistering LBRegistrar {lbr}: its backends drain, then go", { lbr: name });
      }
      admitted.keys.push(...records.setsOf(name));
    }
    return admitted;
  }

  function onChange(change: ClusterChange) {
    if (change.kind !== "LBRegistrar") {
      clusterIndex = undefined;
      for (const key of intake(change, index)) enqueue(key);
      return;
    }
    const { name, before, after } = change;
    if (!after) {
      for (const key of forget(name)) enqueue(key);
      return;
    }
    if (before && !lbrChangeMatters(before, after)) return;
    const { keys, changed } = track(after);
    if (changed && before && index.get(name)) awaitResync(name);
    // Our own finalizer write comes back as a change that alters no plan.
    const matters = !before || changed || lifecycleOf(before) !== lifecycleOf(after) ||
      isPaused(before) !== isPaused(after) || before.metadata.uid !== after.metadata.uid;
    if (!matters) return;
    for (const key of keys) enqueue(key);
    reports.publish(name);
  }

  /**
   * After a spec change, the object's sets say "pending" (registered lists kept) until they are
   * synced again, so Ready=True never stands next to an observedGeneration not yet applied.
   */
  function awaitResync(name: string) {
    const known = new Set(
      reports.outcomesOf(name).map((o) => backendSetKey(o.loadBalancerId, o.name)),
    );
    const generation = view().lbRegistrars.get(name)?.metadata.generation;
    for (const key of index.get(name)?.bindings.keys() ?? []) {
      if (!known.has(key)) continue;
      reports.setOutcome(name, key, {
        reason: "WorkRequestPending",
        message: `Applying generation ${generation ?? "?"}`,
      });
    }
  }

  async function syncSet(key: string, batch?: Batch): Promise<void> {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    const lbrs = view().lbRegistrars;
    const binders = index.targeting(key).filter((name) => lbrs.has(name));
    const owned = records.forSet(key);
    const holders = [...owned.keys()].filter((name) => !binders.includes(name));
    const deregistering = new Set([...binders, ...holders].filter(cleanups.isLeaving));
    // Credentials: those of the objects with a Binding first, then of leaving ones with records.
    const candidates = [...binders, ...holders.filter((name) => deregistering.has(name))];
    if (candidates.length === 0) {
      forgetSet(key);
      return;
    }
    const bindings: Binding[] = [];
    for (const name of binders) {
      const binding = index.get(name)?.bindings.get(key);
      if (binding) bindings.push(binding);
    }
    const startedAt = clock.now();
    const state = stateOf(key);
    const inputs = state.inputs;
    const paused = [...binders, ...deregistering].some((name) => isPaused(lbrs.get(name)!));

    // Every object's Secret is read before its sync (DESIGN §8); the first that works writes.
    let writer: OciCredentials | undefined;
    let writerName = "";
    let retrySoon = false;
    for (const name of candidates) {
      const normalised = index.get(name)!.normalised;
      const result = await resolveCredentials(name, normalised, cluster);
      reports.setCredentialProblem(name, result.ok ? undefined : result.message);
      if (result.ok) {
        if (!writer) [writer, writerName] = [result.credentials, name];
      } else retrySoon ||= result.retry;
    }
    if (!writer) {
      metrics.reconcile("failed");
      metrics.observeSync((clock.now() - startedAt) / 1000, "failed");
      if (mode === "plan") {
        const message = reports.credentialProblem(candidates[0]!) ?? "No usable credentials";
        planned.set(
          key,
          plannedSet(key, { names: [...binders, ...holders], deregistering, paused }, {
            kind: "no-credentials",
            message,
          }),
        );
        return;
      }
      state.attempts++;
      state.healthy = false;
      logger.warn("No usable credentials for backend set {backendSet} of {lbId}", {
        lbId: loadBalancerId,
        backendSet: backendSetName,
      });
      for (const name of candidates) reports.publish(name);
      scheduleRetry(key, retrySoon ? 2_000 * state.attempts : 60_000);
      return;
    }

    const hold = paused
      ? "Paused" as const
      : dryRun || mode === "plan"
      ? "DryRun" as const
      : undefined;
    const result = await syncBackendSet({
      loadBalancerId,
      backendSetName,
      bindings,
      owned,
      deregistering,
      drainedAt: state.drainedAt,
      credentials: writer,
      ...(hold ? { hold } : {}),
    }, {
      oci,
      clock,
      cluster: plannerView,
      maxPollMs: workRequestPollMs,
      timeoutMs: workRequestTimeoutMs,
      ...(abandon ? { signal: abandon } : {}),
      mayWrite: () => !stopping?.aborted,
      beforeWrite: () => unconfirmed.settle(loadBalancerId, writer),
      ...(batch ? { idle: <T>(promise: Promise<T>) => batch.idle(promise) } : {}),
      metrics,
      onWriting: (plan, workRequestId) => {
        logger.info("Updating backend set {backendSet} of {lbId}: {summary}", {
          lbId: loadBalancerId,
          backendSet: backendSetName,
          workRequestId,
          summary: summarise(plan),
        });
        reportPending(key, plan, workRequestId);
      },
    });
    if (result.kind === "failed" && writerName !== "") {
      result.error = blameCredentials(result.error, writerName, index.get(writerName)!.normalised);
    }
    metrics.reconcile(result.kind);
    metrics.observeSync((clock.now() - startedAt) / 1000, result.kind);
    // Stopping: only a finished write is still recorded; anything else the next process redoes.
    if (stopping?.aborted && result.kind !== "written") return;
    const names = [...binders, ...holders];
    if (mode === "plan") {
      planned.set(key, plannedSet(key, { names, deregistering, paused }, result));
      return;
    }
    record(key, names, result, inputs, deregistering);
  }

  /** Turns a sync result into records, outcomes, events, status, metrics and the next wake-up. */
  function record(
    key: string,
    names: string[],
    result: SyncResult,
    inputs: number,
    deregistering: ReadonlySet<string>,
  ) {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    const state = stateOf(key);
    const now = new Date(clock.now()).toISOString();
    switch (result.kind) {
      case "in-sync":
      case "held":
      case "written": {
        state.attempts = 0;
        state.healthy = result.kind !== "held";
        const { plan } = result;
        const written = result.kind === "written";
        const drift = written && state.settledAt === inputs;
        // The wake-ups enqueued below count as inputs of their own.
        if (result.kind === "held") delete state.settledAt;
        else state.settledAt = inputs;
        if (drift) {
          metrics.driftRepaired(loadBalancerId, backendSetName);
          logger.info("Repaired drift of backend set {backendSet} of {lbId}", {
            lbId: loadBalancerId,
            backendSet: backendSetName,
          });
        }
        metrics.setBackends(loadBalancerId, backendSetName, countBackends(plan, written));
        const held = result.kind === "held"
          ? {
            reason: result.hold,
            message: `${result.hold === "Paused" ? "Paused" : "Dry run"}: would ${summarise(plan)}`,
          }
          : undefined;
        if (result.kind !== "held") {
          saveRecords(key, plan, names);
          cleanups.noteSync(key, plan, deregistering);
        }
        reports.report(key, plan, held, written ? result.workRequestId : undefined, now);
        reports.warnSkipped(plan);
        if (written) {
          reports.announce(plan);
          const wake = result.nextWakeAt;
          if (wake !== undefined) enqueue(key, Math.max(0, wake - clock.now()));
        } else if (plan.nextWakeAt !== undefined) {
          enqueue(key, Math.max(0, plan.nextWakeAt - clock.now()));
        }
        if (held) {
          logger.info("Not writing backend set {backendSet} of {lbId}: {reason}", {
            lbId: loadBalancerId,
            backendSet: backendSetName,
            reason: held.message,
          });
        }
        noteHealth();
        break;
      }
      case "failed": {
        state.attempts++;
        state.healthy = false;
        delete state.settledAt;
        if (result.workRequestId) {
          unconfirmed.note(loadBalancerId, result.workRequestId, result.error);
        }
        const verdict = retryVerdict(result.error, state.attempts, random);
        logger.warn(
          "Sync of backend set {backendSet} of {lbId} failed (attempt {attempt}, retry in {delayMs} ms): {reason}",
          {
            lbId: loadBalancerId,
            backendSet: backendSetName,
            attempt: state.attempts,
            delayMs: verdict.delayMs,
            reason: verdict.message,
          },
        );
        for (const name of names) {
          reports.setOutcome(name, key, { reason: verdict.reason, message: verdict.message });
          reports.recordEvent(name, "Warning", "SyncFailed", verdict.message);
          reports.publish(name);
        }
        scheduleRetry(key, verdict.delayMs);
        break;
      }
    }
  }

  function scheduleRetry(key: string, delayMs: number) {
    if (retries) enqueue(key, delayMs);
  }

  /** When every managed set is in sync, that is the last successful sync. */
  function noteHealth() {
    const keys = managedSetKeys();
    if (keys.length > 0 && keys.every((key) => sets.get(key)?.healthy)) {
      metrics.lastSuccessfulSync(clock.now() / 1000);
    }
  }

  /**
   * The records of each object after a sync: its outcome lists for the set. The plan lists every
   * recorded backend still present under some object, so one of `owners` (the objects the plan was
   * made for) that it does not mention holds none.
   */
  function saveRecords(key: string, plan: BackendSetPlan, owners: readonly string[]) {
    const mentioned = new Set<string>();
    for (const outcome of plan.bindings) {
      records.set(key, outcome.binding.lbr, [...outcome.registered, ...outcome.draining]);
      mentioned.add(outcome.binding.lbr);
    }
    for (const orphan of plan.orphans) {
      records.set(key, orphan.lbr, [...orphan.registered, ...orphan.draining]);
      mentioned.add(orphan.lbr);
    }
    for (const name of owners) if (!mentioned.has(name)) records.set(key, name, []);
  }

  /**
   * A write OCI accepted may land or not until its work request ends (it may time out, fail, or the
   * process may die meanwhile). Until then each object owns both what it held and what the write
   * registers, in memory and in status (a successor seeds its records from status), so neither a
   * backend the write adds nor one it removes is ever taken for foreign and kept forever.
   */
  function reportPending(key: string, plan: BackendSetPlan, workRequestId: string) {
    const owned = records.forSet(key);
    for (const { binding, registered, draining } of plan.bindings) {
      const name = binding.lbr;
      const held = [...(owned.get(name) ?? []), ...registered, ...draining];
      records.set(key, name, held);
      const drains = new Set(draining);
      reports.setOutcome(name, key, {
        reason: "WorkRequestPending",
        message: `Waiting for work request "${workRequestId}"`,
        registered: [...new Set(held)].filter((k) => !drains.has(k)).sort(),
        draining,
        lastWorkRequestId: workRequestId,
      });
      reports.publish(name);
    }
  }

  function planReport(): PlanReport {
    const objects: PlannedObject[] = [];
    for (const [name, lbr] of view().lbRegistrars) {
      if (!index.get(name)) continue;
      const problem = reports.objectProblem(name);
      objects.push({
        name,
        ...(problem ? { problem } : {}),
        paused: isPaused(lbr),
        deleting: lifecycleOf(lbr) === "leaving",
      });
    }
    return {
      sets: [...planned.values()].sort((a, b) =>
        a.loadBalancerId.localeCompare(b.loadBalancerId) ||
        a.backendSetName.localeCompare(b.backendSetName)
      ),
      objects: objects.sort((a, b) => a.name.localeCompare(b.name)),
      nodeWithIp: (ip) => plannerView().nodeWithIp(canonicalIp(ip) ?? ip),
    };
  }

  /** Starts one run of the engine; returns the function that ends it cleanly. */
  async function start(signal: AbortSignal, runMode: Mode): Promise<() => Promise<void>> {
    if (started) throw new Error("BUG: an engine runs once; create another one");
    started = true;
    mode = runMode;
    retries = runMode === "run";
    stopping = signal;
    const grace = graceAfter(signal, {
      graceMs: shutdownGraceMs,
      clock,
      onGrace: () => {
        if (!lanes.busy()) return;
        logger.info("Stopping: waiting up to {graceMs} ms for work requests in flight", {
          graceMs: shutdownGraceMs,
        });
      },
    });
    abandon = grace.signal;
    if (runMode !== "plan" && !dryRun) {
      finalizers = createFinalizerKeeper({
        write: (name, present) => cluster.setFinalizer(name, present),
        clock,
        logger,
        signal,
        random,
      });
    }
    let unsubscribe = () => {};
    const finish = async () => {
      unsubscribe();
      await lanes.close();
      await reports.flush();
      await finalizers?.flush();
      grace.dispose();
    };
    try {
      if (startCluster) cluster.start(signal);
      await cluster.waitForSync(signal);
    } catch (error) {
      await finish();
      throw error;
    }
    for (const lbr of view().lbRegistrars.values()) track(lbr);
    // A status written for this generation stays until the first sync replaces it: a restart must
    // not flip every Ready object to PENDING and back.
    for (const lbr of view().lbRegistrars.values()) {
      const indexed = index.get(lbr.metadata.name);
      if (!indexed) continue;
      if (
        indexed.normalised.problems.length > 0 ||
        lbr.status?.observedGeneration !== lbr.metadata.generation
      ) reports.publish(lbr.metadata.name);
    }
    unsubscribe = cluster.subscribe(onChange);
    for (const key of managedSetKeys()) enqueue(key, 0);
    return finish;
  }

  async function idle(signal: AbortSignal) {
    while (!signal.aborted && (lanes.depth() > 0 || lanes.busy())) {
      await clock.sleep(20, signal).catch(() => {});
    }
  }

  return {
    async run(signal) {
      const finish = await start(signal, "run");
      try {
        while (!signal.aborted) {
          await clock.sleep(resyncMs, signal).catch(() => {});
          if (signal.aborted) break;
          const keys = managedSetKeys();
          logger.debug("Resync of {count} backend sets", { count: keys.length });
          for (const key of keys) enqueue(key, 0, true);
        }
      } finally {
        await finish();
      }
    },
    async syncOnce(signal) {
      const finish = await start(signal, "once");
      try {
        await idle(signal);
      } finally {
        await finish();
      }
      return [...view().lbRegistrars].every(([name, lbr]) => {
        const lifecycle = lifecycleOf(lbr);
        if (lifecycle === "gone" || lifecycle === "releasing") return true;
        const indexed = index.get(name);
        const mine = reports.outcomesOf(name);
        return indexed !== undefined && indexed.normalised.problems.length === 0 &&
          reports.credentialProblem(name) === undefined && mine.length > 0 &&
          mine.every((o) => o.reason === undefined);
      });
    },
    async planOnce(signal) {
      const finish = await start(signal, "plan");
      try {
        await idle(signal);
      } finally {
        await finish();
      }
      if (signal.aborted) throw signal.reason;
      return planReport();
    },
  };
}
