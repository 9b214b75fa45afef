/**
 * What the engine tells each LBRegistrar: the outcome of every backend set it concerns, problems of
 * the object as a whole, and the status and events built from them (DESIGN §3 status, events). The
 * engine decides; this keeps the per-object bookkeeping and does the writing, one status write at a
 * time per object.
 */

import type { ConditionReason } from "../api/conditions.ts";
import { SKIP_CLEANUP_ANNOTATION } from "../api/constants.ts";
import { formatProblem } from "../api/problem.ts";
import { type BackendSetOutcome, statusFor } from "../api/status.ts";
import type { Cluster } from "../kube/port.ts";
import type { Logger } from "../log.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";
import { type BindingsIndex, parseSetKey } from "./bindings_index.ts";
import type { Clock } from "./clock.ts";
import { lifecycleOf } from "./lifecycle.ts";
import { outcomesForStatus } from "./status_outcomes.ts";
import { createStatusPublisher } from "./status_publisher.ts";

/** A condition reason with its message. */
export interface Reason {
  reason: ConditionReason;
  message: string;
}

/** Options of `createObjectReports`. */
export interface ObjectReportsOptions {
  cluster: Cluster;
  index: BindingsIndex;
  clock: Clock;
  logger: Logger;
  /** False while planning: no status and no event is written. */
  writes: () => boolean;
  /** Whether the object's Deregister cleanup runs (its status then says so). */
  cleaningUp: (name: string) => boolean;
}

