/**
 * `run`: the composition root. Builds the Kubernetes and OCI adapters, the metrics and health
 * servers, the leader elector and the engine from the options, and runs until SIGINT/SIGTERM (or,
 * with --once, for one full sync). The reflectors start at once and outlive leadership terms, so a
 * follower's caches are warm; the engine runs only while this process may write.
 */

import { LEASE_NAME } from "../api/constants.ts";
import { createEngine, type EngineOptions } from "../engine/engine.ts";
import { fenceWrites, type Ports } from "../engine/write_fence.ts";
import { createKubeRequest } from "../kube/_http.ts";
import { createCluster } from "../kube/cluster.ts";
import {
  isInCluster,
  type KubeConfigLike,
  loadKubeConfig,
  operatorNamespace,
} from "../kube/kubeconfig.ts";
import { getLogger, type Logger } from "../log.ts";
import { createDefaultProvider } from "../oci/auth.ts";
import type { DefaultProviderFactory } from "../oci/oci_clients.ts";
import { createLoadBalancers } from "../oci/load_balancers.ts";
import { withOciMetrics } from "../oci/metered.ts";
import { startServe } from "../serve/http_server.ts";
import { createLeaderElector, holderIdentity } from "../serve/leader_election.ts";
import { createMetrics, type Metrics } from "../serve/metrics.ts";
import { VERSION } from "../version.ts";
import { UsageError } from "./errors.ts";
import { ExitCode } from "./exit_code.ts";
import type { CliIo } from "./io.ts";
import type { ClusterOptions, OperatorOptions } from "./options.ts";

/** Longest wait at shutdown for work requests OCI already accepted (DESIGN: graceful shutdown). */
const SHUTDOWN_GRACE_MS = 20_000;

/** Where the cluster and OCI are, resolved from the flags shared by `run` and `plan`. */
export interface Connection {
  kubeConfig: KubeConfigLike;
  /** The operator's namespace (DESIGN §8 Defaults). */
  namespace: string;
  secretNamespaces: "*" | readonly string[];
  ociEndpoint: string | null;
  defaultProvider: DefaultProviderFactory | undefined;
}

/** Resolves --oci-auth (a refusal ends startup before the cluster is contacted), then the cluster. */
export async function connect(options: ClusterOptions): Promise<Connection> {
  const env = (name: string) => Deno.env.get(name);
  const defaultProvider = createDefaultProvider({
    mode: options.ociAuth,
    configPath: options.ociConfig,
    profile: options.ociProfile,
    homeDir: env("HOME"),
    kubernetesServiceHost: env("KUBERNETES_SERVICE_HOST"),
    kubernetesServicePortProxymux: env("KUBERNETES_SERVICE_PORT_PROXYMUX"),
    serviceAccountCaPath: env("OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH"),
  });
  // Instance principal and workload identity fetch their first token now: a refusal exits 1.
  await defaultProvider?.();
  const source = {
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
  };
  const kubeConfig = loadKubeConfig(source);
  const namespace = operatorNamespace({
    ...(options.namespace ? { namespace: options.namespace } : {}),
    kubeConfig,
    inCluster: isInCluster(source),
  });
  return {
    kubeConfig,
    namespace,
    secretNamespaces: options.secretNamespaces ?? [namespace],
    ociEndpoint: options.ociEndpoint,
    defaultProvider,
  };
}

/** Runs the operator; resolves with the exit code. */
export async function runCommand(options: OperatorOptions, _io: CliIo): Promise<number> {
  const logger = getLogger("run");
  if (options.once && options.leaderElect) {
    throw new UsageError(
      "Cannot use --once with --leader-elect: a single sync does not campaign for the Lease",
      { flag: "--leader-elect" },
    );
  }
  const connection = await connect(options);
  const { kubeConfig, namespace, secretNamespaces } = connection;
  logger.info("Starting lb-registrar {version} against {server}", {
    version: VERSION,
    server: kubeConfig.getCurrentCluster()?.server ?? "(unknown)",
    namespace,
    secretNamespaces,
    dryRun: options.dryRun,
    leaderElect: options.leaderElect,
  });

  const metrics = createMetrics();
  const cluster = createCluster({
    kubeConfig,
    secretNamespaces,
    onWatchRestart: (resource) => metrics.watchRestart(resource),
  });
  const oci = withOciMetrics(
    createLoadBalancers({
      ...(connection.ociEndpoint ? { endpoint: connection.ociEndpoint } : {}),
      defaultProvider: connection.defaultProvider,
    }),
    metrics,
  );
  const engineOptions = (ports: Ports): EngineOptions => ({
    ...ports,
    operatorNamespace: namespace,
    debounceMs: options.debounceMs,
    resyncMs: options.resyncMs,
    workRequestPollMs: options.workRequestPollMs,
    workRequestTimeoutMs: options.workRequestTimeoutMs,
    dryRun: options.dryRun,
    metrics,
    startCluster: false,
    shutdownGraceMs: Math.min(options.workRequestTimeoutMs, SHUTDOWN_GRACE_MS),
  });

  const stop = new AbortController();
  const removeSignals = onStopSignals(stop, logger);
  const reflectors = new AbortController();
  try {
    cluster.start(reflectors.signal);
    if (options.once) {
      const allReady = await createEngine(engineOptions({ cluster, oci })).syncOnce(stop.signal);
      logger.info("One sync done: {result}", { result: allReady ? "all Ready" : "not all Ready" });
      return allReady ? ExitCode.ok : ExitCode.failure;
    }
    const serving = await startServe({
      metricsAddr: options.metricsAddr,
      healthAddr: options.healthAddr,
      metrics,
      health: {
        ready: () =>
          cluster.hasSynced() || { ok: false, reason: "waiting for the first list of every watch" },
      },
    });
    try {
      if (!options.leaderElect) {
        metrics.setLeader(true);
        await createEngine(engineOptions({ cluster, oci })).run(stop.signal).catch((error) => {
          // Stopped before the first list completed: still a clean stop.
          if (!stop.signal.aborted) throw error;
        });
        return ExitCode.ok;
      }
      return await runElected({
        kubeConfig,
        namespace,
        ports: { cluster, oci },
        engineOptions,
        metrics,
        stop: stop.signal,
        logger,
      });
    } finally {
      await serving.close();
    }
  } finally {
    stop.abort();
    removeSignals();
    reflectors.abort();
    await cluster.stopped();
  }
}

