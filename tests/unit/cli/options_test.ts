import assert from "node:assert/strict";
import { UsageError } from "../../../src/cli/errors.ts";
import {
  parseDemoOptions,
  parseManifestsOptions,
  parseOperatorOptions,
  parsePlanOptions,
  parseSimOptions,
} from "../../../src/cli/options.ts";

const tty = { isTty: true };
const pipe = { isTty: false };

Deno.test("parseOperatorOptions() gives the documented defaults", () => {
  assert.deepEqual(parseOperatorOptions([], tty), {
    kubeconfig: null,
    context: null,
    namespace: null,
    ociEndpoint: null,
    ociAuth: "api-key",
    ociConfig: "~/.oci/config",
    ociProfile: "DEFAULT",
    secretNamespaces: null,
    logLevel: "info",
    logFormat: "text",
    resyncMs: 300_000,
    debounceMs: 1_000,
    workRequestPollMs: 5_000,
    workRequestTimeoutMs: 300_000,
    leaderElect: false,
    metricsAddr: { hostname: "0.0.0.0", port: 8080 },
    healthAddr: { hostname: "0.0.0.0", port: 8081 },
    dryRun: false,
    once: false,
  });
});

Deno.test("parseOperatorOptions() defaults --log-format to json when logs do not go to a terminal", () => {
  assert.equal(parseOperatorOptions([], pipe).logFormat, "json");
  assert.equal(parseOperatorOptions(["--log-format", "text"], pipe).logFormat, "text");
});

Deno.test("parseOperatorOptions() reads every flag of run", () => {
  const options = parseOperatorOptions([
    "--kubeconfig=/tmp/kube config.yaml",
    "--context",
    "kind-dev",
    "--namespace",
    "lb-system",
    "--oci-endpoint",
    "http://127.0.0.1:18090/",
    "--oci-auth",
    "instance-principal",
    "--oci-config",
    "/etc/oci/config",
    "--oci-profile",
    "PROD",
    "--secret-namespaces",
    "lb-system, team-a,team-a",
    "--resync",
    "10m",
    "--debounce",
    "0ms",
    "--work-request-poll",
    "250ms",
    "--work-request-timeout",
    "1h",
    "--leader-elect",
    "--metrics-addr",
    "127.0.0.1:9090",
    "--health-addr",
    "off",
    "--dry-run",
    "--once",
    "--log-level",
    "debug",
    "--log-format",
    "json",
  ], tty);
  assert.deepEqual(options, {
    kubeconfig: "/tmp/kube config.yaml",
    context: "kind-dev",
    namespace: "lb-system",
    ociEndpoint: "http://127.0.0.1:18090",
    ociAuth: "instance-principal",
    ociConfig: "/etc/oci/config",
    ociProfile: "PROD",
    secretNamespaces: ["lb-system", "team-a"],
    logLevel: "debug",
    logFormat: "json",
    resyncMs: 600_000,
    debounceMs: 0,
    workRequestPollMs: 250,
    workRequestTimeoutMs: 3_600_000,
    leaderElect: true,
    metricsAddr: { hostname: "127.0.0.1", port: 9090 },
    healthAddr: null,
    dryRun: true,
    once: true,
  });
});

Deno.test("parseOperatorOptions() returns frozen options, lists included", () => {
  const options = parseOperatorOptions(["--secret-namespaces", "a,b"], tty);
  assert.ok(Object.isFrozen(options));
  assert.ok(Object.isFrozen(options.secretNamespaces));
  assert.ok(Object.isFrozen(options.metricsAddr));
});

Deno.test("parseOperatorOptions() reads --secret-namespaces * as any namespace", () => {
  assert.equal(parseOperatorOptions(["--secret-namespaces", "*"], tty).secretNamespaces, "*");
});

for (const mode of ["api-key", "instance-principal", "workload-identity", "config-file"]) {
  Deno.test(`parseOperatorOptions() accepts --oci-auth ${mode}`, () => {
    assert.equal(parseOperatorOptions([`--oci-auth=${mode}`], tty).ociAuth, mode);
  });
}

for (const level of ["trace", "debug", "info", "warning", "error", "fatal"]) {
  Deno.test(`parseOperatorOptions() accepts --log-level ${level}`, () => {
    assert.equal(parseOperatorOptions(["--log-level", level], tty).logLevel, level);
  });
}

