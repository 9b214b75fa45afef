/**
 * Which backends each LBRegistrar registered in each backend set: the proof of ownership in Shared
 * mode (DESIGN §3). Kept in memory as the engine writes, and seeded from `status.backendSets` the
 * first time an object is seen, so a restart keeps what the previous process recorded.
 */

import { backendSetKey } from "../api/binding.ts";
import type { LBRegistrar } from "../api/types.ts";

export interface OwnershipRecords {
  /** Seeds an object's records from its status, once. */
  seed(lbr: LBRegistrar): void;
  /** Per object name, its records for one set (a live view, do not mutate). */
  forSet(setKey: string): ReadonlyMap<string, ReadonlySet<string>>;
  /** Replaces an object's records for one set; an empty list forgets it. */
  set(setKey: string, lbr: string, ipPorts: Iterable<string>): void;
  /** Forgets everything about an object. */
  forget(lbr: string): void;
  /** Set keys where the object holds records. */
  setsOf(lbr: string): string[];
}

/** Creates empty records. */
export function createOwnershipRecords(): OwnershipRecords {
  const bySet = new Map<string, Map<string, ReadonlySet<string>>>();
  const seeded = new Set<string>();
  const EMPTY = new Map<string, ReadonlySet<string>>();

  function set(setKey: string, lbr: string, ipPorts: Iterable<string>) {
    const keys = new Set(ipPorts);
    let owners = bySet.get(setKey);
    if (keys.size === 0) {
      owners?.delete(lbr);
      if (owners?.size === 0) bySet.delete(setKey);
      return;
    }
    if (!owners) bySet.set(setKey, owners = new Map());
    owners.set(lbr, keys);
  }

  return {
    seed(lbr) {
      const name = lbr.metadata.name;
      if (seeded.has(name)) return;
      seeded.add(name);
      for (const entry of lbr.status?.backendSets ?? []) {
        if (!entry || typeof entry.loadBalancerId !== "string" || typeof entry.name !== "string") {
          continue;
        }
        const keys = [...(entry.registered ?? []), ...(entry.draining ?? [])]
          .filter((k): k is string => typeof k === "string");
        set(backendSetKey(entry.loadBalancerId, entry.name), name, keys);
      }
    },
    forSet: (setKey) => bySet.get(setKey) ?? EMPTY,
    set,
    forget(lbr) {
      seeded.delete(lbr);
      for (const [key, owners] of bySet) {
        owners.delete(lbr);
        if (owners.size === 0) bySet.delete(key);
      }
    },
    setsOf: (lbr) => [...bySet].filter(([, owners]) => owners.has(lbr)).map(([key]) => key),
  };
}
