/**
 * Safety rules, each a small step named after its rule that returns the new desired set or diff and,
 * when it changed something, a note saying why (for status, events and `plan` output).
 * They only ever make a plan more careful: turn a drain into "active", or revert an entry to what
 * OCI holds. `planBackendSet` applies them in this order:
 *
 * | step                    | before/after diff | fires when                                           | effect                              |
 * |-------------------------|-------------------|------------------------------------------------------|-------------------------------------|
 * | failOpenWhenAllNotReady | before            | every desired backend would be drained               | none is drained                     |
 * | restrictToOwned         | after             | Shared ownership and a change touches an unrecorded backend | that backend is left as read |
 * | keepWhenDesiredEmpty    | after             | valid bindings want nothing and something would go   | nothing is drained or removed       |
 * | holdWhileUnresolved     | after             | a binding's port or spec cannot be resolved          | nothing is drained or removed       |
 *
 * The last two spare removals caused by a Deregister cleanup (DESIGN §4: "except on Deregister").
 */

import type { ConditionReason } from "../api/conditions.ts";
import type { DesiredBackend, EmptyReason } from "./desired_backends.ts";
import { type BackendSetDiff, type DiffEntry, diffOf } from "./diff.ts";

/** Names of the safety rules. */
export type SafetyRule =
  | "failOpenWhenAllNotReady"
  | "restrictToOwned"
  | "keepWhenDesiredEmpty"
  | "holdWhileUnresolved";

/** A safety rule that changed the plan, how many backends it touched, and why. */
export interface SafetyNote {
  rule: SafetyRule;
  reason?: ConditionReason;
  backends: number;
  message: string;
}

/** The result of a post-diff rule. */
export interface RuleResult {
  diff: BackendSetDiff;
  fired?: SafetyNote;
}

/** Fail open: if every desired backend would be drained, drain none (DESIGN §4). */
export function failOpenWhenAllNotReady(desired: ReadonlyMap<string, DesiredBackend>): {
  desired: ReadonlyMap<string, DesiredBackend>;
  fired?: SafetyNote;
} {
  if (desired.size === 0) return { desired };
  for (const backend of desired.values()) if (!backend.drain) return { desired };
  const open = new Map<string, DesiredBackend>();
  for (const [key, backend] of desired) {
    open.set(key, { ...backend, drain: false, rule: "failOpen" });
  }
  return {
    desired: open,
    fired: {
      rule: "failOpenWhenAllNotReady",
      backends: open.size,
      message:
        `Keeping all ${open.size} desired backends active although none is ready: draining them all would leave the load balancer without a backend (fail open)`,
    },
  };
}

/** Shared ownership: backends nobody recorded are left exactly as read. */
export function restrictToOwned(
  diff: BackendSetDiff,
  changeable: (key: string) => boolean,
): RuleResult {
  return revert(diff, (entry) => !changeable(entry.key), (n) => ({
    rule: "restrictToOwned",
    backends: n,
    message: `Leaving ${n} backends alone that no LBRegistrar registered (ownership Shared)`,
  }));
}

/** Fail static: when valid bindings want nothing, an existing backend set is not emptied. */
export function keepWhenDesiredEmpty(
  diff: BackendSetDiff,
  empty: EmptyReason | undefined,
): RuleResult {
  if (!empty) return { diff };
  return revert(diff, isNotDeregister, (n) => ({
    rule: "keepWhenDesiredEmpty",
    reason: empty,
    backends: n,
    message:
      `Keeping ${n} backends that would be drained or removed: no backend is desired (fail static)`,
  }));
}

/** While some binding cannot be planned, its backends cannot be told apart: remove nothing. */
export function holdWhileUnresolved(
  diff: BackendSetDiff,
  unresolved: readonly string[],
): RuleResult {
  if (unresolved.length === 0) return { diff };
  return revert(diff, isNotDeregister, (n) => ({
    rule: "holdWhileUnresolved",
    backends: n,
    message: `Keeping ${n} backends that would be drained or removed: ${
      unresolved.join(", ")
    } cannot be planned`,
  }));
}

function isNotDeregister(entry: DiffEntry): boolean {
  const { removal } = entry;
  if (!removal) return false;
  return removal.when === "now" ? !removal.cleanup : removal.rule !== "deregister";
}

/** Reverts to "as read" every existing entry that `applies` to and that changes or awaits removal. */
function revert(
  diff: BackendSetDiff,
  applies: (entry: DiffEntry) => boolean,
  note: (count: number) => SafetyNote,
): RuleResult {
  let count = 0;
  const entries = diff.entries.map((entry) => {
    const { key, actual } = entry;
    if (!actual || (entry.next === actual && !entry.pending) || !applies(entry)) return entry;
    count++;
    return { key, actual, next: actual };
  });
  return count === 0 ? { diff } : { diff: diffOf(entries), fired: note(count) };
}
