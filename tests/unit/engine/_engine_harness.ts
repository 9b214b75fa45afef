/** A running engine on the in-memory fakes and a manual clock, for the engine's unit tests. */

import type { LBRegistrarSpec } from "../../../src/api/types.ts";
import { createEngine, type EngineOptions } from "../../../src/engine/engine.ts";
import type { LoadBalancers } from "../../../src/oci/port.ts";
import type {
  BackendCounts,
  MetricsRecorder,
  ReconcileResult,
  WorkRequestOutcome,
} from "../../../src/serve/metrics_recorder.ts";
import {
  createFakeCluster,
  createFakeLoadBalancers,
  type FakeCluster,
  type FakeLoadBalancers,
} from "../../support/fake_ports.ts";
import { createManualClock, type ManualClock } from "../../support/manual_clock.ts";
import { node } from "../../support/plan_fixtures.ts";

export const LB = "ocid1.loadbalancer.oc1.phx.aaaatest";
export const LB2 = "ocid1.networkloadbalancer.oc1.phx.aaaatest";
export const DEBOUNCE = 1000;

/** A fixed-port spec. */
export function fixedSpec(
  loadBalancerId: string,
  backendSetName: string,
  nodePort: number,
): LBRegistrarSpec {
  return { loadBalancerId, backendSetName, nodePort };
}

/** What a recording MetricsRecorder saw. */
export interface RecordedMetrics extends MetricsRecorder {
  reconciles: ReconcileResult[];
  workRequests: { outcome: WorkRequestOutcome; seconds: number }[];
  backends: Map<string, BackendCounts>;
  drift: string[];
  forgotten: string[];
  lastSuccess: number[];
  depths: number[];
  plans: number;
}

/** A MetricsRecorder that keeps what it is told. */
export function recordingMetrics(): RecordedMetrics {
  const recorded: RecordedMetrics = {
    reconciles: [],
    workRequests: [],
    backends: new Map(),
    drift: [],
    forgotten: [],
    lastSuccess: [],
    depths: [],
    plans: 0,
    reconcile: (result) => void recorded.reconciles.push(result),
    observePlan: () => void recorded.plans++,
    observeSync: () => {},
    ociRequest: () => {},
    workRequest: (outcome, seconds) => void recorded.workRequests.push({ outcome, seconds }),
    setBackends: (lb, set, counts) => void recorded.backends.set(`${lb}/${set}`, counts),
    driftRepaired: (lb, set) => void recorded.drift.push(`${lb}/${set}`),
    forgetBackendSet: (lb, set) => void recorded.forgotten.push(`${lb}/${set}`),
    lastSuccessfulSync: (seconds) => void recorded.lastSuccess.push(seconds),
    watchRestart: () => {},
    laneQueueDepth: (depth) => void recorded.depths.push(depth),
    setLeader: () => {},
  };
  return recorded;
}

/** The engine, its fakes and a stop function. */
export interface Harness {
  clock: ManualClock;
  cluster: FakeCluster;
  oci: FakeLoadBalancers;
  /** Aborts the run signal (no wait). */
  abort(): void;
  /** Aborts and waits for `run` to end, advancing the clock while it winds down. */
  stop(): Promise<void>;
  /** Resolves when run ended. */
  done: Promise<void>;
}

/**
 * Nodes n1..n3; objects "one" (LB/a, port 30080) and "two" (LB/b, 30081), each set seeded empty;
 * the engine running with no jitter, its first sync done.
 */
export async function startEngine(
  overrides: Partial<EngineOptions> = {},
  wrapOci: (oci: LoadBalancers) => LoadBalancers = (oci) => oci,
): Promise<Harness> {
  const clock = createManualClock();
  const cluster = createFakeCluster({ now: () => clock.now() });
  const oci = createFakeLoadBalancers(() => clock.now());
  for (const name of ["n1", "n2", "n3"]) cluster.setNode(node(name));
  for (const set of ["a", "b"]) oci.seed(LB, set);
  cluster.applyLbr("one", fixedSpec(LB, "a", 30080));
  cluster.applyLbr("two", fixedSpec(LB, "b", 30081));
  const engine = createEngine({
    cluster,
    oci: wrapOci(oci),
    operatorNamespace: "lbr-system",
    clock,
    random: () => 0,
    debounceMs: DEBOUNCE,
    resyncMs: 3_600_000,
    workRequestPollMs: 1000,
    ...overrides,
  });
  const controller = new AbortController();
  let ended = false;
  const done = engine.run(controller.signal).finally(() => void (ended = true));
  await clock.advance(2000);
  return {
    clock,
    cluster,
    oci,
    done,
    abort: () => controller.abort(),
    async stop() {
      controller.abort();
      while (!ended) await clock.advance(100);
      await done;
    },
  };
}
