/**
 * The output of `plan`, as data: what `--output json` prints (its shape is documented in the README
 * and stays stable within `formatVersion` 1; fields may be added, never renamed or removed) and what
 * the text output is rendered from. The exit code follows DESIGN §6: 1 when any object could not be
 * planned (errors win), else 2 when any change is pending, else 0.
 */

import type { ConditionReason } from "../../api/conditions.ts";
import type { PlannedSet, PlanReport } from "../../engine/plan_report.ts";
import type { ChangeRule, DiffEntry } from "../../plan/diff.ts";
import { ExitCode } from "../exit_code.ts";
import { type ChangeAction, changeReason } from "./change_reasons.ts";

/** Problems that stop an object from being planned; others (fail static, ownership) only warn. */
const ERROR_REASONS: ReadonlySet<ConditionReason> = new Set<ConditionReason>([
  "InvalidSpec",
  "CredentialsError",
  "ServiceNotFound",
  "NodePortNotAllocated",
  "LoadBalancerNotFound",
  "BackendSetNotFound",
]);

/** One backend that a write would change. */
export interface PlannedChange {
  action: ChangeAction;
  /** "ip:port". */
  backend: string;
  /** The node that owns the IP, when one does. */
  node?: string;
  /** The planner's rule (src/plan/diff.ts ChangeRule). */
  rule: ChangeRule;
  /** The rule in words. */
  why: string;
  /** The weight written (add and reweight). */
  weight?: number;
}

/** A drained backend waiting for its drainSeconds before removal (no write until then). */
export interface PendingRemoval {
  backend: string;
  node?: string;
  rule: ChangeRule;
  drainSeconds: number;
}

/** A problem of one LBRegistrar's Binding of the set. */
export interface PlannedProblem {
  lbRegistrar: string;
  /** The spec element, e.g. "spec.services[1]". */
  source: string;
  reason: ConditionReason;
  message: string;
  severity: "error" | "warning";
}

/** One backend set in the document. */
export interface BackendSetDocument {
  loadBalancerId: string;
  backendSetName: string;
  lbRegistrars: string[];
  /** LBRegistrars whose Deregister cleanup runs on the set. */
  deregistering: string[];
  state: "in-sync" | "changes-pending" | "error";
  /** `run` writes nothing here while an LBRegistrar on it is paused. */
  paused: boolean;
  /** Absent when the set could not be read. */
  ownership?: "Exclusive" | "Shared";
  /** Backends by state once the changes are written (as read when there are none). */
  backends?: { active: number; draining: number };
  changes: PlannedChange[];
  pendingRemovals: PendingRemoval[];
  /** Safety rules that changed the plan (fail open, fail static, ownership, unresolved). */
  safetyNotes: { rule: string; backends: number; message: string }[];
  problems: PlannedProblem[];
  /** Nodes left out for want of a usable address. */
  skipped: { lbRegistrar: string; source: string; node: string; reason: string }[];
  /** Why the set could not be planned (state "error"). */
  error?: { reason: ConditionReason; message: string };
}

/** One LBRegistrar in the document. */
export interface LBRegistrarDocument {
  name: string;
  paused: boolean;
  /** Deleted and waiting for its Deregister cleanup. */
  deleting: boolean;
  /** A problem of the object as a whole (then it cannot be planned). */
  problem?: { reason: ConditionReason; message: string };
}

/** The whole `plan --output json` document. */
export interface PlanDocument {
  formatVersion: 1;
  summary: {
    backendSets: number;
    inSync: number;
    changesPending: number;
    errors: number;
    /** The exit code of `plan`: 0 in sync, 2 changes pending, 1 error. */
    exitCode: number;
  };
  backendSets: BackendSetDocument[];
  lbRegistrars: LBRegistrarDocument[];
}

