import assert from "node:assert/strict";
import {
  condition,
  DEMO_LB_ID,
  eventually,
  OPERATOR_NAMESPACE,
  startRig,
} from "../../support/e2e.ts";

/** The permissions of `deno task start` (deno.json), so the test proves they suffice. */
const START_PERMISSIONS = [
  "--allow-net",
  "--allow-read",
  "--allow-env",
  "--allow-sys=homedir,osRelease,hostname",
];
const MAIN = new URL("../../../main.ts", import.meta.url).pathname;

function operator(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", ...START_PERMISSIONS, MAIN, "run", ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

Deno.test("run --once registers the nodes and exits 0 when every object is Ready", async () => {
  await using rig = await startRig();
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-http",
    service: { name: "web", namespace: "default", port: "http" },
  });
  const { code, stderr } = await operator([
    "--once",
    "--kubeconfig",
    rig.kube.kubeconfigPath,
    "--namespace",
    OPERATOR_NAMESPACE,
    "--oci-endpoint",
    rig.oci.url,
    "--work-request-poll",
    "200ms",
    "--log-format",
    "json",
  ]).output();
  const log = new TextDecoder().decode(stderr);
  assert.equal(code, 0, log);
  assert.equal(rig.backends(DEMO_LB_ID, "web-http").length, 3);
  assert.equal(condition(rig.lbr("web"), "Ready"), "True/BackendsRegistered");
  assert.doesNotMatch(log, /BEGIN (RSA )?PRIVATE KEY/);
});

Deno.test("run --once exits 1 when an object cannot be made Ready", async () => {
  await using rig = await startRig();
  rig.createLbr("lost", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "no-such-set",
    nodePort: 30080,
  });
  const { code } = await operator([
    "--once",
    "--kubeconfig",
    rig.kube.kubeconfigPath,
    "--namespace",
    OPERATOR_NAMESPACE,
    "--oci-endpoint",
    rig.oci.url,
  ]).output();
  assert.equal(code, 1);
  assert.equal(condition(rig.lbr("lost"), "Stalled"), "True/BackendSetNotFound");
  assert.equal(rig.puts(), 0);
});

Deno.test("run stops cleanly on SIGTERM", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http", nodePort: 30080 });
  const child = operator([
    "--kubeconfig",
    rig.kube.kubeconfigPath,
    "--namespace",
    OPERATOR_NAMESPACE,
    "--oci-endpoint",
    rig.oci.url,
    "--debounce",
    "100ms",
  ]).spawn();
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    15_000,
  );
  child.kill("SIGTERM");
  const { code, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
});
