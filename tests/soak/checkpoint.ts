/**
 * The end of a round, with faults and changes stopped: every backend set must reach what the oracle
 * expects within the bound, then stay there for the quiet period with zero PUTs (a resync inside it
 * costs GETs only), and every LBRegistrar must report Ready for its current generation.
 */

import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { OciSim, WireObject } from "../../src/sim/oci/oci_sim.ts";
import { differences, type ExpectedBackend, expectedSets, storedBackends } from "./oracle.ts";
import { type OperatorPool, sleep } from "./operator_pool.ts";
import { APP_NAMESPACE, type SetRef } from "./world.ts";

/** What a checkpoint reads and reports to. */
export interface CheckpointDeps {
  kube: KubeSim;
  oci: OciSim;
  sets: readonly SetRef[];
  foreign: ReadonlyMap<string, readonly WireObject[]>;
  pool: OperatorPool;
  violation: (message: string) => void;
  progress: (line: string) => void;
  signal?: AbortSignal;
}

/** One checkpoint's figures. */
export interface CheckpointResult {
  /** Time from "faults stopped" to every set as expected; undefined when it never got there. */
  convergedMs?: number;
  /** PUTs during the quiet period (must be 0). */
  quietPuts: number;
  /** GETs of backend sets during the quiet period (a resync shows up here). */
  quietGets: number;
}

/** Waits for convergence (bounded), then watches the quiet period. */
export async function checkpoint(
  deps: CheckpointDeps,
  { round, boundMs, quietMs }: { round: number; boundMs: number; quietMs: number },
): Promise<CheckpointResult> {
  const { oci, sets, violation, progress, signal } = deps;
  const started = Date.now();
  const hardDeadline = started + 2 * boundMs + 15_000;
  const expected = await expectedNow(deps);
  let mismatch = compare(deps, expected);
  while (mismatch.length > 0 && Date.now() < hardDeadline) {
    if (signal?.aborted) throw new Error(`Soak stopped: ${signal.reason ?? "aborted"}`);
    await sleep(100);
    mismatch = compare(deps, expected);
  }
  const result: CheckpointResult = { quietPuts: 0, quietGets: 0 };
  if (mismatch.length > 0) {
    const leader = deps.pool.leader();
    violation(
      `round ${round}: backend sets did not converge within ${
        Math.round((hardDeadline - started) / 1000)
      } s ` +
        `(bound ${(boundMs / 1000).toFixed(1)} s, leader ${leader?.name ?? "none"}):\n  ` +
        mismatch.slice(0, 12).join("\n  "),
    );
    return result;
  }
  result.convergedMs = Date.now() - started;
  progress(
    `round ${round}: converged in ${(result.convergedMs / 1000).toFixed(1)} s (bound ${
      (boundMs / 1000).toFixed(1)
    } s)`,
  );
  if (result.convergedMs > boundMs) {
    violation(
      `round ${round}: converged in ${
        (result.convergedMs / 1000).toFixed(1)
      } s, over the bound of ${(boundMs / 1000).toFixed(1)} s`,
    );
  }
  if (quietMs <= 0) return result;

  const before = oci.requests().length;
  const quietEnd = Date.now() + quietMs;
  while (Date.now() < quietEnd) {
    if (signal?.aborted) throw new Error(`Soak stopped: ${signal.reason ?? "aborted"}`);
    await sleep(100);
  }
  const during = oci.requests().slice(before);
  const puts = during.filter((r) => r.operation === "updateBackendSet");
  result.quietPuts = puts.length;
  result.quietGets = during.filter((r) => r.operation === "getBackendSet").length;
  if (puts.length > 0) {
    violation(
      `round ${round}: ${puts.length} PUTs during the quiet period: ${
        puts.slice(0, 5).map((p) => `${p.backendSetName} (${p.status})`).join(", ")
      }`,
    );
  }
  if (result.quietGets < sets.length) {
    violation(
      `round ${round}: only ${result.quietGets} backend-set GETs during ${
        quietMs / 1000
      } s of quiet: no resync seen`,
    );
  }
  const after = compare(deps, expected);
  if (after.length > 0) {
    violation(
      `round ${round}: backend sets moved during the quiet period:\n  ${
        after.slice(0, 8).join("\n  ")
      }`,
    );
  }
  for (const problem of await notReady(deps.kube)) violation(`round ${round}: ${problem}`);
  return result;
}

type Expected = Map<string, { backends: Map<string, ExpectedBackend>; failStatic: boolean }>;

/** The expected content of every set now, foreign backends of Shared sets included. */
async function expectedNow(deps: CheckpointDeps): Promise<Expected> {
  const { kube, sets, foreign } = deps;
  const sets_ = expectedSets({
    nodes: await kube.list("v1", "Node"),
    services: await kube.list("v1", "Service", { namespace: APP_NAMESPACE }),
    slices: await kube.list("discovery.k8s.io/v1", "EndpointSlice", { namespace: APP_NAMESPACE }),
    registrars: await kube.list("nodes.peppy-ratio.dev/v1alpha1", "LBRegistrar"),
  });
  const result: Expected = new Map();
  for (const set of sets) {
    const wanted = sets_.get(set.key);
    const backends = new Map(wanted?.backends ?? []);
    if (wanted?.shared) {
      for (const [ipPort, b] of storedBackends({ backends: [...(foreign.get(set.key) ?? [])] })) {
        backends.set(ipPort, b);
      }
    }
    result.set(set.key, { backends, failStatic: wanted?.failStatic ?? true });
  }
  return result;
}

/** One line per difference, prefixed with the set name (empty: all sets as expected). */
function compare(deps: CheckpointDeps, expected: Expected): string[] {
  const lines: string[] = [];
  for (const set of deps.sets) {
    const stored = deps.oci.getBackendSet(set.lbId, set.name);
    const actual = storedBackends(stored?.body ?? {});
    const wanted = expected.get(set.key)!;
    if (wanted.failStatic) {
      if (actual.size === 0) lines.push(`${set.name}: empty (fail static must keep it)`);
      continue;
    }
    const diff = differences(wanted.backends, actual);
    if (diff.length > 0) {
      lines.push(`${set.name}: ${diff.length} differences: ${diff.slice(0, 4).join("; ")}`);
    }
  }
  return lines;
}

/** LBRegistrars not Ready for their current generation. */
async function notReady(kube: KubeSim): Promise<string[]> {
  const problems: string[] = [];
  for (const lbr of await kube.list("nodes.peppy-ratio.dev/v1alpha1", "LBRegistrar")) {
    const status = (lbr.status ?? {}) as {
      observedGeneration?: number;
      conditions?: { type: string; status: string; reason: string; message: string }[];
    };
    const ready = status.conditions?.find((c) => c.type === "Ready");
    if (ready?.status !== "True" || status.observedGeneration !== lbr.metadata.generation) {
      problems.push(
        `LBRegistrar ${lbr.metadata.name} not Ready: ${
          ready ? `${ready.status}/${ready.reason}: ${ready.message}` : "no Ready condition"
        } ` +
          `(observedGeneration ${status.observedGeneration}, generation ${lbr.metadata.generation})`,
      );
    }
  }
  return problems;
}
