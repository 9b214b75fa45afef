/**
 * The engine (DESIGN §5): follows cluster changes, keeps one lane per load balancer, syncs backend
 * sets, re-reads everything every resync, and reports status and events. It sees Kubernetes and OCI
 * only through their ports.
 */

import { backendSetKey, type Binding } from "../api/binding.ts";
import type { ConditionReason } from "../api/conditions.ts";
import { isPaused } from "../api/annotations.ts";
import { formatProblem } from "../api/problem.ts";
import { type BackendSetOutcome, statusFor } from "../api/status.ts";
import type { LBRegistrar } from "../api/types.ts";
import type { Cluster, ClusterChange } from "../kube/port.ts";
import { getLogger, type Logger } from "../log.ts";
import type { LoadBalancers, OciCredentials } from "../oci/port.ts";
import { type ClusterIndex, indexCluster } from "../plan/cluster.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";
import { createBindingsIndex, parseSetKey } from "./bindings_index.ts";
import { type Clock, systemClock } from "./clock.ts";
import { blameCredentials, resolveCredentials } from "./credentials.ts";
import { intake } from "./intake.ts";
import { createLanes } from "./lanes.ts";
import { createOwnershipRecords } from "./ownership_records.ts";
import { createStatusPublisher } from "./status_publisher.ts";
import { retryVerdict } from "./retry_policy.ts";
import { syncBackendSet, type SyncResult } from "./sync_backend_set.ts";
import { outcomesForStatus } from "./status_outcomes.ts";

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
  /** Plan and report, never write OCI. @default false */
  dryRun?: boolean;
}

export interface Engine {
  /** Runs until `signal` aborts: first sync of everything, then changes and resyncs. */
  run(signal: AbortSignal): Promise<void>;
  /** One pass over every backend set with no retries; true when every object ends Ready. */
  syncOnce(signal: AbortSignal): Promise<boolean>;
}

/** Per backend set: consecutive failures and drain timers. */
interface SetState {
  attempts: number;
  drainedAt: Map<string, number>;
}

