/**
 * The plan of one backend set: every Binding (of every LBRegistrar) that names it, the backends OCI
 * holds, the ownership records from status, and the drain timers, turned into the exact next list.
 * Linear in nodes + backends, so the engine can plan 200 sets over 5,000 nodes on every change.
 *
 * Steps: desires per Binding → merge (Bindings of Deregister-ing LBRegistrars contribute nothing)
 * → failOpenWhenAllNotReady → diff (removal.ts decides how unwanted backends leave) →
 * restrictToOwned (Shared) → keepWhenDesiredEmpty → holdWhileUnresolved → drain timers → outcomes.
 * Ownership: Shared if any staying Binding is Shared (the Exclusive ones get OwnershipConflict);
 * with only Deregister-ing Bindings left, only what they recorded or want is touched.
 */

import { backendSetKey, type Binding } from "../api/binding.ts";
import type { ConditionReason } from "../api/conditions.ts";
import { DEFAULT_DRAIN_SECONDS } from "../api/constants.ts";
import type { Ownership } from "../api/types.ts";
import type { Backend } from "./model.ts";
import type { ClusterIndex } from "./cluster.ts";
import { type BindingDesire, bindingDesire, desiredBackends } from "./desired_backends.ts";
import { type BackendChanges, diffBackends, type DiffEntry } from "./diff.ts";
import { type DrainTimers, drainTimers } from "./drain_timers.ts";
import { type BindingOutcome, bindingOutcomes, type OrphanOutcome } from "./outcomes.ts";
import { removalPolicy } from "./removal.ts";
import {
  failOpenWhenAllNotReady,
  holdWhileUnresolved,
  keepWhenDesiredEmpty,
  restrictToOwned,
  type SafetyNote,
} from "./safety_rules.ts";

/** Everything needed to plan one backend set. */
export interface BackendSetInput {
  loadBalancerId: string;
  backendSetName: string;
  /** Every Binding naming this set, those of Deregister-ing LBRegistrars included. */
  bindings: readonly Binding[];
  /** The backends OCI holds, in OCI's order. */
  actual: readonly Backend[];
  /** Per LBRegistrar name, the ip:port its status lists for this set (registered ∪ draining). */
  owned?: ReadonlyMap<string, ReadonlySet<string>>;
  /** LBRegistrars whose Deregister cleanup runs: their backends drain, then go. */
  deregistering?: ReadonlySet<string>;
  /** When each drain-before-removal write succeeded (ms), by ip:port, for this set. */
  drainedAt?: ReadonlyMap<string, number>;
  /** Current time (ms). */
  now: number;
}

/** A problem of one Binding, for its LBRegistrar's conditions. */
export interface PlanProblem {
  lbr: string;
  /** The spec element ("spec.services[1]"). */
  source: string;
  reason: ConditionReason;
  message: string;
}

/** A node left out for want of a usable address (or as a duplicate); `reason` follows "node "n1" ". */
export interface PlanSkip {
  lbr: string;
  source: string;
  node: string;
  reason: string;
}

/** The plan of one backend set. */
export interface BackendSetPlan {
  /** backendSetKey(loadBalancerId, backendSetName). */
  key: string;
  loadBalancerId: string;
  backendSetName: string;
  ownership: Ownership;
  /** The full list to PUT (only when `inSync` is false). */
  next: Backend[];
  inSync: boolean;
  changes: BackendChanges;
  /** The decision for every ip:port, for `plan --output json` and tests. */
  entries: readonly DiffEntry[];
  /** Safety rules that changed the plan. */
  safety: SafetyNote[];
  /** One per input Binding, in input order. */
  bindings: BindingOutcome[];
  orphans: OrphanOutcome[];
  problems: PlanProblem[];
  skipped: PlanSkip[];
  drainTimers: DrainTimers;
  /** Earliest time (ms) a draining backend becomes removable: plan again then. */
  nextWakeAt?: number;
}

const NO_RECORDS: ReadonlyMap<string, ReadonlySet<string>> = new Map();
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_TIMES: ReadonlyMap<string, number> = new Map();

