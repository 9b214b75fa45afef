/** Which LBRegistrar changes call for a new plan (DESIGN §5 intake). */
import { PAUSED_ANNOTATION, SKIP_CLEANUP_ANNOTATION } from "../api/constants.ts";
import type { LBRegistrar } from "../api/types.ts";
import { deepEqual } from "./_equal.ts";

/**
 * True when the change between two versions of an LBRegistrar matters to the engine: creation,
 * deletion, a new object under the same name, a spec (generation) change, deletion starting, a
 * finalizer change, or the paused / skip-cleanup annotation changing. A status-only change (the
 * operator's own patch) is false, so status writes never loop.
 */
export function lbrChangeMatters(before?: LBRegistrar, after?: LBRegistrar): boolean {
  if (!before || !after) return before !== after;
  const old = before.metadata;
  const now = after.metadata;
  return old.uid !== now.uid ||
    old.generation !== now.generation ||
    old.deletionTimestamp !== now.deletionTimestamp ||
    !deepEqual(old.finalizers ?? [], now.finalizers ?? []) ||
    annotation(before, PAUSED_ANNOTATION) !== annotation(after, PAUSED_ANNOTATION) ||
    annotation(before, SKIP_CLEANUP_ANNOTATION) !== annotation(after, SKIP_CLEANUP_ANNOTATION) ||
    // Generation covers spec changes on a real server; comparing spec also covers objects without one.
    !deepEqual(before.spec, after.spec);
}

function annotation(lbr: LBRegistrar, name: string): string | undefined {
  return lbr.metadata.annotations?.[name];
}