/** Creates the engine; nothing runs until `run` or `syncOnce`. */
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
  } = options;

  const index = createBindingsIndex(operatorNamespace);
  const records = createOwnershipRecords();
  const sets = new Map<string, SetState>();
  /** Per object: per set key, the last outcome. */
  const outcomes = new Map<string, Map<string, BackendSetOutcome>>();
  /** Per object: a credentials problem from its last sync. */
  const credentialProblems = new Map<string, string>();
  /** InvalidSpec events already sent, by "name@generation". */
  const invalidReported = new Set<string>();

  const statuses = createStatusPublisher(writeStatus);
  let clusterIndex: ClusterIndex | undefined;
  let retries = true;
  let signal: AbortSignal | undefined;

  const lanes = createLanes({
    clock,
    debounceMs,
    maxParallel: maxParallelLbs,
    work: async (loadBalancerId, names) => {
      for (const name of names) {
        // Once stopping, start nothing new: a PUT sent now would outlive the process.
        if (signal?.aborted) return;
        await syncSet(backendSetKey(loadBalancerId, name));
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

  function enqueue(key: string, delayMs?: number) {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    lanes.enqueue(loadBalancerId, backendSetName, delayMs);
  }

  function stateOf(key: string): SetState {
    let state = sets.get(key);
    if (!state) sets.set(key, state = { attempts: 0, drainedAt: new Map() });
    return state;
  }

  /** Indexes an object seen for the first time or changed. */
  function admit(lbr: LBRegistrar): string[] {
    records.seed(lbr);
    const { before, after } = index.upsert(lbr);
    const indexed = index.get(lbr.metadata.name)!;
    const key = `${lbr.metadata.name}@${lbr.metadata.generation}`;
    if (indexed.normalised.problems.length > 0 && !invalidReported.has(key)) {
      invalidReported.add(key);
      const message = indexed.normalised.problems.map(formatProblem).join("; ");
      logger.warn("LBRegistrar {lbr} is invalid: {reason}", {
        lbr: lbr.metadata.name,
        reason: message,
      });
      void recordEvent(lbr.metadata.name, "Warning", "InvalidSpec", message);
    }
    // Outcomes of sets the object no longer targets or holds records in go away.
    const keep = new Set([...after, ...records.setsOf(lbr.metadata.name)]);
    const mine = outcomes.get(lbr.metadata.name);
    if (mine) { for (const setKey of mine.keys()) if (!keep.has(setKey)) mine.delete(setKey); }
    return [...new Set([...before, ...after])];
  }

  function onChange(change: ClusterChange) {
    if (change.kind !== "LBRegistrar") {
      clusterIndex = undefined;
      for (const key of intake(change, index).sets) enqueue(key);
      return;
    }
    if (change.after) records.seed(change.after);
    const result = intake(change, index);
    if (!change.after) {
      records.forget(change.name);
      outcomes.delete(change.name);
      credentialProblems.delete(change.name);
    } else if (result.objects.length > 0) {
      admit(change.after);
      if (change.before) awaitResync(change.name);
    }
    for (const key of result.sets) enqueue(key);
    for (const name of result.objects) publish(name);
  }

  /**
   * After a spec change, the object's sets say "pending" (registered lists kept) until they are
   * synced again, so Ready=True never stands next to an observedGeneration not yet applied.
   */
  function awaitResync(name: string) {
    const mine = outcomes.get(name);
    const generation = view().lbRegistrars.get(name)?.metadata.generation;
    for (const key of index.get(name)?.bindings.keys() ?? []) {
      if (!mine?.has(key)) continue;
      setOutcome(name, key, {
        reason: "WorkRequestPending",
        message: `Applying generation ${generation ?? "?"}`,
      });
    }
  }

  async function syncSet(key: string): Promise<void> {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    const binders = index.targeting(key).filter((name) => view().lbRegistrars.has(name));
    if (binders.length === 0) {
      sets.delete(key);
      return;
    }
    const bindings: Binding[] = [];
    for (const name of binders) {
      const binding = index.get(name)?.bindings.get(key);
      if (binding) bindings.push(binding);
    }

    // Credentials: every object's Secret is read before its sync; the first that works writes.
    let writer: OciCredentials | undefined;
    let writerName = "";
    let retrySoon = false;
    for (const name of binders) {
      const normalised = index.get(name)!.normalised;
      const result = await resolveCredentials(name, normalised, cluster);
      if (result.ok) {
        credentialProblems.delete(name);
        if (!writer) [writer, writerName] = [result.credentials, name];
      } else {
        credentialProblems.set(name, result.message);
        retrySoon ||= result.retry;
      }
    }
    const state = stateOf(key);
    if (!writer) {
      state.attempts++;
      logger.warn("No usable credentials for backend set {backendSet} of {lbId}", {
        lbId: loadBalancerId,
        backendSet: backendSetName,
      });
      for (const name of binders) publish(name);
      scheduleRetry(key, retrySoon ? 2_000 * state.attempts : 60_000);
      return;
    }

    const paused = binders.some((name) => isPaused(view().lbRegistrars.get(name)!));
    const hold = paused ? "Paused" as const : dryRun ? "DryRun" as const : undefined;
    const owned = records.forSet(key);
    const holders = [...owned.keys()].filter((name) => !binders.includes(name));
    const result = await syncBackendSet({
      loadBalancerId,
      backendSetName,
      bindings,
      owned,
      drainedAt: state.drainedAt,
      credentials: writer,
      ...(hold ? { hold } : {}),
    }, {
      oci,
      clock,
      cluster: plannerView,
      maxPollMs: workRequestPollMs,
      timeoutMs: workRequestTimeoutMs,
      ...(signal ? { signal } : {}),
      onWriting: (plan, workRequestId) => {
        logger.info("Updating backend set {backendSet} of {lbId}: {summary}", {
          lbId: loadBalancerId,
          backendSet: backendSetName,
          workRequestId,
          summary: summarise(plan),
        });
        report(key, plan, {
          reason: "WorkRequestPending",
          message: `Waiting for work request "${workRequestId}"`,
        });
      },
    });
    // Stopped mid-sync (e.g. waiting for a work request): the status keeps saying what is pending.
    if (signal?.aborted) return;
    if (result.kind === "failed" && writerName !== "") {
      result.error = blameCredentials(result.error, writerName, index.get(writerName)!.normalised);
    }
    record(key, [...binders, ...holders], result);
  }

  /** Turns a sync result into records, outcomes, events, status and the next wake-up. */
  function record(key: string, names: string[], result: SyncResult) {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    const state = stateOf(key);
    const now = new Date(clock.now()).toISOString();
    switch (result.kind) {
      case "in-sync":
      case "held":
      case "written": {
        state.attempts = 0;
        const { plan } = result;
        const held = result.kind === "held"
          ? {
            reason: result.hold,
            message: `${result.hold === "Paused" ? "Paused" : "Dry run"}: would ${summarise(plan)}`,
          }
          : undefined;
        if (result.kind !== "held") saveRecords(key, plan);
        report(key, plan, held, result.kind === "written" ? result.workRequestId : undefined, now);
        if (result.kind === "written") {
          announce(plan);
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
        break;
      }
      case "failed": {
        state.attempts++;
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
          setOutcome(name, key, { reason: verdict.reason, message: verdict.message });
          void recordEvent(name, "Warning", "SyncFailed", verdict.message);
          publish(name);
        }
        scheduleRetry(key, verdict.delayMs);
        break;
      }
    }
  }

  function scheduleRetry(key: string, delayMs: number) {
    if (retries) enqueue(key, delayMs);
  }

  /** The records of each object after a sync: its outcome lists for the set. */
  function saveRecords(key: string, plan: BackendSetPlan) {
    for (const outcome of plan.bindings) {
      records.set(key, outcome.binding.lbr, [...outcome.registered, ...outcome.draining]);
    }
    for (const orphan of plan.orphans) {
      records.set(key, orphan.lbr, [...orphan.registered, ...orphan.draining]);
    }
  }

  /** Writes the outcome of a plan for every object it concerns, then their status. */
  function report(
    key: string,
    plan: BackendSetPlan,
    setReason?: { reason: ConditionReason; message: string },
    workRequestId?: string,
    syncedAt?: string,
  ) {
    const touched = new Set<string>();
    for (const outcome of plan.bindings) {
      const name = outcome.binding.lbr;
      const problem = plan.problems.find((p) => p.lbr === name);
      const reason = problem ?? setReason;
      setOutcome(name, key, {
        ...(reason ? { reason: reason.reason, message: reason.message } : {}),
        registered: outcome.registered,
        draining: outcome.draining,
        ...(outcome.port === undefined ? {} : { port: outcome.port }),
        ...(outcome.service === undefined ? {} : { service: outcome.service }),
        ...(workRequestId ? { lastWorkRequestId: workRequestId } : {}),
        ...(syncedAt ? { lastSyncTime: syncedAt } : {}),
      }, true);
      touched.add(name);
    }
    for (const orphan of plan.orphans) {
      setOutcome(
        orphan.lbr,
        key,
        { registered: orphan.registered, draining: orphan.draining },
        true,
      );
      touched.add(orphan.lbr);
    }
    for (const name of touched) publish(name);
  }

  function setOutcome(
    name: string,
    key: string,
    update: Partial<BackendSetOutcome>,
    replaceReason = false,
  ) {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    let mine = outcomes.get(name);
    if (!mine) outcomes.set(name, mine = new Map());
    const old = mine.get(key);
    const next: BackendSetOutcome = {
      loadBalancerId,
      name: backendSetName,
      registered: [],
      draining: [],
      ...old,
      ...update,
    };
    if (replaceReason && update.reason === undefined) {
      delete next.reason;
      delete next.message;
    }
    if (
      update.registered && update.registered.length === 0 && update.draining?.length === 0 &&
      !index.get(name)?.bindings.has(key)
    ) {
      mine.delete(key);
      return;
    }
    mine.set(key, next);
  }

  function publish(name: string): void {
    statuses.publish(name);
  }

  /** Builds and patches the status of one object (serialised per object by `statuses`). */
  async function writeStatus(name: string): Promise<void> {
    const lbr = view().lbRegistrars.get(name);
    const indexed = index.get(name);
    if (!lbr || !indexed) return;
    const problems = indexed.normalised.problems;
    const credentialProblem = credentialProblems.get(name);
    const objectProblem = problems.length > 0
      ? { reason: "InvalidSpec" as const, message: problems.map(formatProblem).join("; ") }
      : credentialProblem
      ? { reason: "CredentialsError" as const, message: credentialProblem }
      : undefined;
    const backendSets = outcomesForStatus(outcomes.get(name), indexed.bindings.keys(), lbr)
      .sort((a, b) =>
        a.loadBalancerId.localeCompare(b.loadBalancerId) || a.name.localeCompare(b.name)
      );
    const status = statusFor({
      generation: lbr.metadata.generation,
      ...(objectProblem ? { objectProblem } : {}),
      backendSets,
      ...(lbr.status?.conditions ? { previous: lbr.status.conditions } : {}),
    }, new Date(clock.now()).toISOString());
    try {
      await cluster.patchStatus(name, status);
    } catch (error) {
      logger.warn("Cannot write status of {lbr}: {error}", { lbr: name, error: String(error) });
    }
  }

  /** Normal events for a write, on every object with a Binding on the set. */
  function announce(plan: BackendSetPlan) {
    const { changes, backendSetName } = plan;
    const list = (items: { ipPort: string }[]) => items.map((c) => c.ipPort).join(", ");
    const registered = [...changes.added, ...changes.undrained, ...changes.reweighted];
    const names = new Set(plan.bindings.map((b) => b.binding.lbr));
    for (const name of names) {
      if (registered.length > 0) {
        void recordEvent(
          name,
          "Normal",
          "Registered",
          `backend set "${backendSetName}": ${list(registered)}`,
        );
      }
      if (changes.drained.length > 0) {
        void recordEvent(
          name,
          "Normal",
          "Draining",
          `backend set "${backendSetName}": ${list(changes.drained)}`,
        );
      }
      if (changes.removed.length > 0) {
        void recordEvent(
          name,
          "Normal",
          "Deregistered",
          `backend set "${backendSetName}": ${list(changes.removed)}`,
        );
      }
    }
  }

  async function recordEvent(
    name: string,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ) {
    const lbr = view().lbRegistrars.get(name);
    if (!lbr) return;
    try {
      await cluster.recordEvent(lbr, { type, reason, message });
    } catch (error) {
      logger.debug("Cannot record event on {lbr}: {error}", { lbr: name, error: String(error) });
    }
  }

  async function start(runSignal: AbortSignal): Promise<() => void> {
    signal = runSignal;
    cluster.start(runSignal);
    await cluster.waitForSync(runSignal);
    for (const lbr of view().lbRegistrars.values()) admit(lbr);
    // A status written for this generation stays until the first sync replaces it: a restart must
    // not flip every Ready object to PENDING and back.
    for (const lbr of view().lbRegistrars.values()) {
      const problems = index.get(lbr.metadata.name)?.normalised.problems.length ?? 0;
      if (problems > 0 || lbr.status?.observedGeneration !== lbr.metadata.generation) {
        publish(lbr.metadata.name);
      }
    }
    const unsubscribe = cluster.subscribe(onChange);
    for (const key of index.setKeys()) enqueue(key, 0);
    return unsubscribe;
  }

  async function idle(runSignal: AbortSignal) {
    while (!runSignal.aborted && (lanes.depth() > 0 || lanes.busy())) {
      await clock.sleep(20, runSignal).catch(() => {});
    }
  }

  return {
    async run(runSignal) {
      const unsubscribe = await start(runSignal);
      try {
        while (!runSignal.aborted) {
          await clock.sleep(resyncMs, runSignal).catch(() => {});
          if (runSignal.aborted) break;
          logger.debug("Resync of {count} backend sets", { count: index.setKeys().length });
          for (const key of index.setKeys()) enqueue(key, 0);
        }
      } finally {
        unsubscribe();
        await lanes.close();
        await statuses.flush();
      }
    },
    async syncOnce(runSignal) {
      retries = false;
      const unsubscribe = await start(runSignal);
      try {
        await idle(runSignal);
      } finally {
        unsubscribe();
        await lanes.close();
        await statuses.flush();
      }
      return [...view().lbRegistrars.keys()].every((name) => {
        const indexed = index.get(name);
        const mine = [...(outcomes.get(name)?.values() ?? [])];
        return indexed !== undefined && indexed.normalised.problems.length === 0 &&
          !credentialProblems.has(name) && mine.length > 0 && mine.every((o) =>
            o.reason === undefined
          );
      });
    },
  };
}

/** "add 2, drain 1, remove 1" for logs and messages. */
function summarise(plan: BackendSetPlan): string {
  const { added, drained, undrained, removed, reweighted } = plan.changes;
  const parts = [
    [added.length, "add"],
    [drained.length, "drain"],
    [undrained.length, "undrain"],
    [removed.length, "remove"],
    [reweighted.length, "reweight"],
  ].filter(([n]) => (n as number) > 0).map(([n, verb]) => `${verb} ${n}`);
  return parts.length > 0 ? parts.join(", ") : "no change";
}
