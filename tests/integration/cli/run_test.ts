import assert from "node:assert/strict";
import { condition, DEMO_LB_ID, eventually, rigFlags, startRig } from "../../support/e2e.ts";
import { logLines, spawn, startCommand } from "./_start_command.ts";

/** `deno task start -- run <args>`. */
function operator(args: string[]) {
  return startCommand(["run", ...args]);
}

/** The loopback servers of a test run: never the :8080/:8081 defaults on every interface. */
const LOOPBACK_SERVERS = ["--metrics-addr", "127.0.0.1:0", "--health-addr", "127.0.0.1:0"];

Deno.test("run --once registers the nodes and exits 0 when every object is Ready", async () => {
  await using rig = await startRig();
  rig.createLbr("web", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-http",
    service: { name: "web", namespace: "default", port: "http" },
  });
  const { code, stderr } = await operator([
    "--once",
    ...rigFlags(rig),
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
  const { code, stderr } = await operator([
    "--once",
    ...rigFlags(rig),
    "--log-format",
    "json",
  ]).output();
  assert.equal(code, 1);
  assert.equal(condition(rig.lbr("lost"), "Stalled"), "True/BackendSetNotFound");
  assert.equal(rig.puts(), 0);
  // The OCI SDK's console.warn notices on the failed call become log records: stderr stays JSON lines.
  const lines = new TextDecoder().decode(stderr).split("\n").filter((line) => line !== "");
  assert.ok(lines.length > 0);
  for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
});

Deno.test("run stops cleanly on SIGTERM", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http", nodePort: 30080 });
  const child = operator([
    ...rigFlags(rig),
    "--debounce",
    "100ms",
    ...LOOPBACK_SERVERS,
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

/** Where the child's servers listen, from its "Serving ... on http://..." log lines. */
function servedAt(stderr: string): { metrics?: string; health?: string } {
  const found: { metrics?: string; health?: string } = {};
  for (const line of logLines(stderr)) {
    const { paths, address } = line as { paths?: string; address?: string };
    if (typeof address !== "string" || typeof paths !== "string") continue;
    if (paths.includes("/metrics")) found.metrics = address;
    if (paths.includes("/readyz")) found.health = address;
  }
  return found;
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

/** Polls an asynchronous check every 50 ms until it holds, failing after `timeoutMs`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The value of one series in a Prometheus text exposition. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

Deno.test("run serves /readyz 503 until its watches listed, then 200, and /metrics with sane series", async () => {
  await using rig = await startRig();
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http", nodePort: 30080 });
  // The LBRegistrar list fails until the test has seen /readyz refuse.
  rig.kube.sim.injectFailure({
    method: "GET",
    pathPattern: "/lbregistrars",
    watch: false,
    count: 0,
  });
  await using running = spawn(operator([
    ...rigFlags(rig),
    "--debounce",
    "100ms",
    "--log-format",
    "json",
    ...LOOPBACK_SERVERS,
  ]));
  await eventually(
    () => servedAt(running.stderr()).health !== undefined,
    "the servers up",
    15_000,
  );
  const { metrics, health } = servedAt(running.stderr());
  const before = await get(`${health}/readyz`);
  assert.equal(before.status, 503, before.text);
  assert.equal((await get(`${health}/healthz`)).status, 200, "alive all the same");

  rig.kube.sim.clearFailures();
  await until(async () => (await get(`${health}/readyz`)).status === 200, "/readyz 200");
  await eventually(
    () => condition(rig.lbr("web"), "Ready") === "True/BackendsRegistered",
    "Ready",
    15_000,
  );
  // Watches the server ends are restarted, and counted.
  rig.kube.sim.closeAllWatches();
  const restarts = `lbregistrar_watch_restarts_total{resource="lbregistrars"}`;
  let exposition = "";
  await until(async () => {
    exposition = (await get(`${metrics}/metrics`)).text;
    return (sample(exposition, restarts) ?? 0) >= 1;
  }, "the watch restart counted");

  const set = `load_balancer="${DEMO_LB_ID}",backend_set="web-http"`;
  assert.equal(sample(exposition, `lbregistrar_backends{${set},state="active"}`), 3);
  assert.equal(sample(exposition, `lbregistrar_backends{${set},state="draining"}`), 0);
  assert.equal(sample(exposition, `lbregistrar_reconciles_total{result="written"}`), 1);
  assert.equal(sample(exposition, `lbregistrar_work_requests_total{outcome="succeeded"}`), 1);
  assert.equal(
    sample(exposition, `lbregistrar_oci_requests_total{operation="replace_backends",outcome="ok"}`),
    1,
  );
  assert.equal(sample(exposition, "lbregistrar_leader"), 1, "leading: no --leader-elect");
  assert.equal(sample(exposition, "lbregistrar_lane_queue_depth"), 0);
  assert.equal(sample(exposition, "lbregistrar_drift_repairs_total{" + set + "}") ?? 0, 0);
  const lastSync = sample(exposition, "lbregistrar_last_successful_sync_timestamp_seconds")!;
  assert.ok(Math.abs(lastSync - Date.now() / 1000) < 120, `a recent Unix time: ${lastSync}`);

  running.child.kill("SIGTERM");
  assert.equal((await running.status).code, 0, running.stderr());
});
