/**
 * Waiting for the operator to finish a step: the step's outcome is visible in OCI, every
 * LBRegistrar reports Ready for its current generation, and nothing has moved for a moment.
 */

import { type DemoView, sameState } from "./view.ts";

/** What `settle` polls and reports to. */
export interface SettleOptions {
  readonly read: () => Promise<DemoView>;
  /** The step's own outcome. */
  readonly done: (view: DemoView) => boolean;
  /** Called with every view read, and the one before it. */
  readonly onView: (view: DemoView, previous: DemoView) => void;
  /** The view the step started from. */
  readonly start: DemoView;
  readonly signal: AbortSignal;
  /** @default 20000 */
  readonly timeoutMs?: number;
  /** How long nothing may change (no OCI request, no status) before the step counts as settled. @default 600 */
  readonly quietMs?: number;
  /** @default 100 */
  readonly pollMs?: number;
}

/** The step did not settle in time. */
export class NotSettledError extends Error {
  override name = "NotSettledError";
}

/** Resolves with the settled view; throws NotSettledError after `timeoutMs`, AbortError on abort. */
export async function settle(options: SettleOptions): Promise<DemoView> {
  const { read, done, onView, start, signal, timeoutMs = 20_000, quietMs = 600, pollMs = 100 } =
    options;
  const deadline = Date.now() + timeoutMs;
  let previous = start;
  let changedAt = Date.now();
  for (;;) {
    await sleep(pollMs, signal);
    const view = await read();
    onView(view, previous);
    if (!sameState(view, previous) || view.requests.length !== previous.requests.length) {
      changedAt = Date.now();
    }
    previous = view;
    const ready = view.registrars.every((r) => r.current && r.ready.startsWith("True/"));
    if (done(view) && ready && Date.now() - changedAt >= quietMs) return view;
    if (Date.now() > deadline) {
      const states = view.registrars.map((r) => `${r.name} ${r.phase} Ready=${r.ready}`);
      throw new NotSettledError(
        `did not settle within ${Math.round(timeoutMs / 1000)}s: ` +
          `${done(view) ? "" : "backend sets are not there yet, "}LBRegistrars ${
            states.join(", ")
          }`,
      );
    }
  }
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
