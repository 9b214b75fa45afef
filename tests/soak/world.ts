/**
 * The soak's world: 4 load balancers (2 classic, 2 NLB) with 8 backend sets, 3 Services in
 * namespace `apps`, their EndpointSlices, 300 labelled nodes and 10 LBRegistrars covering Exclusive
 * and Shared sets, filterByEndpoints, node selectors, merged Bindings with different weights and the
 * deprecated `service` field. Shared sets start with foreign backends that must survive every write.
 */

import YAML from "yaml";
import { API_VERSION, KIND } from "../../src/api/constants.ts";
import type { ApiKeySpec, LBRegistrarSpec } from "../../src/api/types.ts";
import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { KubeObject } from "../../src/sim/kube/resource_type.ts";
import type { OciSim, WireObject } from "../../src/sim/oci/oci_sim.ts";
import type { Random } from "./random.ts";

/** The operator's namespace (Lease, API key Secret). */
export const OPERATOR_NAMESPACE = "lbr-soak";
/** Namespace of the Services and EndpointSlices. */
export const APP_NAMESPACE = "apps";
/** The Secret holding the API key, and its key. */
export const KEY_SECRET = { name: "oci-api-key", key: "private-key" } as const;
export const ZONES = ["z1", "z2", "z3"] as const;
export const POOLS = ["general", "batch"] as const;

/** One backend set of the world. */
export interface SetRef {
  lbId: string;
  name: string;
  /** `${lbId}/${name}` */
  key: string;
}

/** One load balancer of the world. */
export interface LbPlan {
  id: string;
  /** OCI work-request time on this LB (NLBs are slower, as in OCI). */
  workRequestDelayMs: number;
  sets: string[];
}

const LB_A = "ocid1.loadbalancer.oc1.iad.soakaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaclassica";
const LB_B = "ocid1.loadbalancer.oc1.iad.soakaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaclassicb";
const NLB_C = "ocid1.networkloadbalancer.oc1.iad.soakaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaanetworkc";
const NLB_D = "ocid1.networkloadbalancer.oc1.iad.soakaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaanetworkd";

/** The load balancers, with a work-request time scaled by `wrScale` (1 = 300 ms to 1.2 s). */
export function loadBalancers(wrScale = 1): LbPlan[] {
  const delay = (ms: number) => Math.round(ms * wrScale);
  return [
    { id: LB_A, workRequestDelayMs: delay(300), sets: ["a-http", "a-https"] },
    { id: LB_B, workRequestDelayMs: delay(400), sets: ["b-shared", "b-api"] },
    { id: NLB_C, workRequestDelayMs: delay(800), sets: ["c-tcp", "c-shared"] },
    { id: NLB_D, workRequestDelayMs: delay(1200), sets: ["d-grpc", "d-multi"] },
  ];
}

/** Every backend set of `lbs`. */
export function setsOf(lbs: readonly LbPlan[]): SetRef[] {
  return lbs.flatMap((lb) =>
    lb.sets.map((name) => ({ lbId: lb.id, name, key: setKey(lb.id, name) }))
  );
}

/** The key of a backend set. */
export function setKey(lbId: string, name: string): string {
  return `${lbId}/${name}`;
}

/** Services and their ports: name → port name → [port, initial NodePort]. */
export const SERVICES: Record<string, Record<string, [number, number]>> = {
  web: { http: [80, 30080], https: [443, 30443] },
  api: { http: [8080, 30880], tcp: [9000, 30900] },
  grpc: { grpc: [9090, 30909] },
};

/** EndpointSlices per Service (api has two, so merging slices is exercised). */
export const SLICES: Record<string, string[]> = {
  web: ["web-s1"],
  api: ["api-s1", "api-s2"],
  grpc: ["grpc-s1"],
};

/** Foreign backends seeded into the Shared sets (addresses no node has). */
export function foreignBackends(setName: string): WireObject[] {
  if (setName === "b-shared") {
    return [
      {
        ipAddress: "192.168.50.10",
        port: 7000,
        weight: 7,
        backup: true,
        drain: false,
        offline: false,
      },
      {
        ipAddress: "192.168.50.11",
        port: 7001,
        weight: 1,
        backup: false,
        drain: false,
        offline: true,
      },
    ];
  }
  if (setName === "c-shared") {
    return [
      {
        ipAddress: "192.168.60.10",
        port: 9000,
        weight: 3,
        isBackup: false,
        isDrain: false,
        isOffline: false,
      },
    ];
  }
  return [];
}

