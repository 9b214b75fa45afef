import assert from "node:assert/strict";

const MAIN = new URL("../../../main.ts", import.meta.url).pathname;

/** Runs main.ts in a fresh Deno with the permissions `deno task start` grants (or fewer). */
async function runMain(permissions: string[], args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--frozen", "--no-prompt", ...permissions, MAIN, ...args],
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

const MINIMAL = ["--allow-env", "--allow-read"];
const TASK_START = [
  "--allow-net",
  "--allow-read",
  "--allow-env",
  "--allow-sys=homedir,osRelease,hostname",
];

for (
  const [label, permissions] of [["--allow-env --allow-read", MINIMAL], [
    "deno task start",
    TASK_START,
  ]] as const
) {
  Deno.test(`main.ts --resync 5x exits 2 naming --resync (${label})`, async () => {
    const { code, stdout, stderr } = await runMain([...permissions], ["--resync", "5x"]);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "");
    assert.equal(
      stderr,
      'lb-registrar: Cannot parse --resync "5x": use a number followed by ms, s, m or h\n',
    );
  });

  Deno.test(`main.ts --help exits 0 and lists --oci-endpoint (${label})`, async () => {
    const { code, stdout, stderr } = await runMain([...permissions], ["--help"]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.match(stdout, /--oci-endpoint/);
  });
}

Deno.test("main.ts version prints the version with no permissions at all", async () => {
  const { code, stdout } = await runMain([], ["version"]);
  assert.equal(code, 0);
  assert.equal(stdout, "lb-registrar 0.1.0\n");
});

Deno.test("deno task start -- --resync 5x reaches main.ts and exits 2 naming --resync", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "start", "--", "--resync", "5x"],
    cwd: new URL("../../../", import.meta.url).pathname,
    env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 2, stderr);
  assert.match(stderr, /^lb-registrar: Cannot parse --resync "5x"/m);
});
