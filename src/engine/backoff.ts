/** Exponential backoff with jitter, per error class (DESIGN §5). */

export interface BackoffOptions {
  /** @default 1000 */
  initialMs?: number;
  /** @default 60000 */
  maxMs?: number;
  /** @default 2 */
  factor?: number;
  /** Fraction of the delay drawn at random, so retries of many objects spread out. @default 0.2 */
  jitter?: number;
  /** @default Math.random */
  random?: () => number;
}

/** Returns `delayFor(attempt)`: the wait before retry number `attempt` (1-based). */
export function createBackoff(options: BackoffOptions = {}): (attempt: number) => number {
  const { initialMs = 1000, maxMs = 60_000, factor = 2, jitter = 0.2, random = Math.random } =
    options;
  return (attempt) => {
    const base = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
    // Jitter only shortens the delay, so maxMs stays a true bound.
    return Math.round(base * (1 - jitter * random()));
  };
}