const svc = (name: string, port: string | number, rest: Record<string, unknown> = {}) => ({
  name,
  namespace: APP_NAMESPACE,
  port,
  ...rest,
});

/** The 10 LBRegistrars' specs (without apiKey), by name. */
export function registrarSpecs(): Record<string, LBRegistrarSpec> {
  const zoneIn = (...zones: string[]) => ({
    matchExpressions: [{ key: "zone", operator: "In" as const, values: zones }],
  });
  return {
    "web-a": {
      loadBalancerId: LB_A,
      drainSeconds: 1,
      services: [
        svc("web", "http", { backendSetName: "a-http" }),
        svc("web", "https", { backendSetName: "a-https" }),
      ],
    },
    "web-a-general": {
      loadBalancerId: LB_A,
      drainSeconds: 1,
      weight: 5,
      nodeSelector: { matchLabels: { pool: "general" } },
      services: [svc("web", "http", { backendSetName: "a-http" })],
    },
    "web-a-legacy": {
      loadBalancerId: LB_A,
      drainSeconds: 1,
      backendSetName: "a-https",
      weight: 4,
      nodeSelector: { matchLabels: { zone: "z3" } },
      service: svc("web", 443),
    },
    "shared-b": {
      loadBalancerId: LB_B,
      drainSeconds: 1,
      ownership: "Shared",
      backendSetName: "b-shared",
      services: [svc("api", "tcp")],
    },
    "api-b": {
      loadBalancerId: LB_B,
      drainSeconds: 1,
      services: [svc("api", "http", { backendSetName: "b-api", filterByEndpoints: true })],
    },
    "tcp-c": {
      loadBalancerId: NLB_C,
      drainSeconds: 1,
      services: [svc("api", "tcp", { backendSetName: "c-tcp", filterByEndpoints: true })],
    },
    "grpc-c-shared": {
      loadBalancerId: NLB_C,
      drainSeconds: 1,
      ownership: "Shared",
      nodeSelector: zoneIn("z1"),
      services: [svc("grpc", "grpc", { backendSetName: "c-shared" })],
    },
    "grpc-d": {
      loadBalancerId: NLB_D,
      drainSeconds: 1,
      nodeSelector: { matchLabels: { pool: "general" } },
      services: [svc("grpc", 9090, { backendSetName: "d-grpc" })],
    },
    "multi-d-z1": {
      loadBalancerId: NLB_D,
      drainSeconds: 1,
      weight: 2,
      nodeSelector: zoneIn("z1"),
      services: [svc("web", "http", { backendSetName: "d-multi" })],
    },
    "multi-d-z23": {
      loadBalancerId: NLB_D,
      drainSeconds: 1,
      nodeSelector: zoneIn("z2", "z3"),
      services: [svc("web", "http", { backendSetName: "d-multi", weight: 3 })],
    },
  };
}

/** Labels of a new node: a zone and a pool. */
export function nodeLabels(random: Random): Record<string, string> {
  return { zone: random.pick(ZONES), pool: random.chance(0.7) ? "general" : "batch" };
}

/** An EndpointSlice endpoint on `nodeName`. */
export function endpoint(nodeName: string, index: number, state: EndpointState): WireObject {
  return {
    addresses: [`10.244.${Math.floor(index / 250) % 250}.${(index % 250) + 2}`],
    conditions: {
      ready: state === "ready",
      serving: state !== "down",
      terminating: state === "terminating",
    },
    nodeName,
  };
}

/** What an endpoint says: ready, serving while terminating, or down (neither). */
export type EndpointState = "ready" | "terminating" | "down";

/** An EndpointSlice object of Service `service`. */
export function endpointSlice(service: string, name: string, endpoints: WireObject[]): KubeObject {
  const ports = Object.entries(SERVICES[service] ?? {}).map(([portName, [port]]) => ({
    name: portName,
    protocol: "TCP",
    port: port + 10000,
  }));
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name,
      namespace: APP_NAMESPACE,
      labels: {
        "kubernetes.io/service-name": service,
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      },
    },
    addressType: "IPv4",
    endpoints,
    ports,
  };
}

