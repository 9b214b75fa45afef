/**
 * A benchmark session: a world (both simulators) plus the operator process pointed at it, with the
 * observations every scenario needs. Closing it always kills the operator and stops the simulators.
 */

import type { RecordedRequest } from "../../src/sim/oci/types.ts";
import { type OperatorProcess, startOperator } from "./operator_process.ts";
import type { StartCommand } from "../support/start_flags.ts";
import { sleep, waitUntil } from "./wait.ts";
import { OPERATOR_NAMESPACE, startWorld, type World, type WorldShape } from "./world.ts";

/** Operator timing flags of a session. */
export interface SessionFlags {
  debounce: string;
  workRequestPoll: string;
  resync: string;
}

/** A running session. */
export interface Session extends AsyncDisposable {
  readonly world: World;
  readonly operator: OperatorProcess;
  /** Epoch ms (fractional) of the operator's spawn, on the simulators' clock. */
  readonly spawnedAt: number;
  /** OCI requests recorded so far (copies). */
  ociRequests(): RecordedRequest[];
  /** Resolves once the OCI simulator saw no request for `quietMs`; throws after `timeoutMs`. */
  ociQuiet(quietMs: number, timeoutMs: number): Promise<void>;
  /** Waits until every LBRegistrar is Ready=True; returns the epoch ms it was seen. */
  allReady(timeoutMs: number): Promise<number>;
  /**
   * Waits until the operator's CPU time stops growing (less than 20 ms in `windowMs`); under
   * --cpu-prof, which keeps a sampling thread busy, it only waits.
   */
  cpuSettled(windowMs: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Epoch milliseconds with sub-millisecond precision (the simulators' request clock). */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Starts the world with its LBRegistrars, then the operator (as `start` runs it) against it. */
export async function startSession(
  shape: WorldShape,
  flags: SessionFlags,
  { start, extraDenoFlags }: { start: StartCommand; extraDenoFlags: string[] },
): Promise<Session> {
  const world = await startWorld(shape);
  world.createRegistrars();
  const spawnedAt = preciseNow();
  let operator: OperatorProcess;
  try {
    operator = startOperator({
      kubeconfig: world.kubeconfigPath,
      ociEndpoint: world.oci.url,
      namespace: OPERATOR_NAMESPACE,
      ...flags,
      start,
      denoFlags: extraDenoFlags,
    });
  } catch (error) {
    await world.stop();
    throw error;
  }
  const context = () => `operator output (last lines):\n${operator.tail()}`;
  const profiling = extraDenoFlags.includes("--cpu-prof");
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      // A profile is written on a clean exit only: give a profiled process time to finish it.
      await operator.stop(profiling ? 30_000 : 3_000);
    } finally {
      await world.stop();
    }
  };
  // A process that dies early turns every wait into a clear failure instead of a timeout.
  const alive = () => {
    if (exitCode !== undefined) {
      throw new Error(`The operator exited with code ${exitCode}\n${context()}`);
    }
  };
  let exitCode: number | undefined;
  operator.exited.then((code) => exitCode = code);

  return {
    world,
    operator,
    spawnedAt,
    ociRequests: () => world.oci.requests(),
    async ociQuiet(quietMs, timeoutMs) {
      let seen = -1;
      let since = performance.now();
      await waitUntil(
        () => {
          alive();
          const count = world.oci.counters().total.requests;
          if (count !== seen) [seen, since] = [count, performance.now()];
          return performance.now() - since >= quietMs;
        },
        `${quietMs} ms without OCI requests`,
        { timeoutMs, everyMs: 20, context },
      );
    },
    async allReady(timeoutMs) {
      await waitUntil(
        () => {
          alive();
          return world.allReady();
        },
        "every LBRegistrar to be Ready",
        { timeoutMs, everyMs: 25, context },
      );
      return preciseNow();
    },
    async cpuSettled(windowMs, timeoutMs) {
      // The profiler's sampling thread never lets CPU time stand still: just give it time.
      if (profiling) return await sleep(windowMs * 2);
      const deadline = performance.now() + timeoutMs;
      let before = operator.cpuMs();
      for (;;) {
        alive();
        await sleep(windowMs);
        const now = operator.cpuMs();
        if (now - before < 20) return;
        if (performance.now() > deadline) {
          throw new Error(`The operator kept using CPU for ${timeoutMs} ms\n${context()}`);
        }
        before = now;
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
