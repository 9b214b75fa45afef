/**
 * The exact next backend list of one backend set, from what is desired and what OCI holds.
 *
 * | desired (by ip:port)        | actual                         | how it leaves (`Removal`)   | action                         | rule          |
 * |-----------------------------|--------------------------------|-----------------------------|--------------------------------|---------------|
 * | wanted, active              | absent                         | –                           | add, drain=false               | wanted        |
 * | wanted, drain (NotReady)    | absent                         | –                           | add, drain=true                | notReady      |
 * | wanted, drain (terminating) | absent                         | –                           | add, drain=true                | terminating   |
 * | wanted, active (fail open)  | any                            | –                           | add or undrain                 | failOpen      |
 * | wanted                      | same weight and drain          | –                           | keep as read                   | –             |
 * | wanted                      | other weight or drain          | –                           | set weight and drain           | desired rule  |
 * | –                           | present                        | now (node deleted, port changed, foreign) | remove           | that cause    |
 * | –                           | present                        | afterDrain, drainSeconds 0  | remove                         | that cause    |
 * | –                           | drain=false                    | afterDrain                  | set drain=true, pending        | that cause    |
 * | –                           | drain=true, timer running / unknown | afterDrain             | keep, pending                  | –             |
 * | –                           | drain=true, drainedAt + drainSeconds <= now | afterDrain     | remove                         | drainExpired  |
 * | any                         | second entry with the same ip:port | –                       | remove                         | duplicate     |
 *
 * Existing backends keep their place and every field the operator does not manage (backup, offline,
 * maxConnections, name, targetId); new ones are appended sorted by address then port. Drain is
 * managed: it is how NotReady and removal are expressed (DESIGN §5 lists the unmanaged flags).
 * Which `Removal` applies to a backend nobody wants is decided by the caller (see removal.ts), and
 * the safety rules (safety_rules.ts) then revert entries: this file only applies the table.
 */

import type { Backend } from "./model.ts";
import { ipPort } from "./model.ts";
import type { DesiredBackend, DesireRule } from "./desired_backends.ts";
import { canonicalIp, ipPortSortKey } from "./ip_address.ts";

/** Why a backend is added, changed or removed. */
export type ChangeRule =
  | DesireRule
  | "ineligible"
  | "deregister"
  | "drainExpired"
  | "nodeDeleted"
  | "portChanged"
  | "foreign"
  | "duplicate";

/**
 * How a backend that nobody wants leaves the set. `cleanup` marks a removal that is part of a
 * Deregister cleanup (only a leaving LBRegistrar held the backend): fail static does not stop it.
 */
export type Removal =
  | { when: "now"; rule: "nodeDeleted" | "portChanged" | "foreign" | "duplicate"; cleanup?: true }
  | { when: "afterDrain"; rule: "ineligible" | "deregister"; drainSeconds: number };

/** The decision for one ip:port. `next === actual` means untouched. */
export interface DiffEntry {
  key: string;
  /** As read from OCI; absent for a new backend. */
  actual?: Backend;
  /** As it will be written; absent when removed. */
  next?: Backend;
  /** Why `next` differs from `actual`. */
  rule?: ChangeRule;
  /** Set when nobody wants the backend. */
  removal?: Removal;
  /** Drained and waiting for its drainSeconds before removal. */
  pending?: boolean;
}

/** One line of the change summary. */
export interface BackendChange {
  ipPort: string;
  rule: ChangeRule;
}

/** What a write changes, by kind; a backend reweighted and drained appears in both lists. */
export interface BackendChanges {
  added: BackendChange[];
  drained: BackendChange[];
  undrained: BackendChange[];
  removed: BackendChange[];
  reweighted: BackendChange[];
}

/** The decisions for one backend set, the resulting list, its summary and whether a write is needed. */
export interface BackendSetDiff {
  entries: readonly DiffEntry[];
  next: Backend[];
  changes: BackendChanges;
  inSync: boolean;
}

/** Options of `diffBackends`. */
export interface DiffOptions {
  /**
   * How an unwanted backend leaves.
   * @default removed at once as "foreign" (Exclusive ownership with no knowledge of nodes)
   */
  removal?: (key: string, backend: Backend) => Removal;
  /** When the drain write of a pending backend succeeded (ms), by ip:port. @default none */
  drainedAt?: ReadonlyMap<string, number>;
  /** Current time in ms. @default 0 (no drain timer ever runs out) */
  now?: number;
}

