/**
 * The rig of the bad-input matrix: both simulators, the real adapters and the engine, with a
 * schema-less LBRegistrar CRD so hostile objects reach the operator as stored (nothing pruned or
 * refused), one load balancer per row so rows run side by side, and a healthy control LBRegistrar
 * on its own load balancer that must stay Ready and correct while the rows misbehave.
 */

import "../../../src/kube/_quiet_deprecations.ts";
import assert from "node:assert/strict";
import { createEngine } from "../../../src/engine/engine.ts";
import { createCluster } from "../../../src/kube/cluster.ts";
import { createLoadBalancers } from "../../../src/oci/load_balancers.ts";
import { lbRegistrarCrd } from "../../../src/sim/kube/lb_registrar_crd.ts";
import type { KubeObject } from "../../../src/sim/kube/resource_type.ts";
import { startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import type { OciSim, WireObject } from "../../../src/sim/oci/types.ts";
import { createRecordingLogger, type LogEntry } from "../../support/fake_ports.ts";
import { eventually, startTestKubeSim, type TestKubeSim } from "../../support/kube_sim.ts";
import { generateOciTestKey, type OciTestKey } from "../../support/oci_keys.ts";

export { eventually };

export const OPERATOR_NAMESPACE = "lbr-system";
export const KEY_SECRET = "oci-api-key";
export const KEY_ITEM = "private-key";
export const LBR_API_VERSION = "nodes.peppy-ratio.dev/v1alpha1";
/** The demo Service and its ports (src/sim/kube/seed.ts). */
export const WEB = { name: "web", namespace: "default", port: "http" } as const;
export const WEB_NODE_PORT = 30080;
export const DEMO_NODES = ["node-1", "node-2", "node-3"] as const;
/**
 * Selects the demo nodes only: rows add nodes of their own without changing the control's set, and
 * the control's probe node (zone "zone-probe") changes nothing for the rows.
 */
export const DEMO_NODE_SELECTOR = {
  matchExpressions: [{
    key: "topology.kubernetes.io/zone",
    operator: "In",
    values: ["zone-1", "zone-2", "zone-3"],
  }],
};
const CONTROL_SELECTOR = {
  matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "Exists" }],
};

export const CONTROL = {
  name: "control",
  lbId: "ocid1.loadbalancer.oc1.iad.aaaaaaaacontrol",
  set: "control",
} as const;

/** Attributes of a fresh classic backend set. */
export const CLASSIC_SET: WireObject = {
  policy: "ROUND_ROBIN",
  backends: [],
  healthChecker: { protocol: "TCP", port: 10256 },
};
/** Attributes of a fresh NLB backend set. */
export const NLB_SET: WireObject = {
  policy: "FIVE_TUPLE",
  ipVersion: "IPV4",
  isPreserveSource: true,
  backends: [],
  healthChecker: { protocol: "TCP", port: 10256 },
};

/** A condition as written in status. */
export interface ConditionView {
  status: string;
  reason: string;
  message: string;
}

/** One row of a matrix: it arranges its objects, then verifies what the operator made of them. */
export interface Row {
  name: string;
  /** Why the row is skipped: a known bug, described in the report. */
  ignore?: string;
  /** LBRegistrar the row is about. */
  lbr: string;
  /** Creates the row's objects; runs before any row is verified, so rows settle side by side. */
  arrange(rig: MatrixRig): void | Promise<void>;
  /** Asserts the outcome; waits for it first. */
  verify(rig: MatrixRig): Promise<void>;
  /** Load balancers that must never be written while the row's input is bad. */
  noWritesTo?: readonly string[];
}