/** The LBRegistrar object `name` with `spec` and the soak's API key. */
export function registrarObject(
  name: string,
  spec: LBRegistrarSpec,
  apiKey: ApiKeySpec,
): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name },
    spec: { ...spec, apiKey } as unknown as Record<string, unknown>,
  };
}

/** The repo CRD (with its validation), as `kubectl apply` would install it. */
export async function repoCrd(): Promise<KubeObject> {
  const url = new URL("../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml", import.meta.url);
  return YAML.parse(await Deno.readTextFile(url)) as KubeObject;
}

/** What seeding needs. */
export interface SeedInput {
  kube: KubeSim;
  oci: OciSim;
  lbs: readonly LbPlan[];
  random: Random;
  nodeCount: number;
  apiKey: ApiKeySpec;
  /** PKCS#8 PEM of the API key, stored in the Secret. */
  privatePem: string;
}

/** Fills both simulators: LBs and sets (foreign backends in), Secret, nodes, Services, slices, LBRegistrars. */
export function seedWorld(input: SeedInput): void {
  const { kube, oci, lbs, random, nodeCount, apiKey, privatePem } = input;
  for (const lb of lbs) {
    oci.addLoadBalancer({ id: lb.id, workRequestDelayMs: lb.workRequestDelayMs });
    for (const name of lb.sets) oci.addBackendSet(lb.id, name, setAttributes(lb.id, name));
    for (const name of lb.sets) {
      const foreign = foreignBackends(name);
      if (foreign.length > 0) oci.setBackends(lb.id, name, foreign);
    }
  }
  kube.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: KEY_SECRET.name, namespace: OPERATOR_NAMESPACE },
    type: "Opaque",
    data: { [KEY_SECRET.key]: btoa(privatePem) },
  });
  const nodes: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `node-${String(i).padStart(3, "0")}`;
    kube.addNode(name, { labels: nodeLabels(random) });
    nodes.push(name);
  }
  for (const [name, ports] of Object.entries(SERVICES)) {
    kube.create({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: APP_NAMESPACE, labels: { app: name } },
      spec: {
        type: "NodePort",
        selector: { app: name },
        ports: Object.entries(ports).map(([portName, [port, nodePort]]) => ({
          name: portName,
          protocol: "TCP",
          port,
          targetPort: port + 10000,
          nodePort,
        })),
      },
    });
  }
  let index = 0;
  for (const [service, slices] of Object.entries(SLICES)) {
    for (const slice of slices) {
      const chosen = random.sample(nodes, 25);
      const endpoints = chosen.map((node) =>
        endpoint(
          node,
          index++,
          random.chance(0.85) ? "ready" : random.pick(["terminating", "down"]),
        )
      );
      kube.create(endpointSlice(service, slice, endpoints));
    }
  }
  for (const [name, spec] of Object.entries(registrarSpecs())) {
    kube.create(registrarObject(name, spec, apiKey));
  }
}

/** Attributes of a backend set as an operator found it: everything but the backends matters. */
function setAttributes(lbId: string, name: string): WireObject {
  const healthChecker = {
    protocol: "HTTP",
    urlPath: "/healthz",
    port: 10256,
    returnCode: 200,
    retries: 3,
    timeoutInMillis: 3000,
    intervalInMillis: 10000,
  };
  if (lbId.startsWith("ocid1.networkloadbalancer.")) {
    return {
      policy: name.endsWith("shared") ? "THREE_TUPLE" : "FIVE_TUPLE",
      isPreserveSource: true,
      isFailOpen: true,
      isInstantFailoverEnabled: false,
      ipVersion: "IPV4",
      backends: [],
      healthChecker,
    };
  }
  return {
    policy: name.endsWith("https") ? "LEAST_CONNECTIONS" : "ROUND_ROBIN",
    backends: [],
    backendMaxConnections: 500,
    healthChecker: { ...healthChecker, responseBodyRegex: "" },
    sessionPersistenceConfiguration: { cookieName: "SOAK", disableFallback: false },
  };
}