const FOREIGN: Removal = { when: "now", rule: "foreign" };
const DUPLICATE: Removal = { when: "now", rule: "duplicate" };
const DUPLICATE_CLEANUP: Removal = { when: "now", rule: "duplicate", cleanup: true };
const NO_TIMES: ReadonlyMap<string, number> = new Map();

/** The ip:port identity of a backend read from OCI (IPv6 compared in canonical form). */
export function backendKey(backend: Backend): string {
  return ipPort(canonicalIp(backend.ipAddress) ?? backend.ipAddress, backend.port);
}

/** Compares desired backends (by ip:port) with the actual list and applies the table above. */
export function diffBackends(
  desired: ReadonlyMap<string, DesiredBackend>,
  actual: readonly Backend[],
  options: DiffOptions = {},
): BackendSetDiff {
  const { removal = () => FOREIGN, drainedAt = NO_TIMES, now = 0 } = options;
  const entries: DiffEntry[] = [];
  /** By ip:port, how its first copy leaves (undefined: it stays). */
  const seen = new Map<string, Removal | undefined>();
  for (const backend of actual) {
    const key = backendKey(backend);
    if (seen.has(key)) {
      // A copy leaves with a Deregister cleanup of the first one, which fail static does not stop.
      const copy = isCleanup(seen.get(key)) ? DUPLICATE_CLEANUP : DUPLICATE;
      entries.push({ key, actual: backend, rule: "duplicate", removal: copy });
      continue;
    }
    const want = desired.get(key);
    const entry = want
      ? updateWanted(key, backend, want)
      : leave(key, backend, removal(key, backend), drainedAt.get(key), now);
    seen.set(key, entry.removal);
    entries.push(entry);
  }
  const fresh = [...desired.values()]
    .filter((want) => !seen.has(want.key))
    .map((want) => ({ want, sortKey: ipPortSortKey(want.ipAddress, want.port) }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { want } of fresh) {
    const next: Backend = {
      ipAddress: want.ipAddress,
      port: want.port,
      weight: want.weight,
      drain: want.drain,
      backup: false,
      offline: false,
    };
    entries.push({ key: want.key, next, rule: want.rule });
  }
  return diffOf(entries);
}

/** Derives the next list, the summary and `inSync` from decisions (used again after safety rules). */
export function diffOf(entries: readonly DiffEntry[]): BackendSetDiff {
  const next: Backend[] = [];
  const changes: BackendChanges = {
    added: [],
    drained: [],
    undrained: [],
    removed: [],
    reweighted: [],
  };
  for (const entry of entries) {
    const { key, actual, next: after, rule = "wanted" } = entry;
    if (after) next.push(after);
    if (after === actual) continue;
    const change = { ipPort: key, rule };
    if (!actual) changes.added.push(change);
    else if (!after) changes.removed.push(change);
    else {
      if (!actual.drain && after.drain) changes.drained.push(change);
      if (actual.drain && !after.drain) changes.undrained.push(change);
      if (actual.weight !== after.weight) changes.reweighted.push(change);
    }
  }
  const inSync = Object.values(changes).every((list) => list.length === 0);
  return { entries, next, changes, inSync };
}

/** The removal is part of a Deregister cleanup. */
function isCleanup(removal: Removal | undefined): boolean {
  if (removal === undefined) return false;
  return removal.when === "now" ? removal.cleanup === true : removal.rule === "deregister";
}

function updateWanted(key: string, backend: Backend, want: DesiredBackend): DiffEntry {
  if (backend.weight === want.weight && backend.drain === want.drain) {
    return { key, actual: backend, next: backend };
  }
  return {
    key,
    actual: backend,
    next: { ...backend, weight: want.weight, drain: want.drain },
    rule: want.rule,
  };
}

function leave(
  key: string,
  backend: Backend,
  removal: Removal,
  drainedSince: number | undefined,
  now: number,
): DiffEntry {
  const gone = { key, actual: backend, rule: removal.rule, removal };
  if (removal.when === "now" || removal.drainSeconds <= 0) return gone;
  if (!backend.drain) {
    return { ...gone, next: { ...backend, drain: true }, pending: true };
  }
  if (drainedSince !== undefined && now >= drainedSince + removal.drainSeconds * 1000) {
    return { ...gone, rule: "drainExpired" };
  }
  return { key, actual: backend, next: backend, removal, pending: true };
}
