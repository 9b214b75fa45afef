/**
 * A kubeconfig whose user is an exec credential plugin (what OKE's `oci ce cluster
 * generate-token`, EKS and GKE kubeconfigs use), run as `deno task start` runs the operator: the
 * plugin is run (`deno task start` allows running programs for this), its token reaches the API
 * server, and the operator works.
 */
import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  eventually,
  type Rig,
  rigFlags,
  startRig,
} from "../../support/e2e.ts";
import { execKubeconfig, pluginRuns, writePlugin } from "../../support/exec_plugin.ts";
import { spawn, startCommand } from "./_start_command.ts";

function plan(rig: Rig, kubeconfig: string) {
  return startCommand([
    "plan",
    ...rigFlags(rig, kubeconfig),
    "--log-format",
    "json",
  ]).output();
}

Deno.test("the operator authenticates with an exec credential plugin, as deno task start runs it", async () => {
  await using rig = await startRig({ tls: true });
  const dir = await Deno.makeTempDir({ prefix: "lbr-exec-" });
  try {
    rig.createLbr("web", {
      loadBalancerId: DEMO_LB_ID,
      backendSetName: "web-http",
      service: { name: "web", namespace: "default", port: "http" },
    });
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      kind: "ExecCredential",
      status: { token: rig.kube.sim.token },
    });
    const plugin = await writePlugin(dir, `echo '${credential}'`);
    const kubeconfig = `${dir}/kubeconfig`;
    await Deno.writeTextFile(kubeconfig, execKubeconfig(rig.kube.sim, plugin));

    const { code, stdout, stderr } = await plan(rig, kubeconfig);
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 2, new TextDecoder().decode(stderr));
    assert.match(out, /backend set "web-http" of ocid1\.loadbalancer\.\S+ \(LBRegistrar web/);
    assert.ok(await pluginRuns(dir) >= 1, "the plugin ran");

    // The long-running operator: lists, watches, writes status.
    await using running = spawn(startCommand([
      ...rigFlags(rig, kubeconfig),
      "--log-format",
      "json",
    ]));
    await eventually(
      () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
      `Ready through the plugin's token; stderr:\n${running.stderr()}`,
      20_000,
    );
    assert.equal(rig.backends(DEMO_LB_ID, "web-http").length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