/** The rig; dispose to stop the engine and both simulators. */
export interface MatrixRig extends AsyncDisposable {
  kube: TestKubeSim;
  oci: OciSim;
  key: OciTestKey;
  /** What the engine, the kube adapter and the OCI adapter logged. */
  logs: LogEntry[];
  /** `spec.apiKey` with the rig's key, from `secret` (default: the rig's key Secret). */
  apiKey(secret?: { name?: string; key?: string; passphraseKey?: string }): Record<string, unknown>;
  /** Adds a load balancer (classic or NLB, by OCID) with fresh backend sets. */
  addLoadBalancer(lbId: string, sets: readonly string[]): void;
  /** Creates an LBRegistrar exactly as given (spec and status unchecked: the CRD has no schema). */
  createRaw(name: string, body: Record<string, unknown>): KubeObject;
  /** Creates an LBRegistrar with `spec` plus the rig's `apiKey` unless the spec has its own. */
  createLbr(name: string, spec: Record<string, unknown>): KubeObject;
  lbr(name: string): KubeObject | undefined;
  condition(name: string, type: "Ready" | "Reconciling" | "Stalled"): ConditionView | undefined;
  /** Sorted `ip:port` of a backend set, with ",drain" and ",w=N" when not the default. */
  backends(lbId: string, set: string): string[];
  /** PUTs the OCI simulator received for a load balancer (any outcome). */
  writes(lbId: string): number;
  /** InternalIP of a simulator node. */
  nodeIp(name: string): string;
  /** `ip:30080` of each node, sorted. */
  expectedBackends(nodes: readonly string[], port?: number): string[];
  /** Asserts the control LBRegistrar is Ready with exactly the demo nodes, written once. */
  assertControlHealthy(): void;
  /** Adds a demo-labelled node and waits until the control registers it: the engine still works. */
  probeControl(name: string): Promise<void>;
  /** Resolves once the OCI simulator has seen no request for `ms`. */
  quiet(ms?: number): Promise<void>;
}

/** What `startMatrixRig` may change. */
export interface MatrixRigOptions {
  /** Runs after the control is created and before the engine starts (objects found at start). */
  beforeStart?: (rig: MatrixRig) => void;
}

let sharedKey: OciTestKey | undefined;

/** A schema-less LBRegistrar CRD: the API server stores any spec and status unchanged. */
function schemalessCrd(): KubeObject {
  const crd = lbRegistrarCrd();
  const spec = crd.spec as { versions: Record<string, unknown>[] };
  for (const version of spec.versions) delete version.schema;
  return crd;
}

