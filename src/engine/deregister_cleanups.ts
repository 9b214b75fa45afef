/**
 * Deregister cleanups (DESIGN §3 deletionPolicy, §8): which deleted objects are leaving, how far
 * each has come, and the finalizer each object should carry meanwhile. A cleanup is finished when
 * every set the object targets or holds records in has been synced with none of its backends left;
 * then its finalizer goes. The planner does the draining and removing (`deregistering` input).
 */

import type { LBRegistrar } from "../api/types.ts";
import type { BackendSetPlan } from "../plan/plan_backend_set.ts";
import type { BindingsIndex } from "./bindings_index.ts";
import type { FinalizerKeeper } from "./finalizer_keeper.ts";
import { hasFinalizer, lifecycleOf, wantsDeregister } from "./lifecycle.ts";
import type { OwnershipRecords } from "./ownership_records.ts";

/** Options of `createDeregisterCleanups`. */
export interface DeregisterCleanupsOptions {
  index: BindingsIndex;
  records: OwnershipRecords;
  /** The LBRegistrars as the reflector sees them. */
  lbRegistrars: () => ReadonlyMap<string, LBRegistrar>;
  /** Absent while planning and in dry-run: no finalizer is ever changed then. */
  finalizers: () => FinalizerKeeper | undefined;
}

/** The cleanups. */
export interface DeregisterCleanups {
  /** A valid object whose cleanup runs (an invalid spec names no credentials to clean up with). */
  isLeaving(name: string): boolean;
  /** Follows `lbr`'s lifecycle (start or stop its cleanup, keep its finalizer); true when leaving. */
  follow(lbr: LBRegistrar): boolean;
  /** Forgets an object's cleanup. */
  forget(name: string): void;
  /** Names of the leaving objects. */
  leaving(): IterableIterator<string>;
  has(name: string): boolean;
  /** After a successful sync of a set: the progress of the objects leaving it. */
  noteSync(key: string, plan: BackendSetPlan, deregistering: ReadonlySet<string>): void;
}

/** Creates the cleanups' bookkeeping. */
export function createDeregisterCleanups(options: DeregisterCleanupsOptions): DeregisterCleanups {
  const { index, records, lbRegistrars, finalizers } = options;
  /** Per leaving object, the set keys where its cleanup is finished. */
  const cleanups = new Map<string, Set<string>>();

  function isLeaving(name: string): boolean {
    const lbr = lbRegistrars().get(name);
    return lbr !== undefined && lifecycleOf(lbr) === "leaving" &&
      index.get(name)?.normalised.problems.length === 0;
  }

  function done(name: string): boolean {
    const finished = cleanups.get(name);
    const keys = [...(index.get(name)?.bindings.keys() ?? []), ...records.setsOf(name)];
    return keys.every((key) => finished?.has(key));
  }

  /** Asks the keeper for the finalizer the object should carry now. */
  function keepFinalizer(lbr: LBRegistrar) {
    const keeper = finalizers();
    if (!keeper) return;
    const name = lbr.metadata.name;
    const lifecycle = lifecycleOf(lbr);
    const wanted = lifecycle === "active"
      ? wantsDeregister(lbr)
      : lifecycle === "leaving"
      ? !done(name)
      : lifecycle === "releasing"
      ? false
      : undefined;
    if (wanted !== undefined) keeper.want(name, wanted, hasFinalizer(lbr));
  }

  return {
    isLeaving,
    follow(lbr) {
      const name = lbr.metadata.name;
      const leaving = isLeaving(name);
      if (!leaving) cleanups.delete(name);
      else if (!cleanups.has(name)) cleanups.set(name, new Set());
      keepFinalizer(lbr);
      return leaving;
    },
    forget: (name) => void cleanups.delete(name),
    leaving: () => cleanups.keys(),
    has: (name) => cleanups.has(name),
    noteSync(key, plan, deregistering) {
      for (const name of deregistering) {
        const finished = cleanups.get(name);
        if (!finished) continue;
        if (leftIn(plan, name) === 0) finished.add(key);
        else finished.delete(key);
        const lbr = lbRegistrars().get(name);
        if (lbr) keepFinalizer(lbr);
      }
    },
  };
}

/** How many of an object's backends the set holds after the plan. */
function leftIn(plan: BackendSetPlan, name: string): number {
  let left = 0;
  for (const outcome of plan.bindings) {
    if (outcome.binding.lbr === name) left += outcome.registered.length + outcome.draining.length;
  }
  for (const orphan of plan.orphans) {
    if (orphan.lbr === name) left += orphan.registered.length + orphan.draining.length;
  }
  return left;
}
