/**
 * The OCI SDK writes a notice with `console.warn` on every failed call ("Request cannot be retried…"),
 * and no setting turns it off. While a command runs, those lines become debug records of the
 * `sdk` logger, so stderr carries one log format (JSON lines stay parseable) and the redaction of
 * src/log.ts applies to them too. The engine already logs each failure once, classified.
 */

import type { Logger } from "../log.ts";

/** Routes `console.warn` to `logger.debug` until the returned function restores it. */
export function routeConsoleWarn(logger: Logger): () => void {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    logger.debug("{message}", { message: args.map((arg) => String(arg)).join(" ") });
  };
  return () => {
    console.warn = original;
  };
}
