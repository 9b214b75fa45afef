/**
 * Why a backend changes, in words, from the planner's change rule (src/plan/diff.ts) and removal
 * (src/plan/removal.ts): the WHY column of `plan` and its JSON `why`.
 */

import type { ChangeRule, DiffEntry } from "../../plan/diff.ts";

/** What happens to a backend. */
export type ChangeAction = "add" | "drain" | "undrain" | "remove" | "reweight";

/** One sentence for `action` on `entry` under `rule`. */
export function changeReason(action: ChangeAction, rule: ChangeRule, entry?: DiffEntry): string {
  const removal = entry?.removal;
  const drainSeconds = removal?.when === "afterDrain" ? removal.drainSeconds : undefined;
  const thenRemoved = drainSeconds === undefined ? "" : `, removed after ${drainSeconds}s`;
  switch (rule) {
    case "wanted":
      if (action === "reweight") {
        return `weight ${entry?.actual?.weight ?? "?"} becomes ${entry?.next?.weight ?? "?"}`;
      }
      return action === "undrain" ? "node is eligible and Ready again" : "node is eligible";
    case "notReady":
      return "node is NotReady: kept, drained (never removed for readiness alone)";
    case "terminating":
      return "the Service's endpoints on the node are terminating: drained";
    case "failOpen":
      return "every eligible node is NotReady: kept active (fail open)";
    case "ineligible":
      return action === "drain"
        ? `node no longer eligible (label, selector, taint or endpoints): drained${thenRemoved}`
        : "node no longer eligible (label, selector, taint or endpoints)";
    case "deregister":
      return action === "drain"
        ? `its LBRegistrar is being deleted (deletionPolicy Deregister): drained${thenRemoved}`
        : "its LBRegistrar is being deleted (deletionPolicy Deregister)";
    case "drainExpired":
      return "drained for drainSeconds: removed";
    case "nodeDeleted":
      return "node deleted";
    case "portChanged":
      return "NodePort changed: the new port is added in the same write";
    case "foreign":
      return "registered by no LBRegistrar (ownership Exclusive)";
    case "duplicate":
      return "second entry for the same ip:port";
  }
}
