/**
 * The Kubernetes adapter's exec-plugin path (client-node's auth plumbing) against the HTTPS
 * simulator: requests and watches carry the plugin's token, and a failing plugin is named.
 */
import assert from "node:assert/strict";
import { createKubeRequest } from "../../../src/kube/_http.ts";
import { createOpenWatch, type WatchEnd } from "../../../src/kube/_watch.ts";
import { loadKubeConfig } from "../../../src/kube/kubeconfig.ts";
import { execKubeconfig, pluginRuns, writePlugin } from "../../support/exec_plugin.ts";
import { eventually, startTestKubeSim } from "../../support/kube_sim.ts";

async function withPlugin(
  body: (token: string) => string,
  test: (kubeconfig: string, dir: string, sim: { addNode(name: string): unknown }) => Promise<void>,
) {
  await using t = await startTestKubeSim({ tls: true, seedDemo: true });
  const dir = await Deno.makeTempDir({ prefix: "lbr-exec-" });
  try {
    const plugin = await writePlugin(dir, body(t.sim.token));
    const kubeconfig = `${dir}/kubeconfig`;
    await Deno.writeTextFile(kubeconfig, execKubeconfig(t.sim, plugin));
    await test(kubeconfig, dir, t.sim);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const credential = (token: string) =>
  `echo '${
    JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token },
    })
  }'`;

Deno.test("an exec plugin's token carries requests and watches", async () => {
  await withPlugin(credential, async (kubeconfig, dir, sim) => {
    const kubeConfig = loadKubeConfig({ kubeconfig });
    const response = await createKubeRequest(kubeConfig)("GET", "/api/v1/nodes");
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.text).items.length, 3);

    const seen: string[] = [];
    const watch = createOpenWatch(kubeConfig)("/api/v1/nodes", { watch: "true" }, (event) => {
      seen.push(`${event.type} ${(event.object as { metadata: { name: string } }).metadata.name}`);
    });
    sim.addNode("node-4");
    await eventually(() => seen.includes("ADDED node-4"), "the watch saw node-4");
    watch.abort();
    await watch.done;
    assert.ok(await pluginRuns(dir) >= 1);
  });
});

Deno.test("a failing exec plugin is named in the request's and the watch's error", async () => {
  const failing = () => `echo "token expired, run: oci session authenticate" >&2\nexit 3`;
  await withPlugin(failing, async (kubeconfig) => {
    const kubeConfig = loadKubeConfig({ kubeconfig });
    const expected =
      /Cannot authenticate with the kubeconfig's credential plugin ".*\/token-plugin": .*token expired, run: oci session authenticate/s;
    await assert.rejects(createKubeRequest(kubeConfig)("GET", "/api/v1/nodes"), expected);
    const end: WatchEnd = await createOpenWatch(kubeConfig)("/api/v1/nodes", {}, () => {}).done;
    assert.equal(end.kind, "error");
    assert.match(String((end as { error: Error }).error.message), expected);
  });
});
