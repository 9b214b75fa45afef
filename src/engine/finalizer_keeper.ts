/**
 * Keeps the operator's finalizer where the engine wants it: one write at a time per object, always
 * of the newest wish, retried with backoff while the API server refuses. The caller decides what is
 * wanted (see lifecycle.ts); this only gets it written.
 */

import type { Logger } from "../log.ts";
import { createBackoff } from "./backoff.ts";
import type { Clock } from "./clock.ts";

/** Options of `createFinalizerKeeper`. */
export interface FinalizerKeeperOptions {
  /** Adds (`true`) or removes (`false`) the finalizer; `Cluster.setFinalizer`. */
  write: (name: string, present: boolean) => Promise<void>;
  clock: Clock;
  logger: Logger;
  /** Stops retries (and new writes) when it aborts. */
  signal: AbortSignal;
  /** Jitter source of the retry backoff. @default Math.random */
  random?: () => number;
}

/** The keeper. */
export interface FinalizerKeeper {
  /** Asks for the finalizer of `name` to be present or absent; `has` is what the object shows now. */
  want(name: string, present: boolean, has: boolean): void;
  /** Resolves once no write is running. */
  flush(): Promise<void>;
}

/** Creates a keeper; nothing is written until `want` asks for a change. */
export function createFinalizerKeeper(options: FinalizerKeeperOptions): FinalizerKeeper {
  const { write, clock, logger, signal, random = Math.random } = options;
  const backoff = createBackoff({ initialMs: 1_000, maxMs: 60_000, random });
  /** Per object, the state still to be written. */
  const wanted = new Map<string, boolean>();
  const running = new Map<string, Promise<void>>();

  async function keep(name: string): Promise<void> {
    let attempt = 0;
    for (let present = wanted.get(name); present !== undefined; present = wanted.get(name)) {
      try {
        await write(name, present);
        if (wanted.get(name) === present) wanted.delete(name);
        attempt = 0;
        logger.info("{action} finalizer of LBRegistrar {lbr}", {
          action: present ? "Added" : "Removed",
          lbr: name,
        });
      } catch (error) {
        attempt++;
        const delayMs = backoff(attempt);
        logger.warn(
          "Cannot {action} the finalizer of LBRegistrar {lbr} (attempt {attempt}, retry in {delayMs} ms): {error}",
          {
            action: present ? "add" : "remove",
            lbr: name,
            attempt,
            delayMs,
            error: error instanceof Error ? error.message : String(error),
          },
        );
        await clock.sleep(delayMs, signal).catch(() => wanted.delete(name));
      }
    }
  }

  return {
    want(name, present, has) {
      if (signal.aborted) return;
      if (present === has && !running.has(name)) {
        wanted.delete(name);
        return;
      }
      wanted.set(name, present);
      if (running.has(name)) return;
      running.set(name, keep(name).finally(() => running.delete(name)));
    },
    async flush() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
