/**
 * Graceful shutdown (DESIGN §5): when the engine is told to stop, no new sync or write starts, but a
 * work request OCI already accepted is still awaited for a while, so its outcome reaches status and
 * nothing is left half-known. This is the signal that ends that wait.
 */

import type { Clock } from "./clock.ts";

/** Options of `graceAfter`. */
export interface GraceOptions {
  /** How long after `stop` the returned signal aborts; 0 or less: at once. */
  graceMs: number;
  clock: Clock;
  /** Called when a grace period starts (for a log line). */
  onGrace?: () => void;
}

/** A signal that aborts `graceMs` after `stop` does; `dispose` cancels its timer. */
export function graceAfter(
  stop: AbortSignal,
  options: GraceOptions,
): { signal: AbortSignal; dispose(): void } {
  const { graceMs, clock, onGrace } = options;
  const over = new AbortController();
  const timer = new AbortController();
  const onStop = () => {
    if (graceMs <= 0) return over.abort(stop.reason);
    onGrace?.();
    clock.sleep(graceMs, timer.signal).then(() => over.abort(stop.reason), () => {});
  };
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });
  return {
    signal: over.signal,
    dispose() {
      stop.removeEventListener("abort", onStop);
      timer.abort();
    },
  };
}
