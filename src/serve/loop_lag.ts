/** How late the event loop runs timers: the liveness signal behind /healthz. */

/** Options of `startLoopLagMonitor`. */
export interface LoopLagOptions {
  /** Period of the probe timer. @default 1000 */
  intervalMs?: number;
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
}

/** A running probe timer; `stop` clears it. */
export interface LoopLagMonitor {
  /** How late the last probe fired, or how overdue the pending one already is, in ms. */
  lagMs(): number;
  stop(): void;
}

/** Starts a timer that fires every `intervalMs` and measures how late each firing is. */
export function startLoopLagMonitor(options: LoopLagOptions = {}): LoopLagMonitor {
  const { intervalMs = 1000, now = () => performance.now() } = options;
  let expected = now() + intervalMs;
  let lastLag = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const at = now();
    lastLag = Math.max(0, at - expected);
    expected = at + intervalMs;
    timer = setTimeout(tick, intervalMs);
  };
  timer = setTimeout(tick, intervalMs);
  return {
    // A timer still waiting long after its time means the loop is stuck now, not only before.
    lagMs: () => Math.max(lastLag, now() - expected),
    stop: () => clearTimeout(timer),
  };
}