/** What a leader-elected run needs. */
interface ElectedRun {
  kubeConfig: KubeConfigLike;
  namespace: string;
  ports: Ports;
  engineOptions: (ports: Ports) => EngineOptions;
  metrics: Metrics;
  /** SIGTERM or SIGINT. */
  stop: AbortSignal;
  logger: Logger;
}

/** One leadership term: an engine behind a fence that closes when the Lease is lost. */
interface Term {
  /** Ends the engine (gracefully: accepted work requests are still awaited). */
  stop: AbortController;
  /** Closed: no write starts any more. */
  fence: AbortController;
  done: Promise<void>;
}

/**
 * Campaigns for the Lease; while leading, runs a fresh engine (its state rebuilt from status, as
 * after a restart) behind a write fence. Losing the Lease closes the fence at once. On SIGTERM the
 * engine stops, in-flight work requests are awaited (still leading), then the Lease is handed back.
 */
async function runElected(run: ElectedRun): Promise<number> {
  const { ports, metrics, logger } = run;
  let term: Term | undefined;
  let failed = false;

  const startTerm = (previous: Term | undefined): Term => {
    const stop = new AbortController();
    const fence = new AbortController();
    const done = (async () => {
      // One engine at a time: a term lost and won again waits for the old engine to wind down.
      await previous?.done;
      if (stop.signal.aborted || run.stop.aborted) return;
      const engine = createEngine(run.engineOptions(fenceWrites(ports, fence.signal)));
      await engine.run(stop.signal);
    })().catch((error) => {
      if (stop.signal.aborted) return;
      failed = true;
      logger.error("The engine failed while leading: {error}", { error });
      void release();
    });
    return { stop, fence, done };
  };
  const endTerm = () => {
    term?.fence.abort();
    term?.stop.abort();
  };

  const elector = createLeaderElector({
    request: createKubeRequest(run.kubeConfig),
    namespace: run.namespace,
    name: LEASE_NAME,
    identity: holderIdentity(podNameOrHostname(), Deno.pid),
    onStartedLeading: () => {
      metrics.setLeader(true);
      // Won while shutting down: release() hands the Lease straight back.
      if (!run.stop.aborted) term = startTerm(term);
    },
    onStoppedLeading: () => {
      metrics.setLeader(false);
      endTerm();
    },
  });
  metrics.setLeader(false);
  const campaign = elector.run(new AbortController().signal);

  let released: Promise<void> | undefined;
  /** Ends the current term gracefully, then hands the Lease back so a follower takes over at once. */
  function release(): Promise<void> {
    return released ??= (async () => {
      term?.stop.abort();
      await term?.done;
      await elector.release();
      endTerm();
    })();
  }
  run.stop.addEventListener("abort", () => void release(), { once: true });
  if (run.stop.aborted) void release();
  try {
    await campaign;
  } finally {
    await release();
  }
  return failed ? ExitCode.failure : ExitCode.ok;
}

/** `POD_NAME` (set by the Deployment from the downward API), else the host name. */
function podNameOrHostname(): string {
  const pod = Deno.env.get("POD_NAME");
  if (pod) return pod;
  try {
    return Deno.hostname();
  } catch {
    return "lb-registrar";
  }
}

/** Aborts `stop` on SIGINT or SIGTERM; returns the function that removes the listeners. */
function onStopSignals(stop: AbortController, logger: Logger): () => void {
  const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const listener = () => {
      logger.info("Received {signal}: stopping", { signal });
      stop.abort();
    };
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  });
  return () => listeners.forEach((remove) => remove());
}
