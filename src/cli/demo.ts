/**
 * `demo`: the real engine, in process with the real Kubernetes and OCI adapters, against both
 * simulators. Plays a short story on the simulated cluster, shows each backend set after every step
 * (live on a terminal), ends with a summary; with --follow keeps everything running until Ctrl-C.
 */

import { KubeConfig } from "@kubernetes/client-node";
import { createEngine } from "../engine/engine.ts";
import { createCluster } from "../kube/cluster.ts";
import { createLoadBalancers } from "../oci/load_balancers.ts";
import {
  DEMO,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  sampleRegistrars,
  SIM_OPERATOR_NAMESPACE,
  type Sims,
  startSims,
} from "../sim/run_sims.ts";
import { follow } from "./demo/follow.ts";
import { playStory } from "./demo/play_story.ts";
import { createScreen, type Screen } from "./demo/screen.ts";
import { onStopSignals } from "./demo/stop_signals.ts";
import { demoStory } from "./demo/story.ts";
import { renderSummary } from "./demo/summary.ts";
import { createViewReader, type WatchedSet } from "./demo/view.ts";
import { ExitCode } from "./exit_code.ts";
import type { CliIo } from "./io.ts";
import type { DemoOptions } from "./options.ts";

/** Timings that make the story quick yet visible: OCI work requests take a little while. */
const WORK_REQUEST_DELAY_MS = 300;
const DEBOUNCE_MS = 300;
const DRAIN_SECONDS = 2;
const STEP_TIMEOUT_MS = 20_000;
/** Pause between steps on a terminal, so a person can read each table. */
const READING_PAUSE_MS = 500;

const WATCHED: readonly WatchedSet[] = [
  { loadBalancerId: DEMO_LB_ID, name: "web-http", kind: "LB" },
  { loadBalancerId: DEMO_LB_ID, name: "web-https", kind: "LB" },
  { loadBalancerId: DEMO_NLB_ID, name: "web-tcp", kind: "NLB" },
];

/** A stop by SIGINT or SIGTERM, as the abort reason. */
class Interrupted extends Error {
  override name = "Interrupted";
}

/** `demo`: exits 0 after the story (or on Ctrl-C), 1 when a step does not settle in time. */
export async function demoCommand(options: DemoOptions, io: CliIo): Promise<number> {
  const tty = Deno.stdout.isTerminal();
  const screen = createScreen({ write: io.stdout, tty, size: () => Deno.consoleSize() });
  const stop = new AbortController();
  const removeSignals = onStopSignals((signal) => stop.abort(new Interrupted(signal)));
  const started = Date.now();
  let sims: Sims | undefined;
  let stopEngine = () => Promise.resolve();
  try {
    sims = await startSims({ tls: true, workRequestDelayMs: WORK_REQUEST_DELAY_MS });
    stopEngine = startEngine(sims, (error) => stop.abort(error));
    const registrars = sampleRegistrars(sims.apiKey, { drainSeconds: DRAIN_SECONDS });
    const steps = demoStory(registrars, { drainSeconds: DRAIN_SECONDS });
    const read = createViewReader(sims, {
      sets: WATCHED,
      registrars: registrars.map((r) => r.metadata.name),
    });
    introduce(screen, sims, options);

    const width = () => tty ? Deno.consoleSize().columns : 0;
    const view = await playStory({
      steps,
      kube: sims.kube,
      read,
      screen,
      width,
      stepTimeoutMs: STEP_TIMEOUT_MS,
      pauseMs: tty ? READING_PAUSE_MS : 0,
      signal: stop.signal,
    });
    screen.close();
    io.stdout("\n");
    for (
      const line of renderSummary(view, {
        steps: steps.length,
        seconds: (Date.now() - started) / 1000,
      })
    ) {
      io.stdout(`${line}\n`);
    }
    if (options.follow) {
      await follow({ kube: sims.kube, read, screen, width, start: view, signal: stop.signal });
    }
    return ExitCode.ok;
  } catch (error) {
    const reason: unknown = stop.signal.reason;
    if (!(reason instanceof Interrupted) || error !== reason) throw error;
    screen.close();
    io.stderr(
      `lb-registrar demo: ${reason.message} received, stopping\n`,
    );
    return ExitCode.ok;
  } finally {
    screen.close();
    removeSignals();
    await stopEngine();
    await sims?.stop();
  }
}

/** Starts the engine on the simulators; `onFailure` hears if it ends by itself. Returns its stop. */
function startEngine(sims: Sims, onFailure: (error: unknown) => void): () => Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sims.kube.kubeconfigYaml());
  const cluster = createCluster({
    kubeConfig,
    secretNamespaces: [SIM_OPERATOR_NAMESPACE],
    // A fixed name: the real default asks the OS for the host name, a permission the demo can spare.
    instance: "lb-registrar-demo",
    backoff: { initialMs: 100, maxMs: 2_000 },
  });
  const engine = createEngine({
    cluster,
    oci: createLoadBalancers({ endpoint: sims.oci.url }),
    operatorNamespace: SIM_OPERATOR_NAMESPACE,
    debounceMs: DEBOUNCE_MS,
    resyncMs: 60_000,
    workRequestPollMs: 1_000,
    workRequestTimeoutMs: 30_000,
  });
  const controller = new AbortController();
  const running = engine.run(controller.signal).then(
    () => {
      if (!controller.signal.aborted) onFailure(new Error("The engine stopped by itself"));
    },
    (error) => {
      if (!controller.signal.aborted) onFailure(error);
    },
  );
  return async () => {
    controller.abort();
    await running;
    await cluster.stopped();
  };
}

function introduce(screen: Screen, sims: Sims, options: DemoOptions): void {
  const { http, https } = DEMO.ports;
  for (
    const line of [
      "lb-registrar demo: the operator against simulated Kubernetes and OCI APIs (all on 127.0.0.1)",
      `  kubernetes  ${sims.kube.url}  ${DEMO.nodes.join(", ")}; NodePort Service ` +
      `${DEMO.namespace}/${DEMO.service} (http ${http.nodePort}, https ${https.nodePort})`,
      `  oci         ${sims.oci.url}  LB web-http, web-https; NLB web-tcp ` +
      `(work requests take ${WORK_REQUEST_DELAY_MS}ms)`,
      `  operator    debounce ${DEBOUNCE_MS}ms, drainSeconds ${DRAIN_SECONDS}; ` +
      `its log goes to stderr at level ${options.logLevel}`,
    ]
  ) screen.log(line);
}
