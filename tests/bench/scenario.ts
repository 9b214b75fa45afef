/** What a benchmark scenario is: the figures it promises, and how it measures them. */

import type { StartCommand } from "../support/start_flags.ts";
import type { Figure } from "./report.ts";
import { type Session, type SessionFlags, startSession } from "./session.ts";
import type { WorldShape } from "./world.ts";

/** A figure before it is measured. */
export type FigureSpec = Pick<Figure, "target" | "name" | "unit" | "limit" | "exact">;

/** What every scenario gets. */
export interface BenchContext {
  quick: boolean;
  start: StartCommand;
  /** Extra `deno run` flags for every operator process (e.g. --cpu-prof). */
  extraDenoFlags: string[];
  /** One RSA-SHA256 signature in this runtime, ms (every OCI request costs one). */
  rsaSignMs: number;
  /** The operator's code loaded and nothing done: wall time to loaded, and RSS. */
  importFloor: { ms: number; rssMiB: number };
  /** Starts a session with the context's flags. */
  session(shape: WorldShape, flags: SessionFlags): Promise<Session>;
  /** Sets a promised figure; `name` must be one of the scenario's specs. */
  put(name: string, value: number, ideal: number | null, note: string, samples?: number[]): void;
  /** Marks a promised figure as not measured in this (--quick) run. */
  skip(name: string): void;
  /** Adds details for results.json. */
  detail(key: string, value: unknown): void;
  log(message: string): void;
}

/** One scenario. */
export interface Scenario {
  name: string;
  figures: FigureSpec[];
  /** Left out of --quick runs (its figures show as skipped). */
  fullOnly?: boolean;
  run(ctx: BenchContext): Promise<void>;
}

/** `startSession` bound to the context's start command and extra flags. */
export function sessionStarter(
  start: StartCommand,
  extraDenoFlags: string[],
): (shape: WorldShape, flags: SessionFlags) => Promise<Session> {
  return (shape, flags) => startSession(shape, flags, { start, extraDenoFlags });
}
