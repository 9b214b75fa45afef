import { eventually, startTestKubeSim } from "../../support/kube_sim.ts";
import * as k8s from "@kubernetes/client-node";
import assert from "node:assert/strict";
import YAML from "yaml";

Deno.test("startKubeSim() with tls writes a kubeconfig that trusts its generated CA", async () => {
  await using t = await startTestKubeSim({ tls: true });
  assert.match(t.sim.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const config = YAML.parse(t.sim.kubeconfigYaml());
  const cluster = config.clusters[0].cluster;
  assert.equal(atob(cluster["certificate-authority-data"]), t.sim.caPem);
  assert.equal(cluster["insecure-skip-tls-verify"], undefined);
  assert.match(t.sim.caPem ?? "", /^-----BEGIN CERTIFICATE-----/);
});

Deno.test("client-node lists, watches and runs an informer over HTTPS", async () => {
  await using t = await startTestKubeSim({ tls: true, seedDemo: true });
  const core = t.kc.makeApiClient(k8s.CoreV1Api);
  const list = await core.listNode();
  assert.equal(list.items.length, 3);

  const informer = k8s.makeInformer(t.kc, "/api/v1/nodes", () => core.listNode());
  const added: string[] = [];
  informer.on("add", (node) => added.push(node.metadata?.name ?? ""));
  await informer.start();
  t.sim.addNode("n4");
  await eventually(() => added.includes("n4"), "informer add over TLS");
  await informer.stop();
  assert.deepEqual(added.sort(), ["n4", "node-1", "node-2", "node-3"]);
});

Deno.test("client-node gets 401 over HTTPS with a wrong token", async () => {
  await using t = await startTestKubeSim({ tls: true });
  const kc = new k8s.KubeConfig();
  kc.loadFromString(t.sim.kubeconfigYaml().replace(t.sim.token, "not-the-token"));
  const error = await kc.makeApiClient(k8s.CoreV1Api).listNode().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof k8s.ApiException);
  assert.equal(error.code, 401);
});
