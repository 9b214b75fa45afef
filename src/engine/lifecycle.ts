/**
 * Where an LBRegistrar stands in its life, as the engine treats it (DESIGN §3 deletionPolicy, §8):
 *
 * | deletionTimestamp | our finalizer | policy / annotation                      | lifecycle | the engine…                          |
 * |-------------------|---------------|------------------------------------------|-----------|--------------------------------------|
 * | absent            | any           | any                                      | active    | syncs it; keeps the finalizer iff Deregister |
 * | set               | absent        | any                                      | gone      | forgets it (another finalizer holds it) |
 * | set               | present       | Retain, or skip-cleanup "true"           | releasing | forgets it and removes the finalizer, OCI untouched |
 * | set               | present       | Deregister                               | leaving   | drains then removes its backends, then removes the finalizer |
 *
 * Paused does not change the lifecycle: a paused `leaving` object's cleanup plan is held.
 */

import { skipCleanup } from "../api/annotations.ts";
import { FINALIZER } from "../api/constants.ts";
import type { LBRegistrar } from "../api/types.ts";

/** The lifecycle of an LBRegistrar; see the module table. */
export type Lifecycle = "active" | "gone" | "releasing" | "leaving";

/** The lifecycle of `lbr` from its metadata and `spec.deletionPolicy`. */
export function lifecycleOf(lbr: LBRegistrar): Lifecycle {
  if (!lbr.metadata.deletionTimestamp) return "active";
  if (!hasFinalizer(lbr)) return "gone";
  return wantsDeregister(lbr) && !skipCleanup(lbr) ? "leaving" : "releasing";
}

/** `spec.deletionPolicy` is `Deregister` (read defensively: objects may predate the CRD's schema). */
export function wantsDeregister(lbr: LBRegistrar): boolean {
  const spec: unknown = lbr.spec;
  return typeof spec === "object" && spec !== null &&
    (spec as { deletionPolicy?: unknown }).deletionPolicy === "Deregister";
}

/** The object carries the operator's finalizer. */
export function hasFinalizer(lbr: LBRegistrar): boolean {
  const finalizers: unknown = lbr.metadata.finalizers;
  return Array.isArray(finalizers) && finalizers.includes(FINALIZER);
}
