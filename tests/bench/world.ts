/**
 * The benchmark world: both simulators in this process, a cluster of N nodes, one NodePort Service
 * (with an EndpointSlice) and one LBRegistrar per two backend sets, and the load balancers with their
 * empty backend sets. The operator under test runs as another process against it.
 *
 * Layout (as tests/bench/plan_bench.ts): LBRegistrar i puts its own Service's http and https ports
 * on two backend sets of load balancer i mod L. With `endpointsPerService`, the second half of the
 * LBRegistrars filter by endpoints and their Service runs on that many nodes spread over the cluster;
 * the first half (all of them without it) take every node, as the original operator always did.
 * The first half of the load balancers are classic, the rest NLB.
 */

import YAML from "yaml";
import { generateDemoKey } from "../../src/sim/demo_key.ts";
import { type KubeSim, startKubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { KubeObject } from "../../src/sim/kube/resource_type.ts";
import { startOciSim } from "../../src/sim/oci/oci_sim.ts";
import type { OciSim } from "../../src/sim/oci/types.ts";

/** Namespace of the operator (its key Secret lives there) and of the workloads. */
export const OPERATOR_NAMESPACE = "lbr-system";
export const APP_NAMESPACE = "shop";
const KEY_SECRET = { name: "oci-api-key", key: "private-key" };
const LBR_API_VERSION = "nodes.peppy-ratio.dev/v1alpha1";

/** What to build. */
export interface WorldShape {
  nodes: number;
  /** Backend sets; each LBRegistrar fills two (http, https), the last one maybe only one. */
  backendSets: number;
  loadBalancers: number;
  /** Endpoints per Service of the filtering half; absent: no LBRegistrar filters by endpoints. */
  endpointsPerService?: number;
  /** How long the OCI simulator takes to finish a work request. */
  workRequestDelayMs: number;
}

/** One backend set of the world and the LBRegistrar that fills it. */
export interface WorldSet {
  loadBalancerId: string;
  name: string;
  registrar: string;
  /** The nodes it takes; undefined for every node. */
  nodes: ReadonlySet<string> | undefined;
}

/** A running world. */
export interface World extends AsyncDisposable {
  readonly kube: KubeSim;
  readonly oci: OciSim;
  readonly shape: WorldShape;
  readonly kubeconfigPath: string;
  readonly loadBalancerIds: readonly string[];
  readonly sets: readonly WorldSet[];
  readonly registrarNames: readonly string[];
  /** Node names, in creation order. */
  readonly nodes: readonly string[];
  /** The backend sets that take `node` ("lbId/setName"). */
  setsOf(node: string): WorldSet[];
  /** Creates the LBRegistrars (the operator then has work to do). */
  createRegistrars(): void;
  /** Adds `count` Ready nodes (named `extra-…`); returns their names. */
  addNodes(count: number): string[];
  /** True when every LBRegistrar says Ready=True for its current generation. */
  allReady(): boolean;
  stop(): Promise<void>;
}

/** Starts both simulators and seeds the world (no LBRegistrars yet: see `createRegistrars`). */
export async function startWorld(shape: WorldShape): Promise<World> {
  const crd = YAML.parse(
    await Deno.readTextFile(
      new URL("../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml", import.meta.url),
    ),
  ) as KubeObject;
  const kube = await startKubeSim({
    crds: [crd],
    namespaces: ["default", "kube-system", OPERATOR_NAMESPACE, APP_NAMESPACE],
    // The benchmark patches and watches a lot; keep history and log bounded but ample.
    historyWindow: 50_000,
    requestLogLimit: 2_000,
  });
  const oci = startOciSim({ workRequestDelayMs: shape.workRequestDelayMs });
  const dir = await Deno.makeTempDir({ prefix: "lbr-bench-" });
  const kubeconfigPath = `${dir}/kubeconfig`;
  await kube.writeKubeconfig(kubeconfigPath, { namespace: OPERATOR_NAMESPACE });

  const key = generateDemoKey();
  oci.registerKey(key.keyId, key.publicPem);
  kube.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: KEY_SECRET.name, namespace: OPERATOR_NAMESPACE },
    type: "Opaque",
    data: { [KEY_SECRET.key]: btoa(key.privatePem) },
  });
  const apiKey = {
    user: key.user,
    fingerprint: key.fingerprint,
    tenancy: key.tenancy,
    privateKey: { secretKeyRef: { ...KEY_SECRET } },
  };

  const nodes: string[] = [];
  for (let n = 0; n < shape.nodes; n++) {
    const name = `node-${n}`;
    kube.addNode(name);
    nodes.push(name);
  }

  const loadBalancerIds = Array.from(
    { length: shape.loadBalancers },
    (_, j) =>
      j < Math.ceil(shape.loadBalancers / 2)
        ? `ocid1.loadbalancer.oc1.iad.benchaaaaaaaaclassic${String(j).padStart(4, "0")}`
        : `ocid1.networkloadbalancer.oc1.iad.benchaaaaaaaanlb${String(j).padStart(4, "0")}`,
  );
  for (const id of loadBalancerIds) {
    oci.addLoadBalancer({ id, workRequestDelayMs: shape.workRequestDelayMs });
  }

  const registrarCount = Math.ceil(shape.backendSets / 2);
  const sets: WorldSet[] = [];
  const registrars: KubeObject[] = [];
  for (let i = 0; i < registrarCount; i++) {
    const name = `lbr-${i}`;
    const loadBalancerId = loadBalancerIds[i % loadBalancerIds.length]!;
    const filter = shape.endpointsPerService !== undefined && i >= registrarCount / 2;
    const service = `svc-${i}`;
    const hosts = filter
      ? Array.from(
        { length: Math.min(shape.endpointsPerService!, nodes.length) },
        (_, e) => nodes[(i * 37 + e * 53) % nodes.length]!,
      )
      : nodes.slice(0, Math.min(10, nodes.length));
    createService(kube, service, hosts);
    const taken = filter ? new Set(hosts) : undefined;
    const setNames = [`${name}-http`, `${name}-https`].slice(0, shape.backendSets - 2 * i);
    for (const setName of setNames) {
      oci.addBackendSet(loadBalancerId, setName, backendSetAttributes(loadBalancerId));
      sets.push({ loadBalancerId, name: setName, registrar: name, nodes: taken });
    }
    registrars.push({
      apiVersion: LBR_API_VERSION,
      kind: "LBRegistrar",
      metadata: { name },
      spec: {
        loadBalancerId,
        apiKey,
        services: ["http", "https"].slice(0, setNames.length).map((port, k) => ({
          name: service,
          namespace: APP_NAMESPACE,
          port,
          backendSetName: setNames[k],
          ...(filter ? { filterByEndpoints: true } : {}),
        })),
      },
    });
  }

  let extra = 0;
  const stop = async () => {
    await oci.stop();
    await kube.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  return {
    kube,
    oci,
    shape,
    kubeconfigPath,
    loadBalancerIds,
    sets,
    registrarNames: registrars.map((r) => r.metadata.name!),
    nodes,
    setsOf: (node) => sets.filter((set) => set.nodes === undefined || set.nodes.has(node)),
    createRegistrars() {
      for (const registrar of registrars) kube.create(registrar);
    },
    addNodes(count) {
      const names: string[] = [];
      for (let k = 0; k < count; k++) {
        const name = `extra-${extra++}`;
        kube.addNode(name);
        names.push(name);
      }
      return names;
    },
    allReady() {
      return registrars.every((r) => {
        const lbr = kube.get({
          apiVersion: LBR_API_VERSION,
          kind: "LBRegistrar",
          name: r.metadata.name!,
        });
        return lbr !== undefined && isReady(lbr);
      });
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Ready=True observed for the object's current generation. */
function isReady(lbr: KubeObject): boolean {
  const status = lbr.status as
    | { observedGeneration?: number; conditions?: { type: string; status: string }[] }
    | undefined;
  return status?.observedGeneration === lbr.metadata.generation &&
    (status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

function createService(kube: KubeSim, name: string, hosts: readonly string[]): void {
  kube.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: APP_NAMESPACE, labels: { app: name } },
    spec: {
      type: "NodePort",
      selector: { app: name },
      ports: [
        { name: "http", protocol: "TCP", port: 80, targetPort: 8080 },
        { name: "https", protocol: "TCP", port: 443, targetPort: 8443 },
      ],
    },
  });
  kube.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${name}-bench`,
      namespace: APP_NAMESPACE,
      labels: { "kubernetes.io/service-name": name },
    },
    addressType: "IPv4",
    endpoints: hosts.map((nodeName, k) => ({
      addresses: [`10.244.${Math.floor(k / 250)}.${(k % 250) + 2}`],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName,
    })),
    ports: [{ name: "http", port: 8080, protocol: "TCP" }],
  });
}

/** What a real backend set carries besides its backends (kept through every PUT). */
function backendSetAttributes(loadBalancerId: string): Record<string, unknown> {
  const healthChecker = {
    protocol: "HTTP",
    urlPath: "/healthz",
    port: 10256,
    returnCode: 200,
    retries: 3,
    timeoutInMillis: 3000,
    intervalInMillis: 10000,
  };
  return loadBalancerId.includes(".loadbalancer.")
    ? {
      policy: "ROUND_ROBIN",
      backends: [],
      healthChecker: { ...healthChecker, responseBodyRegex: "" },
    }
    : {
      policy: "FIVE_TUPLE",
      isPreserveSource: true,
      ipVersion: "IPV4",
      backends: [],
      healthChecker,
    };
}
