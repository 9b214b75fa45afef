import assert from "node:assert/strict";

/** The permissions `deno task demo` runs with. */
const DEMO_PERMISSIONS = [
  "--allow-net=127.0.0.1",
  "--allow-read",
  "--allow-env",
  "--allow-sys=homedir,osRelease",
];

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;

/** A phrase of each story step, in order. */
const STEPS = [
  "LBRegistrars web and web-tcp are created",
  "node-4 and node-5 join the cluster",
  "node-2 goes NotReady",
  "node-3 is labelled node.kubernetes.io/exclude-from-external-load-balancers=true",
  "moves its http NodePort 30080 -> 30081",
  "node-5 is deleted",
  "node-2 is Ready again",
];

Deno.test("lb-registrar demo plays every step, then sums up with no conflict or overlap, exit 0", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", "--no-prompt", ...DEMO_PERMISSIONS, MAIN, "demo"],
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `stdout:\n${stdout}\nstderr:\n${stderr}`);

  // Not a terminal: plain text, no cursor movement.
  assert.ok(!stdout.includes("\x1b["), "plain output carries no ANSI escapes");
  let from = 0;
  for (const [i, phrase] of STEPS.entries()) {
    const at = stdout.indexOf(`[${i + 1}/${STEPS.length}] `, from);
    assert.ok(at >= from, `step ${i + 1} is missing or out of order`);
    assert.ok(stdout.slice(at).split("\n")[0]!.includes(phrase), `step ${i + 1} says "${phrase}"`);
    const settled = stdout.indexOf("settled in ", at);
    assert.ok(settled > at, `step ${i + 1} settles`);
    from = settled;
  }

  const summary = stdout.slice(stdout.indexOf("\nSummary\n"));
  assert.match(summary, /steps +7 of 7 settled/);
  assert.match(summary, /conflicts +0 /);
  assert.match(summary, /overlaps +0 /);
  assert.match(summary, /PUTs +web-http \d+, web-https \d+, web-tcp \d+/);
  assert.match(summary, /web +READY, Ready=True\/BackendsRegistered, 6 backends registered/);
  assert.match(summary, /web-tcp +READY, Ready=True\/BackendsRegistered, 2 backends registered/);
  assert.ok(!`${stdout}${stderr}`.includes("PRIVATE KEY"), "the private key is never printed");
});
