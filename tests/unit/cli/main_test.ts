import assert from "node:assert/strict";
import { main } from "../../../src/cli/main.ts";
import type { CliIo } from "../../../src/cli/io.ts";
import { VERSION } from "../../../src/version.ts";

/** Runs main() with captured streams. */
async function lbRegistrar(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Every flag DESIGN §6 gives the operator. */
const DESIGN_RUN_FLAGS = [
  "--kubeconfig",
  "--context",
  "--namespace",
  "--oci-endpoint",
  "--oci-auth",
  "--oci-config",
  "--oci-profile",
  "--secret-namespaces",
  "--resync",
  "--debounce",
  "--work-request-poll",
  "--work-request-timeout",
  "--leader-elect",
  "--metrics-addr",
  "--health-addr",
  "--dry-run",
  "--once",
  "--log-level",
  "--log-format",
];

Deno.test("main() prints run --help with every flag of DESIGN §6 and its default", async () => {
  const { code, stdout, stderr } = await lbRegistrar("run", "--help");
  assert.equal(code, 0);
  assert.equal(stderr, "");
  for (const flag of DESIGN_RUN_FLAGS) {
    const line = stdout.split("\n").find((l) => l.trimStart().startsWith(`${flag} `));
    assert.ok(line, `run --help lists ${flag}`);
  }
  for (
    const shown of ["[default: 5m]", "[default: 1s]", "[default: :8080]", "[default: api-key]"]
  ) {
    assert.ok(stdout.includes(shown), shown);
  }
});

Deno.test("main() keeps every help line within 100 columns", async () => {
  for (const command of ["run", "plan", "manifests", "demo", "sim", "version", "help"]) {
    const { stdout } = await lbRegistrar(command, "-h");
    const long = stdout.split("\n").filter((line) => line.length > 100);
    assert.deepEqual(long, [], command);
  }
});

Deno.test("main() prints plan --help with --output and the exit code 2 for pending changes", async () => {
  const { code, stdout } = await lbRegistrar("plan", "--help");
  assert.equal(code, 0);
  assert.match(stdout, /--output FORMAT/);
  assert.match(stdout, /2 changes pending/);
  assert.doesNotMatch(stdout, /--resync/);
});

Deno.test("main() lists the subcommands and run's flags for --help, help and -h alone", async () => {
  for (const args of [["--help"], ["help"], ["-h"], ["--once", "--help"]]) {
    const { code, stdout } = await lbRegistrar(...args);
    assert.equal(code, 0, args.join(" "));
    for (const command of ["run", "plan", "manifests", "demo", "sim", "version", "help"]) {
      assert.match(stdout, new RegExp(`^  ${command} `, "m"), `${args.join(" ")} lists ${command}`);
    }
    assert.match(stdout, /--oci-endpoint URL/);
  }
});

Deno.test("main() prints one command's help for help <command>", async () => {
  const { code, stdout } = await lbRegistrar("help", "sim");
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: lb-registrar sim/);
  assert.match(stdout, /--oci-port PORT/);
});

Deno.test("main() refuses help for an unknown command", async () => {
  const { code, stderr } = await lbRegistrar("help", "deploy");
  assert.equal(code, 2);
  assert.match(stderr, /^lb-registrar: Cannot show help for "deploy"/);
});

Deno.test("main() prints the version from deno.json", async () => {
  const { code, stdout, stderr } = await lbRegistrar("version");
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout, `lb-registrar ${VERSION}\n`);
  assert.equal(VERSION, "0.1.0");
});

Deno.test("main() rejects flags given to version", async () => {
  const { code, stderr } = await lbRegistrar("version", "--short");
  assert.equal(code, 2);
  assert.equal(stderr, "lb-registrar: Unknown flag --short: see lb-registrar version --help\n");
});

Deno.test("main() exits 2 with one line for an unknown subcommand", async () => {
  const { code, stdout, stderr } = await lbRegistrar("deploy", "--once");
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    'lb-registrar: Unknown command "deploy": use run, plan, manifests, demo, sim, version, help\n',
  );
});

/** Every kind of bad command line, through main(), with the flag stderr must name. */
const usageErrors = [
  { args: ["--resync", "5x"], flag: "--resync" },
  { args: ["run", "--debounce", "1d"], flag: "--debounce" },
  { args: ["--work-request-poll", "1ms"], flag: "--work-request-poll" },
  { args: ["--work-request-timeout"], flag: "--work-request-timeout" },
  { args: ["--metrics-addr", "localhost"], flag: "--metrics-addr" },
  { args: ["--health-addr", "[::1]"], flag: "--health-addr" },
  { args: ["--oci-endpoint", "127.0.0.1:9000"], flag: "--oci-endpoint" },
  { args: ["--oci-auth", "token"], flag: "--oci-auth" },
  { args: ["--secret-namespaces", "A"], flag: "--secret-namespaces" },
  { args: ["--namespace", ""], flag: "--namespace" },
  { args: ["--log-level", "loud"], flag: "--log-level" },
  { args: ["--log-format", "xml"], flag: "--log-format" },
  { args: ["--dry-run=yes"], flag: "--dry-run" },
  { args: ["--unknown"], flag: "--unknown" },
  { args: ["plan", "--output", "yaml"], flag: "--output" },
  { args: ["plan", "--leader-elect"], flag: "--leader-elect" },
  { args: ["manifests", "--image", ""], flag: "--image" },
  { args: ["demo", "--follow=1"], flag: "--follow" },
  { args: ["sim", "--port", "http"], flag: "--port" },
];

for (const { args, flag } of usageErrors) {
  Deno.test(`main() exits 2 for ${args.join(" ")} with one stderr line naming ${flag}`, async () => {
    const { code, stdout, stderr } = await lbRegistrar(...args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /^lb-registrar: [^\n]+\n$/);
    assert.ok(stderr.includes(flag), stderr);
  });
}

Deno.test("main() prints the exact message for a malformed duration", async () => {
  const { stderr } = await lbRegistrar("--resync", "5x");
  assert.equal(
    stderr,
    'lb-registrar: Cannot parse --resync "5x": use a number followed by ms, s, m or h\n',
  );
});

for (
  const args of [["--kubeconfig", "/nonexistent/kubeconfig"], [
    "run",
    "--once",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
  ], ["plan", "--output", "json", "--kubeconfig", "/nonexistent/kubeconfig"]]
) {
  const command = args[0] === "plan" ? "plan" : "run";
  Deno.test(`main() ${command} names an unreadable kubeconfig and exits 1 for ${JSON.stringify(args)}`, async () => {
    const { code, stdout, stderr } = await lbRegistrar(...args);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.ok(
      stderr.startsWith(
        `lb-registrar ${command}: Cannot read kubeconfig "/nonexistent/kubeconfig"`,
      ),
      stderr,
    );
  });
}

Deno.test("main() run refuses --once with --leader-elect with one line, exit 2", async () => {
  const { code, stderr } = await lbRegistrar(
    "--once",
    "--leader-elect",
    "--kubeconfig",
    "/nonexistent/kubeconfig",
  );
  assert.equal(code, 2);
  assert.equal(
    stderr,
    "lb-registrar: Cannot use --once with --leader-elect: a single sync does not campaign for the Lease\n",
  );
});

Deno.test("main() skips the leading -- that deno task start -- passes on", async () => {
  const planned = await lbRegistrar("--", "plan", "--kubeconfig", "/nonexistent/kubeconfig");
  assert.ok(planned.stderr.startsWith("lb-registrar plan: Cannot read kubeconfig"), planned.stderr);
  const refused = await lbRegistrar("--", "--resync", "5x");
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--resync "5x"/);
});
