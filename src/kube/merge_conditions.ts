/** Condition bookkeeping for status writes: transition times move only on a real transition. */
import type { Condition } from "../api/types.ts";
import { kubeTime } from "./_time.ts";

/**
 * `next` with each condition's `lastTransitionTime` taken from `previous` when a condition of the
 * same type had the same status, else set to `now` (RFC 3339, whole seconds, as metav1.Time).
 */
export function mergeConditions(
  previous: readonly Condition[] | undefined,
  next: readonly Condition[],
  now: number,
): Condition[] {
  const stamp = kubeTime(now);
  return next.map((condition) => {
    const old = previous?.find((c) => c.type === condition.type);
    const lastTransitionTime = old && old.status === condition.status
      ? old.lastTransitionTime
      : stamp;
    return { ...condition, lastTransitionTime };
  });
}