/** Starts both simulators and the engine, creates the control LBRegistrar and waits for it. */
export async function startMatrixRig(options: MatrixRigOptions = {}): Promise<MatrixRig> {
  const kube = await startTestKubeSim({
    crds: [schemalessCrd()],
    seedDemo: true,
    namespaces: ["default", OPERATOR_NAMESPACE],
  });
  const oci = startOciSim({ workRequestDelayMs: 20 });
  const key = sharedKey ??= generateOciTestKey();
  oci.registerKey(key.keyId, key.publicPem);
  kube.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: KEY_SECRET, namespace: OPERATOR_NAMESPACE },
    data: { [KEY_ITEM]: btoa(key.pkcs8Pem) },
  });
  const recording = createRecordingLogger();
  const controller = new AbortController();
  const cluster = createCluster({
    kubeConfig: kube.kc,
    secretNamespaces: [OPERATOR_NAMESPACE],
    watchTimeoutSeconds: 30,
    backoff: { initialMs: 50, maxMs: 500 },
    logger: recording.logger,
  });
  const engine = createEngine({
    cluster,
    oci: createLoadBalancers({ endpoint: oci.url, logger: recording.logger }),
    operatorNamespace: OPERATOR_NAMESPACE,
    logger: recording.logger,
    debounceMs: 50,
    workRequestPollMs: 50,
    resyncMs: 60_000,
  });
  let engineError: unknown;
  let done: Promise<void> = Promise.resolve();

  const apiKey: MatrixRig["apiKey"] = (secret = {}) => ({
    user: key.user,
    fingerprint: key.fingerprint,
    tenancy: key.tenancy,
    region: "us-ashburn-1",
    privateKey: {
      namespace: OPERATOR_NAMESPACE,
      secretKeyRef: { name: secret.name ?? KEY_SECRET, key: secret.key ?? KEY_ITEM },
      ...(secret.passphraseKey ? { passphraseKey: secret.passphraseKey } : {}),
    },
  });
  const lbrRef = (name: string) => ({ apiVersion: LBR_API_VERSION, kind: "LBRegistrar", name });
  const nodeIp = (name: string) => {
    const node = kube.sim.get({ apiVersion: "v1", kind: "Node", name });
    const addresses = (node?.status as { addresses?: { type: string; address: string }[] })
      ?.addresses;
    const ip = addresses?.find((a) => a.type === "InternalIP")?.address;
    if (!ip) throw new Error(`Cannot find the InternalIP of node "${name}"`);
    return ip;
  };
  const expectedBackends = (nodes: readonly string[], port = WEB_NODE_PORT) =>
    nodes.map((n) => `${nodeIp(n)}:${port}`).sort();
  const controlNodes: string[] = [...DEMO_NODES];

  const rig: MatrixRig = {
    kube,
    oci,
    key,
    logs: recording.entries,
    apiKey,
    addLoadBalancer(lbId, sets) {
      oci.addLoadBalancer({ id: lbId });
      const attributes = lbId.startsWith("ocid1.networkloadbalancer.") ? NLB_SET : CLASSIC_SET;
      for (const set of sets) oci.addBackendSet(lbId, set, structuredClone(attributes));
    },
    createRaw: (name, body) =>
      kube.sim.create({
        apiVersion: LBR_API_VERSION,
        kind: "LBRegistrar",
        ...body,
        metadata: { name, ...(body.metadata as Record<string, unknown> | undefined) },
      }),
    createLbr: (name, spec) => rig.createRaw(name, { spec: { apiKey: apiKey(), ...spec } }),
    lbr: (name) => kube.sim.get(lbrRef(name)),
    condition(name, type) {
      const status = rig.lbr(name)?.status as { conditions?: unknown } | undefined;
      const conditions = Array.isArray(status?.conditions) ? status.conditions : [];
      const found = conditions.find((c) => c?.type === type) as ConditionView | undefined;
      return found && { status: found.status, reason: found.reason, message: found.message };
    },
    backends(lbId, set) {
      const stored = oci.getBackendSet(lbId, set);
      const list = (stored?.body.backends ?? []) as Record<string, unknown>[];
      return list.map((b) => {
        const drain = b.drain ?? b.isDrain;
        const weight = b.weight === 1 ? "" : `,w=${b.weight}`;
        return `${b.ipAddress}:${b.port}${drain ? ",drain" : ""}${weight}`;
      }).sort();
    },
    writes: (lbId) => oci.requests().filter((r) => r.method === "PUT" && r.lbId === lbId).length,
    nodeIp,
    expectedBackends,
    assertControlHealthy() {
      assert.equal(engineError, undefined, `the engine stopped: ${String(engineError)}`);
      const ready = rig.condition(CONTROL.name, "Ready");
      assert.equal(`${ready?.status}/${ready?.reason}`, "True/BackendsRegistered");
      assert.deepEqual(rig.backends(CONTROL.lbId, CONTROL.set), expectedBackends(controlNodes));
      assert.equal(rig.writes(CONTROL.lbId), controlNodes.length - DEMO_NODES.length + 1);
    },
    async probeControl(name) {
      kube.sim.addNode(name, { labels: { "topology.kubernetes.io/zone": "zone-probe" } });
      controlNodes.push(name);
      const want = expectedBackends(controlNodes);
      await eventually(
        () => JSON.stringify(rig.backends(CONTROL.lbId, CONTROL.set)) === JSON.stringify(want),
        `the control to register probe node "${name}"`,
        10_000,
      );
      await eventually(
        () => rig.condition(CONTROL.name, "Ready")?.status === "True",
        "the control to be Ready again",
        10_000,
      );
      rig.assertControlHealthy();
    },
    async quiet(ms = 300) {
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
      controller.abort();
      await done;
      await cluster.stopped();
      await oci.stop();
      await kube[Symbol.asyncDispose]();
    },
  };

  rig.addLoadBalancer(CONTROL.lbId, [CONTROL.set]);
  rig.createLbr(CONTROL.name, {
    loadBalancerId: CONTROL.lbId,
    backendSetName: CONTROL.set,
    services: [WEB],
    nodeSelector: CONTROL_SELECTOR,
  });
  options.beforeStart?.(rig);
  done = engine.run(controller.signal).catch((error) => {
    if (!controller.signal.aborted) engineError = error;
  });
  try {
    await eventually(
      () => engineError !== undefined || rig.condition(CONTROL.name, "Ready")?.status === "True",
      "the control LBRegistrar to be Ready",
      10_000,
    );
    assert.equal(engineError, undefined, `the engine stopped: ${String(engineError)}`);
  } catch (error) {
    await rig[Symbol.asyncDispose]();
    throw error;
  }
  return rig;
}

