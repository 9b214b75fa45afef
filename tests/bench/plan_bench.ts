/**
 * Benchmark of the planner (not a test): 5,000 nodes × 200 backend sets, planned in full.
 * Run with `deno run tests/bench/plan_bench.ts`. Half the sets take every node at a fixed port,
 * half take the nodes running endpoints of their Service (100 each, filterByEndpoints).
 */

import type { Binding } from "../../src/api/binding.ts";
import type { Backend, EndpointSliceInfo, NodeInfo, ServiceInfo } from "../../src/plan/model.ts";
import { type Cluster, indexCluster } from "../../src/plan/cluster.ts";
import { type BackendSetPlan, planBackendSet } from "../../src/plan/plan_backend_set.ts";
import { bindingsByBackendSet } from "../../src/plan/backend_set_groups.ts";

const NODES = 5_000;
const SETS = 200;
const ENDPOINTS_PER_SERVICE = 100;
const ROUNDS = 5;
const NOW = 1_700_000_000_000;
const LB = "ocid1.loadbalancer.oc1.phx.bench";

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function buildProjections(): Cluster {
  const nodes = new Map<string, NodeInfo>();
  for (let i = 0; i < NODES; i++) {
    const name = `node-${i}`;
    nodes.set(name, {
      name,
      deleting: false,
      labels: {
        "kubernetes.io/hostname": name,
        "node.kubernetes.io/instance-type": "VM.Standard.E4.Flex",
        "topology.kubernetes.io/zone": `AD-${(i % 3) + 1}`,
        pool: `pool-${i % 10}`,
      },
      taints: [],
      ready: i % 100 !== 0,
      addresses: [
        { type: "InternalIP", address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
        { type: "Hostname", address: name },
      ],
    });
  }
  const services = new Map<string, ServiceInfo>();
  const slices = new Map<string, EndpointSliceInfo[]>();
  for (let s = SETS / 2; s < SETS; s++) {
    const name = `svc-${s}`;
    services.set(`shop/${name}`, {
      namespace: "shop",
      name,
      type: "NodePort",
      ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30000 + s }],
    });
    const endpoints = Array.from({ length: ENDPOINTS_PER_SERVICE }, (_, e) => ({
      nodeName: `node-${(s * 37 + e * 53) % NODES}`,
      ready: true,
      serving: true,
      terminating: false,
    }));
    slices.set(`shop/${name}`, [{
      namespace: "shop",
      name: `${name}-x1`,
      serviceName: name,
      endpoints,
    }]);
  }
  return { nodes, services, slices };
}

function buildBindings(): Binding[] {
  return Array.from({ length: SETS }, (_, s): Binding => ({
    lbr: `lbr-${s}`,
    loadBalancerId: `${LB}${s % 20}`,
    backendSetName: `set-${s}`,
    port: s < SETS / 2
      ? { kind: "fixed", nodePort: 30000 + s }
      : { kind: "service", namespace: "shop", name: `svc-${s}`, port: "http" },
    weight: 1,
    filterByEndpoints: s >= SETS / 2,
    addressType: "InternalIP",
    ipFamily: "IPv4",
    ownership: s % 2 === 0 ? "Exclusive" : "Shared",
    drainSeconds: 30,
    source: "spec.services[0]",
  }));
}

function planAll(
  cluster: Cluster,
  groups: Map<string, Binding[]>,
  actual: Map<string, readonly Backend[]>,
  owned: Map<string, Map<string, Set<string>>>,
): BackendSetPlan[] {
  const index = indexCluster(cluster);
  const plans: BackendSetPlan[] = [];
  for (const [key, bindings] of groups) {
    const first = bindings[0];
    if (!first) continue;
    plans.push(planBackendSet(index, {
      loadBalancerId: first.loadBalancerId,
      backendSetName: first.backendSetName,
      bindings,
      actual: actual.get(key) ?? [],
      owned: owned.get(key) ?? new Map(),
      now: NOW,
    }));
  }
  return plans;
}

function time<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}

const heapBefore = Deno.memoryUsage().heapUsed;
const cluster = buildProjections();
const heapProjections = Deno.memoryUsage().heapUsed - heapBefore;
const groups = bindingsByBackendSet(buildBindings());

const heapBeforeIndex = Deno.memoryUsage().heapUsed;
const retainedIndex = indexCluster(cluster);
const heapIndex = Deno.memoryUsage().heapUsed - heapBeforeIndex;
const indexTimes: number[] = [];
for (let r = 0; r < ROUNDS; r++) indexTimes.push(time(() => indexCluster(cluster)).ms);

// First sync: every set empty in OCI.
const initial = time(() => planAll(cluster, groups, new Map(), new Map()));
const actual = new Map(initial.result.map((p) => [p.key, p.next]));
const owned = new Map(initial.result.map((p) => [
  p.key,
  new Map(p.bindings.map((b) => [b.binding.lbr, new Set([...b.registered, ...b.draining])])),
]));
const backends = initial.result.reduce((n, p) => n + p.next.length, 0);

const steadyTimes: number[] = [];
let steady: BackendSetPlan[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const run = time(() => planAll(cluster, groups, actual, owned));
  steadyTimes.push(run.ms);
  steady = run.result;
}
const inSync = steady.filter((p) => p.inSync).length;

// One change: 50 nodes go NotReady, one node is deleted.
const changedNodes = new Map(cluster.nodes);
for (let i = 1; i <= 50; i++) {
  const name = `node-${i * 97}`;
  const node = changedNodes.get(name);
  if (node) changedNodes.set(name, { ...node, ready: false });
}
changedNodes.delete("node-4999");
const changed = { ...cluster, nodes: changedNodes };
const changeTimes: number[] = [];
let afterChange: BackendSetPlan[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const run = time(() => planAll(changed, groups, actual, owned));
  changeTimes.push(run.ms);
  afterChange = run.result;
}
const writes = afterChange.filter((p) => !p.inSync).length;

console.log(`plan bench: ${NODES} nodes, ${SETS} backend sets, ${backends} backends in OCI`);
console.log(`projections heap (nodes, services, slices): ${mib(heapProjections)}`);
console.log(`indexCluster: median ${median(indexTimes).toFixed(1)} ms`);
console.log(
  `index (addresses parsed, IP owners): ${mib(heapIndex)} for ${retainedIndex.nodes.size} nodes`,
);
console.log(`first sync (all sets empty): ${initial.ms.toFixed(0)} ms`);
console.log(
  `full plan, steady state: median ${
    median(steadyTimes).toFixed(0)
  } ms (${inSync}/${SETS} in sync)`,
);
console.log(
  `full plan after 50 NotReady + 1 deleted node: median ${
    median(changeTimes).toFixed(0)
  } ms (${writes} sets to write)`,
);
const [bigKey, bigBindings = []] = [...groups][0] ?? [];
const bigTimes: number[] = [];
for (let r = 0; r < 20; r++) {
  bigTimes.push(
    time(() =>
      planBackendSet(retainedIndex, {
        loadBalancerId: bigBindings[0]?.loadBalancerId ?? "",
        backendSetName: bigBindings[0]?.backendSetName ?? "",
        bindings: bigBindings,
        actual: actual.get(bigKey ?? "") ?? [],
        owned: owned.get(bigKey ?? "") ?? new Map(),
        now: NOW,
      })
    ).ms,
  );
}
console.log(`one backend set of ${NODES} nodes, in sync: median ${median(bigTimes).toFixed(1)} ms`);
console.log(`heap used at end: ${mib(Deno.memoryUsage().heapUsed)}`);
