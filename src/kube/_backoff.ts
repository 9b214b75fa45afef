/** Jittered exponential backoff and the clock the reflectors wait on between restarts. */

/** Time as a dependency; the engine's `Clock` (src/engine/clock.ts) has this shape. */
export interface KubeClock {
  now(): number;
  /** Resolves after `ms`; may reject when `signal` aborts (callers check the signal). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Shape of the reflector restart backoff. */
export interface BackoffOptions {
  /** @default 500 */
  initialMs?: number;
  /** @default 30_000 */
  maxMs?: number;
  /** @default Math.random */
  random?: () => number;
}

/** Delay before retry `attempt` (1, 2, …): doubles up to `maxMs`, with "equal jitter" (½…1×). */
export function createBackoff(options: BackoffOptions = {}): (attempt: number) => number {
  const { initialMs = 500, maxMs = 30_000, random = Math.random } = options;
  return (attempt) => {
    if (attempt <= 0) return 0;
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
}

/** The real clock; its sleep resolves early (never rejects) when the signal aborts. */
export const realClock: KubeClock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer: ReturnType<typeof setTimeout> = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};
