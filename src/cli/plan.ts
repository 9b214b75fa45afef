/**
 * `plan`: reads the cluster and OCI with the same flags and credentials as `run`, plans every backend
 * set on the engine's own sync path (stopped before any write), prints the result and exits 0 in
 * sync, 2 changes pending, 1 error (DESIGN §6). It writes nothing: the engine's plan mode writes no
 * status, event or finalizer, and the ports sit behind a closed write fence besides.
 */

import { createEngine } from "../engine/engine.ts";
import { fenceWrites } from "../engine/write_fence.ts";
import { createCluster } from "../kube/cluster.ts";
import { getLogger } from "../log.ts";
import { createLoadBalancers } from "../oci/load_balancers.ts";
import type { CliIo } from "./io.ts";
import type { PlanOptions } from "./options.ts";
import { planDocument } from "./plan/plan_document.ts";
import { planText } from "./plan/plan_text.ts";
import { connect } from "./run.ts";

/** How long the first list of the cluster may take before plan gives up. */
const SYNC_TIMEOUT_MS = 30_000;

/** `plan`: prints what run would change; 0 in sync, 2 changes pending, 1 error (DESIGN §6). */
export async function planCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const logger = getLogger("plan");
  const connection = await connect(options);
  const { kubeConfig, namespace, secretNamespaces } = connection;
  const cluster = createCluster({
    kubeConfig,
    secretNamespaces,
    // Plan records no event: the host name (and its permission) is not needed.
    instance: "lb-registrar-plan",
  });
  const oci = createLoadBalancers({
    ...(connection.ociEndpoint ? { endpoint: connection.ociEndpoint } : {}),
    defaultProvider: connection.defaultProvider,
  });
  const ports = fenceWrites({ cluster, oci }, AbortSignal.abort());

  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error("Interrupted"));
  Deno.addSignalListener("SIGINT", onSignal);
  const reflectors = new AbortController();
  try {
    cluster.start(reflectors.signal);
    await syncWithin(cluster, SYNC_TIMEOUT_MS, stop.signal);
    logger.debug("Planning against {server}", { server: kubeConfig.getCurrentCluster()?.server });
    const engine = createEngine({
      ...ports,
      operatorNamespace: namespace,
      startCluster: false,
      logger: getLogger("engine"),
    });
    const document = planDocument(await engine.planOnce(stop.signal));
    io.stdout(
      options.output === "json" ? `${JSON.stringify(document, null, 2)}\n` : planText(document),
    );
    return document.summary.exitCode;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    reflectors.abort();
    await cluster.stopped();
  }
}

/** Waits for the first list of every watch, failing with a clear message after `timeoutMs`. */
async function syncWithin(
  cluster: { waitForSync(signal?: AbortSignal): Promise<void> },
  timeoutMs: number,
  stop: AbortSignal,
): Promise<void> {
  const expired = new AbortController();
  const timeout = setTimeout(() => {
    expired.abort(
      new Error(
        `Cannot read the cluster within ${timeoutMs / 1000}s: is the API server reachable ` +
          `with this kubeconfig, and is the LBRegistrar CRD installed?`,
      ),
    );
  }, timeoutMs);
  try {
    await cluster.waitForSync(AbortSignal.any([stop, expired.signal]));
  } finally {
    clearTimeout(timeout);
  }
}
