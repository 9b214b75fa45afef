/**
 * How a backend that no Binding wants leaves its set (DESIGN §8). The first row that applies wins:
 *
 * | # | the unwanted backend                                                    | leaves      | rule        |
 * |---|-------------------------------------------------------------------------|-------------|-------------|
 * | 1 | not managed: in no status record, wanted by no leaving binding, and at a port no binding uses | now | foreign |
 * | 2 | its IP belongs to no Node (the Node was deleted)                        | now         | nodeDeleted |
 * | 3 | recorded by a Deregister-ing LBRegistrar and by no remaining one        | after drain | deregister  |
 * | 4 | at a port no remaining binding uses, while its IP is wanted at another  | now         | portChanged |
 * | 5 | otherwise: the Node exists but is no longer eligible (label, selector, taint, endpoints gone, deletionTimestamp) | after drain | ineligible |
 *
 * Rows 2 and 3 on a backend only leaving LBRegistrars held are part of a Deregister cleanup, which
 * fail static does not stop (DESIGN §4). Row 1 only matters in Exclusive mode; in Shared mode
 * restrictToOwned keeps unrecorded backends.
 * A Node with a deletionTimestamp still exists and its machine may still serve, so it drains (row 5);
 * once the Node object is gone the backend goes at once (row 2), even mid-drain. Row 4 is the old
 * ip:port after a NodePort change: the new one is added in the same write, so nothing is lost.
 */

import type { Backend } from "./model.ts";
import type { Removal } from "./diff.ts";
import { canonicalIp } from "./ip_address.ts";

/** What `removalPolicy` needs to know about the backend set and the cluster. */
export interface RemovalContext {
  /** The node owning a canonical IP, if any. */
  nodeWithIp: (canonicalIp: string) => string | undefined;
  /** Whether an ip:port is in any status record of this set, or wanted now by a leaving binding. */
  recorded: (key: string) => boolean;
  /** Whether an ip:port is recorded by (or wanted by) LBRegistrars being deregistered. */
  ownedByLeaving: (key: string) => boolean;
  /** Whether an ip:port is recorded by LBRegistrars that stay. */
  ownedByRemaining: (key: string) => boolean;
  /** Resolved ports of every binding of the set, leaving ones included. */
  bindingPorts: ReadonlySet<number>;
  /** Resolved ports of the bindings that stay. */
  remainingPorts: ReadonlySet<number>;
  /** Whether a canonical IP is that of a backend wanted now. */
  isDesiredIp: (canonicalIp: string) => boolean;
  /** drainSeconds of the set. */
  drainSeconds: number;
}

/** The `removal` callback of `diffBackends` for one backend set. */
export function removalPolicy(context: RemovalContext): (key: string, backend: Backend) => Removal {
  const { recorded, ownedByLeaving, ownedByRemaining, bindingPorts, remainingPorts, isDesiredIp } =
    context;
  return (key, backend) => {
    const ip = canonicalIp(backend.ipAddress);
    if (!recorded(key) && !bindingPorts.has(backend.port)) {
      return { when: "now", rule: "foreign" };
    }
    const leavingOnly = ownedByLeaving(key) && !ownedByRemaining(key);
    if (ip === undefined || context.nodeWithIp(ip) === undefined) {
      return leavingOnly
        ? { when: "now", rule: "nodeDeleted", cleanup: true }
        : { when: "now", rule: "nodeDeleted" };
    }
    if (leavingOnly) {
      return { when: "afterDrain", rule: "deregister", drainSeconds: context.drainSeconds };
    }
    if (!remainingPorts.has(backend.port) && isDesiredIp(ip)) {
      return { when: "now", rule: "portChanged" };
    }
    return { when: "afterDrain", rule: "ineligible", drainSeconds: context.drainSeconds };
  };
}