Deno.test("parseOperatorOptions() keeps an https endpoint with a path, minus trailing slashes", () => {
  const options = parseOperatorOptions(["--oci-endpoint", "https://oci.example:8443/api//"], tty);
  assert.equal(options.ociEndpoint, "https://oci.example:8443/api");
});

/** Each bad command line of run, the flag its message must name, and how the message starts. */
const badRunArgs: { args: string[]; flag: string; starts: string }[] = [
  { args: ["--resync", "5x"], flag: "--resync", starts: 'Cannot parse --resync "5x"' },
  { args: ["--resync", "500ms"], flag: "--resync", starts: 'Cannot use --resync "500ms"' },
  { args: ["--debounce", "-1s"], flag: "--debounce", starts: "Missing value for --debounce" },
  { args: ["--debounce=-1s"], flag: "--debounce", starts: 'Cannot parse --debounce "-1s"' },
  { args: ["--work-request-poll", "50ms"], flag: "--work-request-poll", starts: "Cannot use" },
  {
    args: ["--work-request-poll", "10m", "--work-request-timeout", "5m"],
    flag: "--work-request-poll",
    starts: 'Cannot use --work-request-poll "10m"',
  },
  { args: ["--work-request-timeout", "0s"], flag: "--work-request-timeout", starts: "Cannot use" },
  { args: ["--work-request-timeout", "48h"], flag: "--work-request-timeout", starts: "Cannot use" },
  { args: ["--metrics-addr", "8080"], flag: "--metrics-addr", starts: "Cannot parse" },
  { args: ["--health-addr", ":70000"], flag: "--health-addr", starts: "Cannot parse" },
  {
    args: ["--metrics-addr", ":9000", "--health-addr", "127.0.0.1:9000"],
    flag: "--health-addr",
    starts: 'Cannot use --health-addr "127.0.0.1:9000"',
  },
  { args: ["--oci-endpoint", "ftp://x"], flag: "--oci-endpoint", starts: "Cannot parse" },
  { args: ["--oci-endpoint", "not a url"], flag: "--oci-endpoint", starts: "Cannot parse" },
  { args: ["--oci-endpoint", "http://h/?q=1"], flag: "--oci-endpoint", starts: "Cannot parse" },
  {
    args: ["--oci-auth", "password"],
    flag: "--oci-auth",
    starts: 'Cannot parse --oci-auth "password"',
  },
  { args: ["--oci-config", ""], flag: "--oci-config", starts: 'Cannot use --oci-config ""' },
  { args: ["--oci-profile", " "], flag: "--oci-profile", starts: "Cannot use" },
  { args: ["--kubeconfig", ""], flag: "--kubeconfig", starts: "Cannot use" },
  { args: ["--context="], flag: "--context", starts: "Cannot use" },
  { args: ["--namespace", "Kube_System"], flag: "--namespace", starts: "Cannot use" },
  { args: ["--secret-namespaces", ""], flag: "--secret-namespaces", starts: "Cannot use" },
  { args: ["--secret-namespaces", "a,,b"], flag: "--secret-namespaces", starts: "Cannot use" },
  { args: ["--secret-namespaces", "a,*"], flag: "--secret-namespaces", starts: "Cannot use" },
  { args: ["--log-level", "verbose"], flag: "--log-level", starts: "Cannot parse" },
  { args: ["--log-level", "warn"], flag: "--log-level", starts: "Cannot parse" },
  { args: ["--log-format", "yaml"], flag: "--log-format", starts: "Cannot parse" },
  { args: ["--resync"], flag: "--resync", starts: "Missing value for --resync" },
  { args: ["--resync", "--once"], flag: "--resync", starts: "Missing value for --resync" },
  { args: ["--leader-elect=true"], flag: "--leader-elect", starts: "Cannot use --leader-elect" },
  { args: ["--bogus"], flag: "--bogus", starts: "Unknown flag --bogus" },
  { args: ["-x"], flag: "-x", starts: "Unknown flag -x" },
  { args: ["--output", "json"], flag: "--output", starts: "Unknown flag --output" },
];

