/** Starts the real Kubernetes adapter against a simulator, with short watch timeouts and backoff. */
import { type ClusterOptions, createCluster } from "../../../src/kube/cluster.ts";
import type { ClusterChange } from "../../../src/kube/port.ts";
import { startTestKubeSim, type TestKubeSim } from "../../support/kube_sim.ts";
import type { KubeSimOptions } from "../../../src/sim/kube/kube_sim.ts";

export interface ClusterUnderTest extends AsyncDisposable {
  t: TestKubeSim;
  cluster: ReturnType<typeof createCluster>;
  /** Every change emitted so far, in order. */
  changes: ClusterChange[];
  /** Starts the reflectors and waits for their first list. */
  startAndSync(): Promise<void>;
}

/** A simulator plus a cluster adapter on it (not started); dispose stops both. */
export async function clusterOnSim(
  simOptions: KubeSimOptions = {},
  options: Partial<ClusterOptions> = {},
): Promise<ClusterUnderTest> {
  const t = await startTestKubeSim(simOptions);
  const cluster = createCluster({
    kubeConfig: t.kc,
    secretNamespaces: ["default"],
    watchTimeoutSeconds: 2,
    backoff: { initialMs: 20, maxMs: 200 },
    instance: "test-instance",
    ...options,
  });
  const changes: ClusterChange[] = [];
  cluster.subscribe((change) => changes.push(change));
  const controller = new AbortController();
  let started = false;
  return {
    t,
    cluster,
    changes,
    async startAndSync() {
      started = true;
      cluster.start(controller.signal);
      await cluster.waitForSync(AbortSignal.timeout(10_000));
    },
    async [Symbol.asyncDispose]() {
      controller.abort();
      if (started) await cluster.stopped();
      await t[Symbol.asyncDispose]();
    },
  };
}

/** A minimal LBRegistrar manifest. */
export function lbrManifest(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name, ...extra },
    spec: {
      loadBalancerId: "ocid1.loadbalancer.oc1.eu-frankfurt-1.aaaa",
      backendSetName: "bs",
      nodePort: 30080,
    },
  };
}