/**
 * Runs a matrix inside one test: arranges every row, then verifies each as a step followed by the
 * control's health, then checks that no bad row was written after everything settled and that the
 * engine still reacts to a new node.
 */
export async function runMatrix(
  t: Deno.TestContext,
  rig: MatrixRig,
  rows: readonly Row[],
): Promise<void> {
  const active = rows.filter((row) => row.ignore === undefined);
  for (const row of active) await row.arrange(rig);
  for (const row of rows) {
    await t.step({
      name: row.ignore === undefined ? row.name : `${row.name} [ignored: ${row.ignore}]`,
      ignore: row.ignore !== undefined,
      fn: async () => {
        await row.verify(rig);
        for (const lbId of row.noWritesTo ?? []) {
          assert.equal(rig.writes(lbId), 0, `no write to ${lbId}`);
        }
        rig.assertControlHealthy();
      },
    });
  }
  await t.step(
    "after the rows settle, no bad input was written and the engine still serves",
    async () => {
      await rig.quiet(300);
      for (const row of active) {
        for (const lbId of row.noWritesTo ?? []) {
          assert.equal(rig.writes(lbId), 0, `${row.name}: no write to ${lbId}`);
        }
      }
      rig.assertControlHealthy();
      await rig.probeControl("probe-node");
    },
  );
}

/** Waits until `name` shows Ready=False with `reason`, then checks the message and Stalled. */
export async function expectProblem(
  rig: MatrixRig,
  name: string,
  reason: string,
  fragment: string | RegExp,
  { stalled = true }: { stalled?: boolean } = {},
): Promise<ConditionView> {
  await eventually(
    () => rig.condition(name, "Ready")?.reason === reason,
    `${name}: Ready=False/${reason} (now ${JSON.stringify(rig.condition(name, "Ready"))})`,
    10_000,
  );
  const ready = rig.condition(name, "Ready")!;
  assert.equal(ready.status, "False");
  assert.ok(
    typeof fragment === "string" ? ready.message.includes(fragment) : fragment.test(ready.message),
    `"${ready.message}" should contain ${String(fragment)}`,
  );
  if (stalled) assert.equal(rig.condition(name, "Stalled")?.status, "True");
  return ready;
}

/** Waits until `name` is Ready with exactly `backends` in `lbId`/`set`. */
export async function expectReady(
  rig: MatrixRig,
  name: string,
  lbId: string,
  set: string,
  backends: () => string[],
): Promise<void> {
  await eventually(
    () => rig.condition(name, "Ready")?.status === "True",
    `${name}: Ready=True (now ${JSON.stringify(rig.condition(name, "Ready"))})`,
    10_000,
  );
  assert.deepEqual(rig.backends(lbId, set), backends());
}

/** A distinct classic load balancer OCID for row `n` of matrix `prefix`. */
export function rowLb(prefix: string, n: number, kind: "lb" | "nlb" = "lb"): string {
  const type = kind === "lb" ? "loadbalancer" : "networkloadbalancer";
  return `ocid1.${type}.oc1.iad.aaaa${prefix}row${String(n).padStart(3, "0")}`;
}
