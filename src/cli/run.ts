/**
 * `run`: the composition root. Builds the Kubernetes and OCI adapters and the engine from the
 * options, and runs until SIGINT/SIGTERM (or, with --once, for one full sync).
 */

import { createEngine } from "../engine/engine.ts";
import { createCluster } from "../kube/cluster.ts";
import { isInCluster, loadKubeConfig, operatorNamespace } from "../kube/kubeconfig.ts";
import { getLogger } from "../log.ts";
import { createDefaultProvider } from "../oci/auth.ts";
import { createLoadBalancers } from "../oci/load_balancers.ts";
import { VERSION } from "../version.ts";
import type { CliIo } from "./io.ts";
import type { OperatorOptions } from "./options.ts";

/** Runs the operator; resolves with the exit code. */
export async function runCommand(options: OperatorOptions, io: CliIo): Promise<number> {
  const logger = getLogger("run");
  if (options.leaderElect) {
    io.stderr(
      "lb-registrar run: --leader-elect is not available in this build yet; run a single replica\n",
    );
    return 1;
  }
  // OCI first, so a bad --oci-auth setup ends startup before the cluster is contacted.
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
  const secretNamespaces = options.secretNamespaces ?? [namespace];
  logger.info("Starting lb-registrar {version} against {server}", {
    version: VERSION,
    server: kubeConfig.getCurrentCluster()?.server ?? "(unknown)",
    namespace,
    secretNamespaces,
    dryRun: options.dryRun,
  });

  const cluster = createCluster({ kubeConfig, secretNamespaces });
  const oci = createLoadBalancers({
    ...(options.ociEndpoint ? { endpoint: options.ociEndpoint } : {}),
    defaultProvider,
  });
  const engine = createEngine({
    cluster,
    oci,
    operatorNamespace: namespace,
    debounceMs: options.debounceMs,
    resyncMs: options.resyncMs,
    workRequestPollMs: options.workRequestPollMs,
    workRequestTimeoutMs: options.workRequestTimeoutMs,
    dryRun: options.dryRun,
  });

  const controller = new AbortController();
  const stop = (signal: Deno.Signal) => () => {
    logger.info("Received {signal}: stopping", { signal });
    controller.abort();
  };
  const onInt = stop("SIGINT");
  const onTerm = stop("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  try {
    if (options.once) {
      const allReady = await engine.syncOnce(controller.signal);
      logger.info("One sync done: {result}", { result: allReady ? "all Ready" : "not all Ready" });
      return allReady ? 0 : 1;
    }
    await engine.run(controller.signal);
    return 0;
  } finally {
    controller.abort();
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
    await cluster.stopped();
  }
}
