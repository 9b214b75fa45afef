/** Durations on the command line: one number (integer or decimal) and a unit, e.g. 250ms, 1.5s, 5m. */

import { UsageError } from "./errors.ts";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Longest duration any flag takes: setTimeout fires at once past 2^31-1 ms, so stay well below. */
export const MAX_DURATION_MS = 24 * UNIT_MS.h;

/** Bounds of one duration flag, in milliseconds. */
export interface DurationBounds {
  readonly minMs: number;
  readonly maxMs?: number;
}

/** Milliseconds of `raw` for `flag`; throws UsageError on bad syntax or a value out of bounds. */
export function parseDuration(flag: string, raw: string, bounds: DurationBounds): number {
  const match = DURATION.exec(raw);
  if (!match) {
    throw new UsageError(
      `Cannot parse ${flag} ${JSON.stringify(raw)}: use a number followed by ms, s, m or h`,
      { flag },
    );
  }
  const [, amount = "", unit = "ms"] = match;
  const ms = Math.round(Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
  const { minMs, maxMs = MAX_DURATION_MS } = bounds;
  if (ms < minMs) {
    throw new UsageError(
      `Cannot use ${flag} ${JSON.stringify(raw)}: wanted at least ${formatDuration(minMs)}`,
      { flag },
    );
  }
  if (ms > maxMs) {
    throw new UsageError(
      `Cannot use ${flag} ${JSON.stringify(raw)}: wanted at most ${formatDuration(maxMs)}`,
      { flag },
    );
  }
  return ms;
}

/** The shortest exact spelling of `ms` in the largest whole unit, e.g. 300000 → "5m", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["h", "m", "s"] as const) {
    if (ms !== 0 && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