for (const { args, flag, starts } of badRunArgs) {
  Deno.test(`parseOperatorOptions() rejects ${args.join(" ")} naming ${flag}`, () => {
    assert.throws(() => parseOperatorOptions(args, tty), (error: unknown) => {
      assert.ok(error instanceof UsageError, String(error));
      assert.equal(error.flag, flag);
      assert.ok(error.message.startsWith(starts), error.message);
      assert.ok(error.message.includes(flag), error.message);
      assert.ok(!error.message.includes("\n"), "one line");
      return true;
    });
  });
}

Deno.test("parseOperatorOptions() lists the accepted values when --oci-auth is wrong", () => {
  assert.throws(() => parseOperatorOptions(["--oci-auth", "x"], tty), {
    message:
      'Cannot parse --oci-auth "x": use api-key, instance-principal, workload-identity or config-file',
  });
});

Deno.test("parseOperatorOptions() refuses a positional argument", () => {
  assert.throws(() => parseOperatorOptions(["--once", "extra"], tty), {
    name: "UsageError",
    message: 'Unexpected argument "extra": lb-registrar run takes only flags',
  });
});

Deno.test("parsePlanOptions() reads --output and the cluster flags, and defaults to text", () => {
  assert.equal(parsePlanOptions([], tty).output, "text");
  const options = parsePlanOptions(
    ["--output", "json", "--kubeconfig", "k.yaml", "--oci-endpoint", "http://127.0.0.1:1"],
    pipe,
  );
  assert.equal(options.output, "json");
  assert.equal(options.kubeconfig, "k.yaml");
  assert.equal(options.ociEndpoint, "http://127.0.0.1:1");
  assert.equal(options.logFormat, "json");
  assert.ok(Object.isFrozen(options));
});

Deno.test("parsePlanOptions() rejects a bad --output and run-only flags", () => {
  assert.throws(() => parsePlanOptions(["--output", "yaml"], tty), {
    message: 'Cannot parse --output "yaml": use text or json',
  });
  assert.throws(() => parsePlanOptions(["--resync", "5m"], tty), {
    message: "Unknown flag --resync: see lb-registrar plan --help",
  });
});

Deno.test("parseManifestsOptions() reads --image and --namespace with defaults", () => {
  assert.deepEqual(parseManifestsOptions([]), {
    image: "ghcr.io/peppy-ratio/oci-lb-registrar:0.1.0",
    namespace: "oci-lb-registrar-system",
  });
  assert.deepEqual(
    parseManifestsOptions(["--image", "ghcr.io/acme/lbr@sha256:abc", "--namespace", "lb"]),
    { image: "ghcr.io/acme/lbr@sha256:abc", namespace: "lb" },
  );
});

Deno.test("parseManifestsOptions() rejects a bad --image and --namespace", () => {
  assert.throws(() => parseManifestsOptions(["--image", "a b"]), {
    name: "UsageError",
    message: /--image/,
  });
  assert.throws(() => parseManifestsOptions(["--namespace", "-x-"]), { message: /--namespace/ });
});

Deno.test("parseDemoOptions() reads --follow and the logging flags, quiet by default", () => {
  assert.deepEqual(parseDemoOptions([], tty), {
    logLevel: "warning",
    logFormat: "text",
    follow: false,
  });
  assert.deepEqual(parseDemoOptions(["--follow", "--log-level", "debug"], pipe), {
    logLevel: "debug",
    logFormat: "json",
    follow: true,
  });
});

Deno.test("parseSimOptions() reads --port, --oci-port, --http and --kubeconfig-out", () => {
  assert.deepEqual(parseSimOptions([], tty), {
    logLevel: "info",
    logFormat: "text",
    port: 0,
    ociPort: 0,
    https: true,
    kubeconfigOut: null,
  });
  const options = parseSimOptions(
    ["--port", "6443", "--oci-port=18090", "--http", "--kubeconfig-out", "/tmp/k"],
    tty,
  );
  assert.deepEqual(
    [options.port, options.ociPort, options.https, options.kubeconfigOut],
    [6443, 18090, false, "/tmp/k"],
  );
});

for (const raw of ["65536", "-1", "x", "", "80.5"]) {
  Deno.test(`parseSimOptions() rejects --oci-port ${JSON.stringify(raw)} naming the flag`, () => {
    assert.throws(() => parseSimOptions([`--oci-port=${raw}`], tty), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.flag, "--oci-port");
      return true;
    });
  });
}
