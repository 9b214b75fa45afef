/**
 * Problems a person must fix (DESIGN §3, §8): each gives Ready=False and Stalled=True with its reason,
 * phase ERROR, a message naming the object at fault, and no write to OCI.
 */
import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  KEY_SECRET,
  OPERATOR_NAMESPACE,
  type Rig,
  startRig,
} from "../../support/e2e.ts";

interface Problem {
  name: string;
  reason: string;
  /** What the message must name. */
  names: (target: Target) => string;
  setup?: (rig: Rig) => void;
  spec: (rig: Rig, target: Target) => Record<string, unknown>;
}

interface Target {
  kind: string;
  lbId: string;
  set: string;
}

const TARGETS: Target[] = [
  { kind: "classic LB", lbId: DEMO_LB_ID, set: "web-http" },
  { kind: "NLB", lbId: DEMO_NLB_ID, set: "web-tcp" },
];

const SERVICE = { name: "web", namespace: "default", port: "http" };

/** The rig's apiKey with the Secret reference replaced. */
function keyFrom(rig: Rig, name: string, key: string, fingerprint?: string) {
  return {
    ...rig.apiKey(),
    ...(fingerprint ? { fingerprint } : {}),
    privateKey: { namespace: OPERATOR_NAMESPACE, secretKeyRef: { name, key } },
  };
}

const base = (target: Target) => ({
  loadBalancerId: target.lbId,
  backendSetName: target.set,
  service: SERVICE,
});

const PROBLEMS: Problem[] = [
  {
    name: "a missing Secret",
    reason: "CredentialsError",
    names: () => `${OPERATOR_NAMESPACE}/no-such-secret`,
    spec: (rig, t) => ({ ...base(t), apiKey: keyFrom(rig, "no-such-secret", "private-key") }),
  },
  {
    name: "a missing Secret key",
    reason: "CredentialsError",
    names: () => "no-such-key",
    spec: (rig, t) => ({ ...base(t), apiKey: keyFrom(rig, KEY_SECRET, "no-such-key") }),
  },
  {
    name: "a private key that is not PEM",
    reason: "CredentialsError",
    names: () => `${OPERATOR_NAMESPACE}/bad-pem`,
    setup: (rig) =>
      void rig.kube.sim.create({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "bad-pem", namespace: OPERATOR_NAMESPACE },
        data: {
          "private-key": btoa(
            "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
          ),
        },
      }),
    spec: (rig, t) => ({ ...base(t), apiKey: keyFrom(rig, "bad-pem", "private-key") }),
  },
  {
    name: "a wrong fingerprint (401)",
    reason: "CredentialsError",
    names: () => "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
    spec: (rig, t) => ({
      ...base(t),
      apiKey: keyFrom(
        rig,
        KEY_SECRET,
        "private-key",
        "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff",
      ),
    }),
  },
  {
    name: "an unknown load balancer",
    reason: "LoadBalancerNotFound",
    names: (t) => `${t.lbId.replace(/0001$/, "9999")}`,
    spec: (_rig, t) => ({ ...base(t), loadBalancerId: t.lbId.replace(/0001$/, "9999") }),
  },
  {
    name: "an unknown backend set",
    reason: "BackendSetNotFound",
    names: () => "no-such-set",
    spec: (_rig, t) => ({ ...base(t), backendSetName: "no-such-set" }),
  },
  {
    name: "a missing Service",
    reason: "ServiceNotFound",
    names: () => "default/ghost",
    spec: (_rig, t) => ({ ...base(t), service: { ...SERVICE, name: "ghost" } }),
  },
  {
    name: "a Service without a NodePort",
    reason: "NodePortNotAllocated",
    names: () => "default/internal",
    setup: (rig) =>
      void rig.kube.sim.create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "internal", namespace: "default" },
        spec: {
          type: "ClusterIP",
          selector: { app: "web" },
          ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 8080 }],
        },
      }),
    spec: (_rig, t) => ({ ...base(t), service: { ...SERVICE, name: "internal" } }),
  },
];

for (const target of TARGETS) {
  for (const problem of PROBLEMS) {
    Deno.test(`createEngine() reports ${problem.name} on the ${target.kind} as ${problem.reason} without writing`, async () => {
      await using rig = await startRig();
      problem.setup?.(rig);
      rig.createLbr("broken", problem.spec(rig, target));
      rig.startEngine();
      await eventually(
        () => condition(rig.lbr("broken"), "Stalled") === `True/${problem.reason}`,
        `Stalled=True/${problem.reason}`,
        10_000,
      );
      await rig.quiet(200);

      const status = rig.lbr("broken")?.status as {
        phase: string;
        observedGeneration: number;
        conditions: { type: string; status: string; reason: string; message: string }[];
      };
      assert.equal(status.phase, "ERROR");
      assert.equal(status.observedGeneration, 1);
      const ready = status.conditions.find((c) => c.type === "Ready")!;
      assert.equal(`${ready.status}/${ready.reason}`, `False/${problem.reason}`);
      assert.ok(
        ready.message.includes(problem.names(target)),
        `"${ready.message}" names ${problem.names(target)}`,
      );
      assert.equal(rig.puts(), 0);
      assert.deepEqual(rig.backends(target.lbId, target.set), []);
    });
  }
}
