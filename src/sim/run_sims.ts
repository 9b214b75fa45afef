/**
 * Both simulators with the seeded demo world, as `sim` and `demo` use them: the demo cluster (three
 * nodes, NodePort Service default/web, its EndpointSlice), the repo CRD, the demo classic LB and
 * NLB, and a fresh API key registered with the OCI simulator and stored as a Secret.
 */

import YAML from "yaml";
import { API_VERSION, KIND } from "../api/constants.ts";
import type { ApiKeySpec, LBRegistrar } from "../api/types.ts";
import { type DemoKey, generateDemoKey } from "./demo_key.ts";
import { type KubeSim, startKubeSim } from "./kube/kube_sim.ts";
import { lbRegistrarCrd } from "./kube/lb_registrar_crd.ts";
import type { KubeObject } from "./kube/resource_type.ts";
import { DEMO } from "./kube/seed.ts";
import { startOciSim } from "./oci/oci_sim.ts";
import { DEMO_LB_ID, DEMO_NLB_ID, seedDemo } from "./oci/seed.ts";
import type { OciSim } from "./oci/types.ts";

export { DEMO, DEMO_LB_ID, DEMO_NLB_ID };

/** Namespace of the operator in the simulated cluster; the API key's Secret lives there. */
export const SIM_OPERATOR_NAMESPACE = "oci-lb-registrar-system";
/** Secret holding the demo key, and the key inside it. */
export const SIM_KEY_SECRET = { name: "oci-api-key", key: "private-key" } as const;

/** Options of `startSims`; every field has a default. */
export interface SimsOptions {
  /** Serve the Kubernetes API over HTTPS with a generated CA. @default true */
  tls?: boolean;
  /** @default 0 (any free port) */
  kubePort?: number;
  /** @default 0 (any free port) */
  ociPort?: number;
  /** How long OCI work requests take. @default 300 */
  workRequestDelayMs?: number;
}

/** The running simulators and what a client needs to use them. */
export interface Sims extends AsyncDisposable {
  readonly kube: KubeSim;
  readonly oci: OciSim;
  /** The public identity of the registered key (its private half is only in the Secret). */
  readonly key: Pick<DemoKey, "tenancy" | "user" | "fingerprint">;
  /** `spec.apiKey` that signs with the registered key. */
  readonly apiKey: ApiKeySpec;
  /** Whether the CRD came from `crds/` (false: the simulator's minimal one, without validation). */
  readonly repoCrd: boolean;
  stop(): Promise<void>;
}

const CRD_FILE = new URL("../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml", import.meta.url);

/** Starts both simulators and seeds them; resolves once both listen. */
export async function startSims(options: SimsOptions = {}): Promise<Sims> {
  const { tls = true, kubePort = 0, ociPort = 0, workRequestDelayMs = 300 } = options;
  const crd = await readRepoCrd();
  const kube = await startKubeSim({
    tls,
    port: kubePort,
    // kubectl sends no token over plain HTTP, so the plain simulator must accept that.
    anonymous: !tls,
    crds: [crd ?? lbRegistrarCrd()],
    namespaces: [
      "default",
      "kube-system",
      "kube-public",
      "kube-node-lease",
      SIM_OPERATOR_NAMESPACE,
    ],
    seedDemo: true,
  });
  let oci: OciSim;
  try {
    oci = startOciSim({ port: ociPort, workRequestDelayMs });
  } catch (error) {
    await kube.stop();
    throw error;
  }
  seedDemo(oci, { workRequestDelayMs });
  const key = generateDemoKey();
  oci.registerKey(key.keyId, key.publicPem);
  kube.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: SIM_KEY_SECRET.name, namespace: SIM_OPERATOR_NAMESPACE },
    type: "Opaque",
    data: { [SIM_KEY_SECRET.key]: btoa(key.privatePem) },
  });
  const stop = async () => {
    await oci.stop();
    await kube.stop();
  };
  return {
    kube,
    oci,
    key: { tenancy: key.tenancy, user: key.user, fingerprint: key.fingerprint },
    apiKey: {
      user: key.user,
      fingerprint: key.fingerprint,
      tenancy: key.tenancy,
      privateKey: { namespace: SIM_OPERATOR_NAMESPACE, secretKeyRef: { ...SIM_KEY_SECRET } },
    },
    repoCrd: crd !== undefined,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Knobs of the sample LBRegistrars. */
export interface SampleOptions {
  /** `spec.drainSeconds`; absent leaves the default (30). */
  drainSeconds?: number;
}

/**
 * Two LBRegistrars on the demo world: `web` puts Service default/web's http and https ports on the
 * classic LB's web-http and web-https; `web-tcp` puts its http port on the NLB's web-tcp, only on
 * nodes that run a ready pod of the Service.
 */
export function sampleRegistrars(apiKey: ApiKeySpec, options: SampleOptions = {}): LBRegistrar[] {
  const drain = options.drainSeconds === undefined ? {} : { drainSeconds: options.drainSeconds };
  const service = { name: DEMO.service, namespace: DEMO.namespace };
  const registrar = (name: string, spec: LBRegistrar["spec"]): LBRegistrar => ({
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name },
    spec: { ...spec, ...drain, apiKey },
  });
  return [
    registrar("web", {
      loadBalancerId: DEMO_LB_ID,
      services: [
        { ...service, port: "http", backendSetName: "web-http" },
        { ...service, port: "https", backendSetName: "web-https" },
      ],
    }),
    registrar("web-tcp", {
      loadBalancerId: DEMO_NLB_ID,
      services: [{ ...service, port: "http", backendSetName: "web-tcp", filterByEndpoints: true }],
    }),
  ];
}

/** The LBRegistrars as one multi-document YAML file, ready for `kubectl apply -f`. */
export function registrarsYaml(registrars: readonly LBRegistrar[]): string {
  return registrars.map((registrar) => YAML.stringify(registrar)).join("---\n");
}

/** Creates the LBRegistrars in the Kubernetes simulator. */
export function createRegistrars(kube: KubeSim, registrars: readonly LBRegistrar[]): void {
  for (const registrar of registrars) kube.create(registrar as unknown as KubeObject);
}

/** The repo CRD, or undefined when this build does not carry `crds/` (a compiled binary). */
async function readRepoCrd(): Promise<KubeObject | undefined> {
  try {
    return YAML.parse(await Deno.readTextFile(CRD_FILE)) as KubeObject;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
