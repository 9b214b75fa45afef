/** Bounded waits for the benchmark: every wait has a deadline and says what it waited for. */

/** Thrown when a wait runs out; the scenario reports it instead of hanging. */
export class BenchTimeout extends Error {
  override name = "BenchTimeout";
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` every `everyMs` until it returns true; throws BenchTimeout naming `what` after
 * `timeoutMs`. `context` adds detail to the message (e.g. the operator's last log lines).
 */
export async function waitUntil(
  check: () => boolean,
  what: string,
  { timeoutMs, everyMs = 10, context }: {
    timeoutMs: number;
    everyMs?: number;
    context?: () => string;
  },
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) {
      const detail = context?.();
      throw new BenchTimeout(
        `Timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail}` : ""}`,
      );
    }
    await sleep(everyMs);
  }
}
