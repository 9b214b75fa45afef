import { repoCrd, startTestKubeSim } from "../../support/kube_sim.ts";
import assert from "node:assert/strict";
import YAML from "yaml";
import { lbRegistrarCrd } from "../../../src/sim/kube/lb_registrar_crd.ts";

async function kubectlAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("kubectl", {
      args: ["version", "--client"],
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const hasKubectl = await kubectlAvailable();
if (!hasKubectl) {
  console.log("kubectl is not on PATH: the kubectl tests against the simulator are ignored");
}

const LBR_YAML = `apiVersion: nodes.peppy-ratio.dev/v1alpha1
kind: LBRegistrar
metadata:
  name: x
spec:
  loadBalancerId: ocid1.loadbalancer.oc1.phx.aaaaaaaaexample
  backendSetName: bs1
  nodePort: 30080
`;

Deno.test({
  name:
    "kubectl get, apply, label, taint, patch, wait and delete work against startKubeSim() over HTTPS",
  ignore: !hasKubectl,
  async fn(t) {
    await using sim = await startTestKubeSim({ tls: true, crds: [], seedDemo: true });
    const crdPath = `${sim.dir}/crd.yaml`;
    await Deno.writeTextFile(crdPath, YAML.stringify((await repoCrd()) ?? lbRegistrarCrd()));
    await Deno.writeTextFile(`${sim.dir}/lbr.yaml`, LBR_YAML);
    const decoder = new TextDecoder();
    // A fresh --cache-dir, so discovery and OpenAPI are fetched from the simulator, not a cache.
    const kubectl = async (...args: string[]) => {
      const output = await new Deno.Command("kubectl", {
        args: ["--kubeconfig", sim.kubeconfigPath, "--cache-dir", `${sim.dir}/cache`, ...args],
        env: { HOME: sim.dir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      return {
        code: output.code,
        out: decoder.decode(output.stdout),
        err: decoder.decode(output.stderr),
      };
    };
    const ok = async (...args: string[]) => {
      const result = await kubectl(...args);
      assert.equal(result.code, 0, `kubectl ${args.join(" ")} failed: ${result.err}`);
      return result.out;
    };
    const node = (name: string) => sim.sim.get({ apiVersion: "v1", kind: "Node", name })!;

    await t.step("apply -f the CRD creates it, a second apply changes nothing", async () => {
      assert.match(
        await ok("apply", "-f", crdPath),
        /lbregistrars\.nodes\.peppy-ratio\.dev created/,
      );
      assert.match(await ok("apply", "-f", crdPath), /unchanged/);
    });

    await t.step("get nodes prints the server-side table", async () => {
      const out = await ok("get", "nodes");
      assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
      assert.match(out, /node-1\s+Ready/);
    });

    await t.step("label and taint change the node", async () => {
      assert.match(await ok("label", "node", "node-1", "foo=bar"), /labeled/);
      assert.match(await ok("taint", "node", "node-1", "k=v:NoSchedule"), /tainted/);
      const n1 = node("node-1");
      assert.equal(n1.metadata.labels?.foo, "bar");
      assert.deepEqual((n1.spec as Record<string, unknown>).taints, [{
        effect: "NoSchedule",
        key: "k",
        value: "v",
      }]);
    });

    await t.step("patch with merge, json and strategic merge patches", async () => {
      await ok(
        "patch",
        "node",
        "node-2",
        "--type=merge",
        "-p",
        '{"metadata":{"annotations":{"a":"b"}}}',
      );
      assert.equal(node("node-2").metadata.annotations?.a, "b");
      await ok(
        "patch",
        "svc",
        "web",
        "--type=json",
        "-p",
        '[{"op":"add","path":"/metadata/labels/tier","value":"front"}]',
      );
      await ok("patch", "svc", "web", "-p", '{"spec":{"ports":[{"port":80,"name":"web-http"}]}}');
      const svc = sim.sim.get({
        apiVersion: "v1",
        kind: "Service",
        namespace: "default",
        name: "web",
      })!;
      assert.equal(svc.metadata.labels?.tier, "front");
      const ports =
        (svc.spec as { ports: { name: string; port: number; nodePort: number }[] }).ports;
      assert.deepEqual(ports.map((p) => [p.name, p.port, p.nodePort]), [["web-http", 80, 30080], [
        "https",
        443,
        30443,
      ]]);
    });

    await t.step("apply an LBRegistrar, get lbr shows the printer columns", async () => {
      assert.match(
        await ok("apply", "-f", `${sim.dir}/lbr.yaml`),
        /lbregistrar\.nodes\.peppy-ratio\.dev\/x created/,
      );
      const out = await ok("get", "lbr");
      assert.match(out, /^NAME\s+LOADBALANCER\s+PHASE\s+BACKENDS\s+READY\s+AGE/);
      assert.match(out, /x\s+ocid1\.loadbalancer\.oc1\.phx\.aaaaaaaaexample/);
    });

    await t.step("wait --for=condition=Ready returns once the status says Ready", async () => {
      sim.sim.patch({
        apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
        kind: "LBRegistrar",
        name: "x",
      }, {
        status: {
          phase: "READY",
          backendCount: 2,
          conditions: [{
            type: "Ready",
            status: "True",
            reason: "BackendsRegistered",
            message: "all backends registered",
            lastTransitionTime: "2026-01-01T00:00:00Z",
          }],
        },
      }, { subresource: "status" });
      assert.match(
        await ok("wait", "--for=condition=Ready", "lbr/x", "--timeout=5s"),
        /condition met/,
      );
      assert.match(await ok("get", "lbr"), /x\s+\S+\s+READY\s+2\s+True/);
    });

    await t.step("get lbr -o yaml prints the stored object", async () => {
      const obj = YAML.parse(await ok("get", "lbr", "x", "-o", "yaml"));
      assert.equal(obj.kind, "LBRegistrar");
      assert.equal(obj.spec.backendSetName, "bs1");
      assert.equal(obj.status.phase, "READY");
      assert.equal(obj.metadata.generation, 1);
    });

    await t.step("patch without --type on a custom resource fails with 415", async () => {
      const result = await kubectl("patch", "lbr", "x", "-p", '{"spec":{"nodePort":30081}}');
      assert.equal(result.code, 1);
      assert.match(result.err, /application\/strategic-merge-patch\+json is not supported/);
    });

    await t.step("delete removes a node and an LBRegistrar", async () => {
      assert.match(await ok("delete", "node", "node-3"), /node "node-3" deleted/);
      assert.match(await ok("delete", "lbr", "x"), /deleted/);
      assert.equal(sim.sim.get({ apiVersion: "v1", kind: "Node", name: "node-3" }), undefined);
      const missing = await kubectl("get", "lbr", "x");
      assert.equal(missing.code, 1);
      assert.match(
        missing.err,
        /Error from server \(NotFound\): lbregistrars\.nodes\.peppy-ratio\.dev "x" not found/,
      );
    });
  },
});