/** The document for a report. */
export function planDocument(report: PlanReport): PlanDocument {
  const backendSets = report.sets.map((set) => setDocument(set, report.nodeWithIp));
  const lbRegistrars = report.objects.map((object) => ({
    name: object.name,
    paused: object.paused,
    deleting: object.deleting,
    ...(object.problem ? { problem: object.problem } : {}),
  }));
  const count = (state: BackendSetDocument["state"]) =>
    backendSets.filter((set) => set.state === state).length;
  const errors = count("error") + lbRegistrars.filter((object) => object.problem).length;
  const changesPending = count("changes-pending");
  return {
    formatVersion: 1,
    summary: {
      backendSets: backendSets.length,
      inSync: count("in-sync"),
      changesPending,
      errors,
      exitCode: errors > 0
        ? ExitCode.failure
        : changesPending > 0
        ? ExitCode.changesPending
        : ExitCode.ok,
    },
    backendSets,
    lbRegistrars,
  };
}

function setDocument(
  set: PlannedSet,
  nodeWithIp: (ip: string) => string | undefined,
): BackendSetDocument {
  const { plan } = set;
  const nodeOf = (backend: string) => {
    const node = nodeWithIp(ipOf(backend));
    return node === undefined ? {} : { node };
  };
  const changes: PlannedChange[] = [];
  const pendingRemovals: PendingRemoval[] = [];
  const problems: PlannedProblem[] = (plan?.problems ?? []).map((problem) => ({
    lbRegistrar: problem.lbr,
    source: problem.source,
    reason: problem.reason,
    message: problem.message,
    severity: ERROR_REASONS.has(problem.reason) ? "error" : "warning",
  }));
  if (plan) {
    const entries = new Map<string, DiffEntry>(plan.entries.map((entry) => [entry.key, entry]));
    const lists: [ChangeAction, typeof plan.changes.added][] = [
      ["add", plan.changes.added],
      ["undrain", plan.changes.undrained],
      ["reweight", plan.changes.reweighted],
      ["drain", plan.changes.drained],
      ["remove", plan.changes.removed],
    ];
    for (const [action, list] of lists) {
      for (const { ipPort, rule } of list) {
        const entry = entries.get(ipPort);
        const weight = action === "add" || action === "reweight" ? entry?.next?.weight : undefined;
        changes.push({
          action,
          backend: ipPort,
          ...nodeOf(ipPort),
          rule,
          why: changeReason(action, rule, entry),
          ...(weight === undefined ? {} : { weight }),
        });
      }
    }
    for (const entry of plan.entries) {
      const { removal, actual } = entry;
      if (!entry.pending || removal?.when !== "afterDrain" || entry.next !== actual) continue;
      pendingRemovals.push({
        backend: entry.key,
        ...nodeOf(entry.key),
        rule: removal.rule,
        drainSeconds: removal.drainSeconds,
      });
    }
  }
  const failed = set.error !== undefined || problems.some((p) => p.severity === "error");
  const pending = changes.length > 0 || pendingRemovals.length > 0;
  return {
    loadBalancerId: set.loadBalancerId,
    backendSetName: set.backendSetName,
    lbRegistrars: set.lbRegistrars,
    deregistering: set.deregistering,
    state: failed ? "error" : pending ? "changes-pending" : "in-sync",
    paused: set.paused,
    ...(plan ? { ownership: plan.ownership, backends: countAfter(plan.entries) } : {}),
    changes,
    pendingRemovals,
    safetyNotes: (plan?.safety ?? []).map(({ rule, backends, message }) => ({
      rule,
      backends,
      message,
    })),
    problems,
    skipped: (plan?.skipped ?? []).map(({ lbr, source, node, reason }) => ({
      lbRegistrar: lbr,
      source,
      node,
      reason,
    })),
    ...(set.error ? { error: set.error } : {}),
  };
}

function countAfter(entries: readonly DiffEntry[]): { active: number; draining: number } {
  const counts = { active: 0, draining: 0 };
  for (const { next } of entries) if (next) counts[next.drain ? "draining" : "active"]++;
  return counts;
}

/** The IP of "ip:port" or "[ipv6]:port". */
function ipOf(backend: string): string {
  const colon = backend.lastIndexOf(":");
  const host = colon < 0 ? backend : backend.slice(0, colon);
  return host.startsWith("[") ? host.slice(1, -1) : host;
}
