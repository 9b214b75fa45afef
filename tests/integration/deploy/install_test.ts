import assert from "node:assert/strict";
import YAML from "yaml";
import { startTestKubeSim } from "../../support/kube_sim.ts";

const KUBECTL = "/usr/bin/kubectl";
const INSTALL_YAML = new URL("../../../deploy/install.yaml", import.meta.url);

async function kubectlAvailable(): Promise<boolean> {
  try {
    return (await Deno.stat(KUBECTL)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const hasKubectl = await kubectlAvailable();
if (!hasKubectl) console.log(`${KUBECTL} is missing: the install test is ignored`);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

Deno.test({
  name: "kubectl apply -f deploy/install.yaml creates every object and a second apply changes none",
  ignore: !hasKubectl,
  async fn() {
    // No CRD preinstalled: install.yaml must bring its own.
    await using sim = await startTestKubeSim({ tls: true, crds: [] });
    const decoder = new TextDecoder();
    const kubectl = async (...args: string[]) => {
      const output = await new Deno.Command(KUBECTL, {
        // A fresh --cache-dir: discovery and OpenAPI come from the simulator, not an old cache.
        args: ["--kubeconfig", sim.kubeconfigPath, "--cache-dir", `${sim.dir}/cache`, ...args],
        env: { HOME: sim.dir },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const out = decoder.decode(output.stdout);
      assert.equal(
        output.code,
        0,
        `kubectl ${args.join(" ")} failed: ${decoder.decode(output.stderr)}`,
      );
      return out;
    };
    const installPath = decodeURIComponent(INSTALL_YAML.pathname);
    const manifests = YAML.parseAllDocuments(await Deno.readTextFile(INSTALL_YAML))
      .map((doc) => doc.toJS() as Manifest);

    const first = await kubectl("apply", "-f", installPath);
    assert.equal(
      first.trim().split("\n").filter((line) => line.endsWith(" created")).length,
      manifests.length,
      first,
    );
    for (const { apiVersion, kind, metadata } of manifests) {
      const stored = sim.sim.get({
        apiVersion,
        kind,
        name: metadata.name,
        namespace: metadata.namespace,
      });
      assert.ok(
        stored,
        `${kind} ${metadata.namespace ?? ""}/${metadata.name} is missing after apply`,
      );
    }

    const second = await kubectl("apply", "-f", installPath);
    assert.equal(
      second.trim().split("\n").filter((line) => line.endsWith(" unchanged")).length,
      manifests.length,
      second,
    );
    // The CRD is served: the resource it defines is usable straight away.
    assert.match(await kubectl("get", "lbr"), /^$|No resources found/);
  },
});
