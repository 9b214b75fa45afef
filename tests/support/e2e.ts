/**
 * End-to-end rig: both simulators, the real Kubernetes and OCI adapters, and the engine, with short
 * timings. Tests drive the cluster through the Kubernetes simulator's control surface and read OCI
 * through the OCI simulator's.
 */

import "../../src/kube/_quiet_deprecations.ts";
import YAML from "yaml";
import { createEngine, type EngineOptions } from "../../src/engine/engine.ts";
import { createCluster } from "../../src/kube/cluster.ts";
import { createLoadBalancers } from "../../src/oci/load_balancers.ts";
import { DEMO_LB_ID, DEMO_NLB_ID, seedDemo } from "../../src/sim/oci/seed.ts";
import { startOciSim } from "../../src/sim/oci/oci_sim.ts";
import type { OciSim } from "../../src/sim/oci/types.ts";
import type { KubeObject } from "../../src/sim/kube/resource_type.ts";
import { generateOciTestKey, type OciTestKey } from "./oci_keys.ts";
import { eventually, startTestKubeSim, type TestKubeSim } from "./kube_sim.ts";

export { DEMO_LB_ID, DEMO_NLB_ID, eventually };

export const OPERATOR_NAMESPACE = "lbr-system";
export const KEY_SECRET = "oci-api-key";

let sharedKey: OciTestKey | undefined;

/** Both simulators with the repo CRD, the demo cluster and LBs, a registered key and its Secret. */
export interface Rig extends AsyncDisposable {
  kube: TestKubeSim;
  oci: OciSim;
  key: OciTestKey;
  /** Starts the engine (run mode); returns a stop function awaiting its end. */
  startEngine(overrides?: Partial<EngineOptions>): () => Promise<void>;
  /** Creates an LBRegistrar with the rig's API key. */
  createLbr(
    name: string,
    spec: Record<string, unknown>,
    metadata?: Record<string, unknown>,
  ): KubeObject;
  lbr(name: string): KubeObject | undefined;
  /** Deletes an LBRegistrar as kubectl does (marked for deletion while it has finalizers). */
  deleteLbr(name: string): void;
  /** Merges `annotations` into an LBRegistrar's (a null value removes one). */
  annotate(name: string, annotations: Record<string, string | null>): void;
  /** Merges `spec` into an LBRegistrar's spec. */
  patchSpec(name: string, spec: Record<string, unknown>): void;
  /** The finalizers of an LBRegistrar ([] when none or gone). */
  finalizers(name: string): string[];
  /** ip:port list of a backend set, sorted, with ",drain" / ",w=N" suffixes when not default. */
  backends(lbId: string, set: string): string[];
  /** InternalIP of a node of the Kubernetes simulator. */
  nodeIp(name: string): string;
  /** PUTs the OCI simulator received for one LB (or all). */
  puts(lbId?: string): number;
  /** PUTs the OCI simulator received for one backend set. */
  putsTo(lbId: string, set: string): number;
  /** GETs of one backend set the OCI simulator received. */
  gets(lbId: string, set: string): number;
  /** The `spec.apiKey` block `createLbr` uses (the rig's key in Secret `lbr-system/oci-api-key`). */
  apiKey(): Record<string, unknown>;
  /** Resolves once the OCI simulator has seen no request for `ms` (a write and its wait are done). */
  quiet(ms?: number): Promise<void>;
}

/** The flags that point an operator process at the rig: kubeconfig, namespace, OCI endpoint. */
export function rigFlags(rig: Rig, kubeconfig = rig.kube.kubeconfigPath): string[] {
  return [
    "--kubeconfig",
    kubeconfig,
    "--namespace",
    OPERATOR_NAMESPACE,
    "--oci-endpoint",
    rig.oci.url,
  ];
}

