/**
 * `lb-registrar plan` as `deno task start -- plan` runs it, against both simulators: the table and
 * JSON it prints, its exit codes (0 in sync, 2 changes pending, 1 error), and that it writes nothing.
 */
import assert from "node:assert/strict";
import type { PlanDocument } from "../../../src/cli/plan/plan_document.ts";
import {
  condition,
  DEMO_LB_ID,
  DEMO_NLB_ID,
  eventually,
  type Rig,
  rigFlags,
  startRig,
} from "../../support/e2e.ts";
import { startCommand } from "./_start_command.ts";

const http = { name: "web", namespace: "default", port: "http" };

async function plan(rig: Rig, ...extra: string[]) {
  const { code, stdout, stderr } = await startCommand([
    "plan",
    ...rigFlags(rig),
    "--log-format",
    "json",
    ...extra,
  ]).output();
  const text = new TextDecoder().decode(stdout);
  return { code, stdout: text, stderr: new TextDecoder().decode(stderr) };
}

/** LBRegistrars "web" (classic web-http) and "tcp" (NLB web-tcp), synced by an engine. */
async function synced(rig: Rig) {
  rig.createLbr("web", { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http", service: http });
  rig.createLbr("tcp", { loadBalancerId: DEMO_NLB_ID, backendSetName: "web-tcp", service: http });
  const stop = rig.startEngine();
  await eventually(
    () => ["web", "tcp"].every((n) => condition(rig.lbr(n), "Ready") === "True/BackendsRegistered"),
    "both Ready",
    10_000,
  );
  await rig.quiet();
  await stop();
}

/** Writes the plan made: OCI PUTs and Kubernetes writes (status, events, finalizers). */
function writes(rig: Rig): number {
  return rig.puts() + rig.kube.sim.requests.filter((r) => r.method !== "GET").length;
}

Deno.test("plan exits 0 and says in sync when every backend set is", async () => {
  await using rig = await startRig();
  await synced(rig);
  const before = writes(rig);

  const { code, stdout, stderr } = await plan(rig);
  assert.equal(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n");
  assert.match(
    lines[0]!,
    /^backend set "web-http" of ocid1\.loadbalancer\.\S+ \(LBRegistrar web, Exclusive\): in sync: 3 active, 0 draining$/,
  );
  assert.match(
    stdout,
    /backend set "web-tcp" of ocid1\.networkloadbalancer\.\S+ .*: in sync: 3 active/,
  );
  assert.equal(lines.at(-1), "Plan: 2 backend sets, 2 in sync, 0 with changes pending, 0 errors");
  assert.equal(writes(rig), before, "plan wrote nothing");
});

Deno.test("plan exits 2 and shows each change with its rule after drift by hand", async () => {
  await using rig = await startRig();
  await synced(rig);
  // By hand: node-2's backend removed and a backend of someone else's added.
  const stored = rig.oci.getBackendSet(DEMO_LB_ID, "web-http")!.body.backends as Record<
    string,
    unknown
  >[];
  const node2 = `${rig.nodeIp("node-2")}`;
  rig.oci.setBackends(DEMO_LB_ID, "web-http", [
    ...stored.filter((b) => b.ipAddress !== node2),
    { ...stored[0]!, ipAddress: "192.0.2.10", port: 8080 },
  ]);
  const before = writes(rig);

  const { code, stdout, stderr } = await plan(rig);
  assert.equal(code, 2, stderr);
  const block = stdout.split("\n\n")[0]!.split("\n");
  assert.match(block[0]!, /"web-http" .*: 2 changes pending; afterwards 3 active, 0 draining$/);
  assert.match(block[1]!, /^ {2}ACTION +BACKEND +NODE +RULE +WHY$/);
  assert.match(block[2]!, new RegExp(`^  add +${node2}:30080 +node-2 +wanted +node is eligible$`));
  assert.match(
    block[3]!,
    /^ {2}remove +192\.0\.2\.10:8080 +- +foreign +registered by no LBRegistrar \(ownership Exclusive\)$/,
  );
  assert.match(stdout, /Plan: 2 backend sets, 1 in sync, 1 with changes pending, 0 errors\n$/);
  assert.equal(writes(rig), before, "plan wrote nothing");

  const json = await plan(rig, "--output", "json");
  assert.equal(json.code, 2);
  const document = JSON.parse(json.stdout) as PlanDocument;
  assert.equal(document.formatVersion, 1);
  assert.deepEqual(document.summary, {
    backendSets: 2,
    inSync: 1,
    changesPending: 1,
    errors: 0,
    exitCode: 2,
  });
  const set = document.backendSets.find((s) => s.backendSetName === "web-http")!;
  assert.equal(set.state, "changes-pending");
  assert.deepEqual(
    set.changes.map(({ action, backend, node, rule }) => ({ action, backend, node, rule })),
    [
      { action: "add", backend: `${node2}:30080`, node: "node-2", rule: "wanted" },
      { action: "remove", backend: "192.0.2.10:8080", node: undefined, rule: "foreign" },
    ],
  );
  assert.deepEqual(document.lbRegistrars.map((o) => o.name), ["tcp", "web"]);
});

Deno.test("plan exits 1 and names the reason when OCI refuses an object's key", async () => {
  await using rig = await startRig();
  await synced(rig);
  rig.createLbr("stranger", {
    loadBalancerId: DEMO_LB_ID,
    backendSetName: "web-https",
    service: { ...http, port: "https" },
    apiKey: { ...rig.apiKey(), fingerprint: "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00" },
  });

  const { code, stdout, stderr } = await plan(rig);
  assert.equal(code, 1, stderr);
  assert.match(
    stdout,
    /backend set "web-https" .*: error: CredentialsError: Cannot use the API key of LBRegistrar "stranger" \(secret "lbr-system\/oci-api-key" key "private-key"\): /,
  );
  assert.match(stdout, /Plan: 3 backend sets, 2 in sync, 0 with changes pending, 1 error\n$/);
  assert.doesNotMatch(stdout + stderr, /BEGIN (RSA )?PRIVATE KEY/);
});
