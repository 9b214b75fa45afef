/**
 * The README's commands against the simulators: the CRD and the key Secret applied with kubectl, the
 * operator started as `deno task start` starts it, then every sample in deploy/samples/ applied with
 * kubectl and awaited with `kubectl wait --for=condition=Ready`. Samples without spec.apiKey use the
 * operator's --oci-auth (config-file here, standing in for instance principals).
 */

import assert from "node:assert/strict";
import YAML from "yaml";
import type { KubeObject } from "../../../src/sim/kube/resource_type.ts";
import { startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { generateOciTestKey } from "../../support/oci_keys.ts";
import { startTestKubeSim } from "../../support/kube_sim.ts";
import { spawn, startCommand } from "../cli/_start_command.ts";

const NAMESPACE = "oci-lb-registrar-system";
const ROOT = new URL("../../../", import.meta.url).pathname;
const hasKubectl = await new Deno.Command("kubectl", { args: ["version", "--client"] }).output()
  .then((o) => o.success, () => false);

interface ServiceRef {
  name: string;
  namespace: string;
  port: number | string;
  backendSetName?: string;
  filterByEndpoints?: boolean;
}

async function samples(): Promise<{ file: string; object: KubeObject }[]> {
  const found = [];
  for await (const entry of Deno.readDir(`${ROOT}deploy/samples`)) {
    if (!entry.name.endsWith(".yaml")) continue;
    const file = `deploy/samples/${entry.name}`;
    found.push({
      file,
      object: YAML.parse(await Deno.readTextFile(`${ROOT}${file}`)) as KubeObject,
    });
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

async function kubectl(kubeconfig: string, cacheDir: string, ...args: string[]) {
  const out = await new Deno.Command("kubectl", {
    args: ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args],
    cwd: ROOT,
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, text };
}

Deno.test({
  name: "README commands: kubectl apply of every sample reaches Ready with the operator running",
  ignore: !hasKubectl,
  async fn() {
    await using kube = await startTestKubeSim({ tls: true, crds: [] });
    const oci = startOciSim({ workRequestDelayMs: 50 });
    const dir = await Deno.makeTempDir({ prefix: "readme-commands-" });
    try {
      const run = (...args: string[]) => kubectl(kube.kubeconfigPath, `${dir}/cache`, ...args);
      const key = generateOciTestKey();
      await Deno.writeTextFile(`${dir}/oci_api_key.pem`, key.pkcs8Pem);
      // The operator's own OCI config (for samples without apiKey).
      oci.registerKey(key.keyId, key.publicPem);
      await Deno.writeTextFile(
        `${dir}/oci-config`,
        `[DEFAULT]\nuser=${key.user}\nfingerprint=${key.fingerprint}\ntenancy=${key.tenancy}\n` +
          `region=us-ashburn-1\nkey_file=${dir}/oci_api_key.pem\n`,
      );

      // The world the samples expect: nodes, their Services and endpoints, their load balancers.
      for (let i = 1; i <= 3; i++) {
        kube.sim.addNode(`node-${i}`, { labels: { role: i < 3 ? "edge" : "worker" } });
      }
      const all = await samples();
      assert.ok(all.length >= 6, "every sample of deploy/samples is exercised");
      let nodePort = 30100;
      for (const { object } of all) {
        const spec = object.spec as {
          loadBalancerId: string;
          backendSetName?: string;
          services?: ServiceRef[];
          apiKey?: { user: string; fingerprint: string; tenancy: string };
        };
        if (spec.apiKey) {
          // The sample's fake fingerprint stands for our key.
          oci.registerKey(
            `${spec.apiKey.tenancy}/${spec.apiKey.user}/${spec.apiKey.fingerprint}`,
            key.publicPem,
          );
        }
        if (!oci.counters().byLb[spec.loadBalancerId]) {
          try {
            oci.addLoadBalancer({ id: spec.loadBalancerId });
          } catch {
            // two samples share a load balancer
          }
        }
        const sets = new Set([
          spec.backendSetName,
          ...(spec.services ?? []).map((s) => s.backendSetName),
        ]);
        for (const set of sets) {
          if (!set || oci.getBackendSet(spec.loadBalancerId, set)) continue;
          oci.addBackendSet(spec.loadBalancerId, set, {
            policy: spec.loadBalancerId.startsWith("ocid1.networkloadbalancer.")
              ? "FIVE_TUPLE"
              : "ROUND_ROBIN",
            backends: [],
            healthChecker: {
              protocol: "TCP",
              port: 0,
              retries: 3,
              timeoutInMillis: 3000,
              intervalInMillis: 10000,
            },
          });
        }
        for (const ref of spec.services ?? []) {
          if (!kube.sim.get({ apiVersion: "v1", kind: "Namespace", name: ref.namespace })) {
            kube.sim.create({
              apiVersion: "v1",
              kind: "Namespace",
              metadata: { name: ref.namespace },
            });
          }
          const port = typeof ref.port === "number"
            ? { name: `p${ref.port}`, port: ref.port }
            : { name: ref.port, port: 8000 + nodePort % 100 };
          const existing = kube.sim.get({
            apiVersion: "v1",
            kind: "Service",
            namespace: ref.namespace,
            name: ref.name,
          });
          const ports = [...((existing?.spec as { ports?: unknown[] })?.ports ?? []), {
            ...port,
            protocol: "TCP",
            targetPort: 8080,
            nodePort: nodePort++,
          }];
          const service = {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: ref.name, namespace: ref.namespace },
            spec: { type: "NodePort", selector: { app: ref.name }, ports },
          };
          if (existing) kube.sim.update({ ...service, metadata: existing.metadata } as KubeObject);
          else kube.sim.create(service as KubeObject);
          if (ref.filterByEndpoints) {
            kube.sim.create({
              apiVersion: "discovery.k8s.io/v1",
              kind: "EndpointSlice",
              metadata: {
                name: `${ref.name}-${port.name}`,
                namespace: ref.namespace,
                labels: { "kubernetes.io/service-name": ref.name },
              },
              addressType: "IPv4",
              endpoints: [{
                addresses: ["10.244.0.9"],
                conditions: { ready: true },
                nodeName: "node-1",
              }],
            } as KubeObject);
          }
        }
      }

      // README: install the CRD, create the namespace and the key Secret.
      const crd = await run("apply", "-f", "crds/lbregistrars.nodes.peppy-ratio.dev.yaml");
      assert.ok(crd.ok, crd.text);
      const namespace = await run("create", "namespace", NAMESPACE);
      assert.ok(namespace.ok, namespace.text);
      const secret = await run(
        "-n",
        NAMESPACE,
        "create",
        "secret",
        "generic",
        "oci-api-key",
        `--from-file=private-key=${dir}/oci_api_key.pem`,
      );
      assert.ok(secret.ok, secret.text);

      // README: run the operator locally against the kubeconfig.
      await using operator = spawn(startCommand([
        "--kubeconfig",
        kube.kubeconfigPath,
        "--namespace",
        NAMESPACE,
        "--oci-endpoint",
        oci.url,
        "--oci-auth",
        "config-file",
        "--oci-config",
        `${dir}/oci-config`,
        "--debounce",
        "100ms",
        "--metrics-addr",
        "off",
        "--health-addr",
        "off",
        "--log-format",
        "json",
      ]));

      // README: apply each sample, then kubectl get lbr and kubectl wait.
      for (const { file } of all) {
        const applied = await run("apply", "-f", file);
        assert.ok(applied.ok, `${file}: ${applied.text}`);
      }
      for (const { file, object } of all) {
        const waited = await run(
          "wait",
          "--for=condition=Ready",
          `lbr/${object.metadata.name}`,
          "--timeout=60s",
        );
        assert.ok(waited.ok, `${file}: ${waited.text}\n${operator.stderr().slice(-3000)}`);
      }
      const listed = await run("get", "lbr");
      assert.ok(listed.ok, listed.text);
      for (const { object } of all) {
        assert.match(listed.text, new RegExp(`${object.metadata.name}\\s+\\S+\\s+READY`));
      }
      assert.equal(oci.counters().total.overlaps, 0);
      assert.doesNotMatch(operator.stderr(), /PRIVATE KEY/);
    } finally {
      await oci.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