/** Starts a rig; `workRequestDelayMs` is the OCI simulator's work-request time. */
export async function startRig(
  { workRequestDelayMs = 50, tls = false } = {},
): Promise<Rig> {
  const crd = YAML.parse(
    await Deno.readTextFile(
      new URL("../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml", import.meta.url),
    ),
  ) as KubeObject;
  const kube = await startTestKubeSim({
    crds: [crd],
    seedDemo: true,
    namespaces: ["default", OPERATOR_NAMESPACE],
    tls,
  });
  const oci = startOciSim({ workRequestDelayMs });
  seedDemo(oci, { workRequestDelayMs });
  const key = sharedKey ??= generateOciTestKey();
  oci.registerKey(key.keyId, key.publicPem);
  kube.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: KEY_SECRET, namespace: OPERATOR_NAMESPACE },
    data: { "private-key": btoa(key.pkcs8Pem) },
  });
  const engines: (() => Promise<void>)[] = [];
  const apiKey = () => ({
    user: key.user,
    fingerprint: key.fingerprint,
    tenancy: key.tenancy,
    region: "us-ashburn-1",
    privateKey: { secretKeyRef: { name: KEY_SECRET, key: "private-key" } },
  });
  const backendSetCalls = (method: string, lbId: string, set: string) =>
    oci.requests().filter((r) =>
      r.method === method && r.operation !== "getWorkRequest" && r.lbId === lbId &&
      r.backendSetName === set
    ).length;

  return {
    kube,
    oci,
    key,
    startEngine(overrides = {}) {
      const controller = new AbortController();
      const cluster = createCluster({
        kubeConfig: kube.kc,
        secretNamespaces: [OPERATOR_NAMESPACE],
        watchTimeoutSeconds: 30,
        backoff: { initialMs: 50, maxMs: 500 },
      });
      const engine = createEngine({
        cluster,
        oci: createLoadBalancers({ endpoint: oci.url }),
        operatorNamespace: OPERATOR_NAMESPACE,
        debounceMs: 100,
        workRequestPollMs: 100,
        resyncMs: 60_000,
        ...overrides,
      });
      const done = engine.run(controller.signal).catch((error) => {
        if (!controller.signal.aborted) throw error;
      });
      const stop = async () => {
        controller.abort();
        await done;
        await cluster.stopped();
      };
      engines.push(stop);
      return stop;
    },
    createLbr(name, spec, metadata = {}) {
      return kube.sim.create({
        apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
        kind: "LBRegistrar",
        metadata: { name, ...metadata },
        spec: { apiKey: apiKey(), ...spec },
      });
    },
    lbr: (name) => kube.sim.get(lbrRef(name)),
    deleteLbr: (name) => void kube.sim.delete(lbrRef(name)),
    annotate: (name, annotations) =>
      void kube.sim.patch(lbrRef(name), { metadata: { annotations } }),
    patchSpec: (name, spec) => void kube.sim.patch(lbrRef(name), { spec }),
    finalizers: (name) => kube.sim.get(lbrRef(name))?.metadata.finalizers as string[] ?? [],
    backends(lbId, set) {
      const stored = oci.getBackendSet(lbId, set);
      const list = (stored?.body.backends ?? []) as Record<string, unknown>[];
      return list.map((b) => {
        const drain = b.drain ?? b.isDrain;
        return `${b.ipAddress}:${b.port}${drain ? ",drain" : ""}${
          b.weight !== 1 ? `,w=${b.weight}` : ""
        }`;
      }).sort();
    },
    nodeIp(name) {
      const node = kube.sim.get({ apiVersion: "v1", kind: "Node", name });
      const addresses = (node?.status as { addresses?: { type: string; address: string }[] })
        ?.addresses;
      const ip = addresses?.find((a) => a.type === "InternalIP")?.address;
      if (!ip) throw new Error(`node "${name}" has no InternalIP`);
      return ip;
    },
    puts: (lbId) =>
      oci.requests().filter((r) => r.method === "PUT" && (!lbId || r.path.includes(lbId))).length,
    putsTo: (lbId, set) => backendSetCalls("PUT", lbId, set),
    gets: (lbId, set) => backendSetCalls("GET", lbId, set),
    apiKey,
    async quiet(ms = 400) {
      let seen = -1;
      let since = Date.now();
      for (;;) {
        const count = oci.requests().length;
        if (count !== seen) [seen, since] = [count, Date.now()];
        else if (Date.now() - since >= ms) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async [Symbol.asyncDispose]() {
      for (const stop of engines) await stop();
      await oci.stop();
      await kube[Symbol.asyncDispose]();
    },
  };
}

function lbrRef(name: string) {
  return { apiVersion: "nodes.peppy-ratio.dev/v1alpha1", kind: "LBRegistrar", name };
}

/** The status condition `type` of an object, as "Status/Reason". */
export function condition(obj: KubeObject | undefined, type: string): string | undefined {
  const status = obj?.status as
    | { conditions?: { type: string; status: string; reason: string }[] }
    | undefined;
  const found = status?.conditions?.find((c) => c.type === type);
  return found ? `${found.status}/${found.reason}` : undefined;
}