/** Plans one backend set; never throws for user data. */
export function planBackendSet(cluster: ClusterIndex, input: BackendSetInput): BackendSetPlan {
  const { loadBalancerId, backendSetName, bindings, actual, now } = input;
  const { owned = NO_RECORDS, deregistering = NO_NAMES, drainedAt = NO_TIMES } = input;
  const key = backendSetKey(loadBalancerId, backendSetName);
  for (const binding of bindings) {
    const other = backendSetKey(binding.loadBalancerId, binding.backendSetName);
    if (other !== key) throw new Error(`BUG: binding of "${other}" passed to the plan of "${key}"`);
  }
  const desires = bindings.map((binding) => bindingDesire(cluster, binding));
  const staying = desires.filter((d) => !deregistering.has(d.binding.lbr));
  const leaving = desires.filter((d) => deregistering.has(d.binding.lbr));
  const ownership: Ownership =
    staying.length === 0 || staying.some((d) => d.binding.ownership === "Shared")
      ? "Shared"
      : "Exclusive";

  const merged = desiredBackends(staying);
  const failOpen = failOpenWhenAllNotReady(merged);
  const desired = failOpen.desired;

  // Membership tests over the status sets as given: copying 5,000 keys per set per plan adds up.
  const leavingSets: { has(key: string): boolean }[] = leaving.map((d) => d.wants);
  const stayingSets: ReadonlySet<string>[] = [];
  for (const [lbr, keys] of owned) (deregistering.has(lbr) ? leavingSets : stayingSets).push(keys);
  const ownedByLeaving = inAny(leavingSets);
  const ownedByRemaining = inAny(stayingSets);
  const recorded = (k: string) => ownedByLeaving(k) || ownedByRemaining(k);
  let desiredIps: ReadonlySet<string> | undefined;
  const removal = removalPolicy({
    nodeWithIp: cluster.nodeWithIp,
    recorded,
    ownedByLeaving,
    ownedByRemaining,
    bindingPorts: portsOf(desires),
    remainingPorts: portsOf(staying),
    isDesiredIp: (ip) =>
      (desiredIps ??= new Set([...desired.values()].map((d) => d.ipAddress))).has(ip),
    drainSeconds: drainSecondsOf(desires),
  });

  const safety: SafetyNote[] = failOpen.fired ? [failOpen.fired] : [];
  let diff = diffBackends(desired, actual, { removal, drainedAt, now });
  const unresolved = staying.filter((d) => d.problem);
  const empty = desired.size === 0 && staying.some((d) => !d.problem)
    ? (staying.some((d) => d.empty?.reason === "NoReadyEndpoints")
      ? "NoReadyEndpoints"
      : "NoEligibleNodes")
    : undefined;
  const steps = [
    (d: typeof diff) =>
      ownership === "Shared"
        ? restrictToOwned(d, (k) => recorded(k) || desired.has(k))
        : { diff: d },
    (d: typeof diff) => keepWhenDesiredEmpty(d, empty),
    (d: typeof diff) => holdWhileUnresolved(d, unresolved.map((u) => u.binding.source)),
  ];
  for (const step of steps) {
    const result = step(diff);
    diff = result.diff;
    if (result.fired) safety.push(result.fired);
  }

  const timers = drainTimers(diff.entries, drainedAt, now);
  const outcomes = bindingOutcomes({
    desires,
    leaving: deregistering,
    entries: diff.entries,
    wanted: desired,
    owned,
    ownership,
  });
  const keptStatic = safety.find((note) => note.rule === "keepWhenDesiredEmpty");
  return {
    key,
    loadBalancerId,
    backendSetName,
    ownership,
    next: diff.next,
    inSync: diff.inSync,
    changes: diff.changes,
    entries: diff.entries,
    safety,
    bindings: outcomes.bindings,
    orphans: outcomes.orphans,
    problems: problemsOf(staying, ownership, key, keptStatic),
    skipped: staying.flatMap(({ binding, skipped }) =>
      skipped.map((s) => ({ lbr: binding.lbr, source: binding.source, ...s }))
    ),
    drainTimers: timers.drainTimers,
    ...(timers.nextWakeAt === undefined ? {} : { nextWakeAt: timers.nextWakeAt }),
  };
}

function inAny(sets: readonly { has(key: string): boolean }[]): (key: string) => boolean {
  return (key) => sets.some((set) => set.has(key));
}

function portsOf(desires: readonly BindingDesire[]): Set<number> {
  const ports = new Set<number>();
  for (const { port } of desires) if (port !== undefined) ports.add(port);
  return ports;
}

/**
 * The drain delay of the set: the longest drainSeconds of its valid Bindings, leaving ones included,
 * else the default. Longest, because a drain cut short drops connections while one held longer only
 * delays a removal; and one value per set, so a plan does not change its mind when status records
 * (and with them the owners of a backend) change between two syncs.
 */
function drainSecondsOf(desires: readonly BindingDesire[]): number {
  let longest: number | undefined;
  for (const { binding, problem } of desires) {
    if (problem?.reason === "InvalidSpec") continue;
    longest = Math.max(longest ?? 0, binding.drainSeconds);
  }
  return longest ?? DEFAULT_DRAIN_SECONDS;
}

function problemsOf(
  staying: readonly BindingDesire[],
  ownership: Ownership,
  key: string,
  keptStatic: SafetyNote | undefined,
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const sharers = [
    ...new Set(
      staying.filter((d) => d.binding.ownership === "Shared").map((d) => `"${d.binding.lbr}"`),
    ),
  ];
  const sharedBy = sharers.length === 1
    ? `LBRegistrar ${sharers[0]} shares`
    : `LBRegistrars ${sharers.join(", ")} share`;
  for (const { binding, problem, empty } of staying) {
    const { lbr, source } = binding;
    if (problem) problems.push({ lbr, source, ...problem });
    else if (empty) {
      const kept = keptStatic
        ? `; ${keptStatic.backends} backends kept as they are (fail static)`
        : "";
      problems.push({ lbr, source, reason: empty.reason, message: empty.message + kept });
    }
    if (ownership === "Shared" && binding.ownership === "Exclusive") {
      problems.push({
        lbr,
        source,
        reason: "OwnershipConflict",
        message:
          `Cannot own backend set "${key}" exclusively (${source}): ${sharedBy} it with ownership Shared, so backends nobody registered are kept`,
      });
    }
  }
  return problems;
}
