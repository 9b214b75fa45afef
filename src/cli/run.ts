/**
 * `run`: the composition root. Builds the Kubernetes and OCI adapters and the engine from the
 * options, and runs until SIGINT/SIGTERM (or, with --once, for one full sync).
 */

import { createEngine } from "../engine/engine.ts";
import { createCluster } from "../kube/cluster.ts";
import { isInCluster, loadKubeConfig, operatorNamespace } from "../kube/kubeconfig.ts";
import { getLogger } from "../log.ts";
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
  const oci = createLoadBalancers(options.ociEndpoint ? { endpoint: options.ociEndpoint } : {});
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