/** The per-object reports. */
export interface ObjectReports {
  /** Merges `update` into the object's outcome for a set; `replaceReason` clears an absent reason. */
  setOutcome(
    name: string,
    key: string,
    update: Partial<BackendSetOutcome>,
    replaceReason?: boolean,
  ): void;
  /** The outcome of a plan for every object it concerns, then their status. */
  report(
    key: string,
    plan: BackendSetPlan,
    setReason?: Reason,
    workRequestId?: string,
    syncedAt?: string,
  ): void;
  /** Normal events for a write (Registered, Draining, Deregistered), on every object with a Binding. */
  announce(plan: BackendSetPlan): void;
  /**
   * Names each node the plan skipped (no usable address, a duplicate IP) in a warning log line and a
   * Warning event, once per set and node until the skip ends (DESIGN §4: never sent as an empty IP).
   */
  warnSkipped(plan: BackendSetPlan): void;
  /** Sets (a message) or clears (undefined) the object's credentials problem. */
  setCredentialProblem(name: string, message: string | undefined): void;
  credentialProblem(name: string): string | undefined;
  /** A problem of the object as a whole; a blocked Deregister cleanup says how to release it. */
  objectProblem(name: string): Reason | undefined;
  /** The object's outcomes, one per set it was reported on. */
  outcomesOf(name: string): BackendSetOutcome[];
  /** Drops the outcomes of sets not in `keep`. */
  keepOutcomes(name: string, keep: ReadonlySet<string>): void;
  /** Forgets the object. */
  forget(name: string): void;
  /** Asks for the object's status to be written. */
  publish(name: string): void;
  /** Records an event about the object; failures are only logged. */
  recordEvent(name: string, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Resolves once no status write is pending. */
  flush(): Promise<void>;
}

/** Creates empty reports. */
export function createObjectReports(options: ObjectReportsOptions): ObjectReports {
  const { cluster, index, clock, logger, writes, cleaningUp } = options;
  /** Per set key: the skipped-node warnings already given, so a resync does not repeat them. */
  const skipWarned = new Map<string, Set<string>>();
  /** Per object: per set key, the last outcome. */
  const outcomes = new Map<string, Map<string, BackendSetOutcome>>();
  /** Per object: a credentials problem from its last sync. */
  const credentialProblems = new Map<string, string>();
  const statuses = createStatusPublisher(writeStatus);
  const view = () => cluster.view().lbRegistrars;

  function setOutcome(
    name: string,
    key: string,
    update: Partial<BackendSetOutcome>,
    replaceReason = false,
  ) {
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    let mine = outcomes.get(name);
    if (!mine) outcomes.set(name, mine = new Map());
    const next: BackendSetOutcome = {
      loadBalancerId,
      name: backendSetName,
      registered: [],
      draining: [],
      ...mine.get(key),
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

  /** While a cleanup runs, the object's sets say what is still to go. */
  function cleanupNote(name: string, registered: string[], draining: string[]): Reason | undefined {
    if (!cleaningUp(name) || registered.length + draining.length === 0) return undefined;
    return {
      reason: "WorkRequestPending",
      message: `Deregistering: ${draining.length} backends draining and ${registered.length} ` +
        `registered are removed once drained (deletionPolicy Deregister)`,
    };
  }

  function publish(name: string): void {
    if (writes()) statuses.publish(name);
  }

  function objectProblem(name: string): Reason | undefined {
    const problems = index.get(name)?.normalised.problems ?? [];
    const credentialProblem = credentialProblems.get(name);
    const problem: Reason | undefined = problems.length > 0
      ? { reason: "InvalidSpec", message: problems.map(formatProblem).join("; ") }
      : credentialProblem
      ? { reason: "CredentialsError", message: credentialProblem }
      : undefined;
    const lbr = view().get(name);
    if (!problem || !lbr || lifecycleOf(lbr) !== "leaving") return problem;
    return {
      ...problem,
      message: `${problem.message}; the Deregister cleanup waits: fix this, or annotate ` +
        `${SKIP_CLEANUP_ANNOTATION}="true" to release the object without touching OCI`,
    };
  }

  /** Builds and patches the status of one object (serialised per object by `statuses`). */
  async function writeStatus(name: string): Promise<void> {
    const lbr = view().get(name);
    const indexed = index.get(name);
    if (!lbr || !indexed) return;
    const problem = objectProblem(name);
    const backendSets = outcomesForStatus(outcomes.get(name), indexed.bindings.keys(), lbr)
      .sort((a, b) =>
        a.loadBalancerId.localeCompare(b.loadBalancerId) || a.name.localeCompare(b.name)
      );
    const status = statusFor({
      generation: lbr.metadata.generation,
      ...(problem ? { objectProblem: problem } : {}),
      backendSets,
      ...(lbr.status?.conditions ? { previous: lbr.status.conditions } : {}),
    }, new Date(clock.now()).toISOString());
    try {
      await cluster.patchStatus(name, status);
    } catch (error) {
      logger.warn("Cannot write status of {lbr}: {error}", { lbr: name, error: String(error) });
    }
  }

  async function recordEvent(
    name: string,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
  ) {
    const lbr = view().get(name);
    if (!lbr || !writes()) return;
    try {
      await cluster.recordEvent(lbr, { type, reason, message });
    } catch (error) {
      logger.debug("Cannot record event on {lbr}: {error}", { lbr: name, error: String(error) });
    }
  }

  return {
    setOutcome,
    report(key, plan, setReason, workRequestId, syncedAt) {
      const touched = new Set<string>();
      for (const outcome of plan.bindings) {
        const name = outcome.binding.lbr;
        const reason = plan.problems.find((p) => p.lbr === name) ?? setReason ??
          cleanupNote(name, outcome.registered, outcome.draining);
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
        const reason = setReason ?? cleanupNote(orphan.lbr, orphan.registered, orphan.draining);
        setOutcome(orphan.lbr, key, {
          ...(reason ? { reason: reason.reason, message: reason.message } : {}),
          registered: orphan.registered,
          draining: orphan.draining,
        }, true);
        touched.add(orphan.lbr);
      }
      for (const name of touched) publish(name);
    },
    announce(plan) {
      const { changes, backendSetName } = plan;
      const list = (items: { ipPort: string }[]) => items.map((c) => c.ipPort).join(", ");
      const registered = [...changes.added, ...changes.undrained, ...changes.reweighted];
      const lines: [string, { ipPort: string }[]][] = [
        ["Registered", registered],
        ["Draining", changes.drained],
        ["Deregistered", changes.removed],
      ];
      for (const name of new Set(plan.bindings.map((b) => b.binding.lbr))) {
        for (const [reason, items] of lines) {
          if (items.length === 0) continue;
          void recordEvent(
            name,
            "Normal",
            reason,
            `backend set "${backendSetName}": ${list(items)}`,
          );
        }
      }
    },
    warnSkipped(plan) {
      const now = new Set<string>();
      for (const { lbr, source, node, reason } of plan.skipped) {
        const message =
          `backend set "${plan.backendSetName}" (${source}): node "${node}" ${reason}`;
        const key = `${lbr}\u0000${message}`;
        now.add(key);
        if (skipWarned.get(plan.key)?.has(key)) continue;
        logger.warn("Skipping node {node} for {lbr}: {reason}", { lbr, node, reason: message });
        void recordEvent(lbr, "Warning", "NodeSkipped", message);
      }
      if (now.size > 0) skipWarned.set(plan.key, now);
      else skipWarned.delete(plan.key);
    },
    setCredentialProblem(name, message) {
      if (message === undefined) credentialProblems.delete(name);
      else credentialProblems.set(name, message);
    },
    credentialProblem: (name) => credentialProblems.get(name),
    objectProblem,
    outcomesOf: (name) => [...(outcomes.get(name)?.values() ?? [])],
    keepOutcomes(name, keep) {
      const mine = outcomes.get(name);
      if (mine) { for (const key of mine.keys()) if (!keep.has(key)) mine.delete(key); }
    },
    forget(name) {
      outcomes.delete(name);
      credentialProblems.delete(name);
    },
    publish,
    recordEvent: (name, type, reason, message) => void recordEvent(name, type, reason, message),
    flush: () => statuses.flush(),
  };
}
