import assert from "node:assert/strict";
import { join } from "node:path";

/** The permissions `deno task sim` runs with. */
const SIM_PERMISSIONS = [
  "--allow-net=127.0.0.1",
  // Relative to the repository root, where deno task runs: only the CRD is read.
  "--allow-read=crds",
  "--allow-write",
  "--allow-env=LOG_TOKENS,LOG_STREAM",
];

const ROOT = new URL("../../../", import.meta.url).pathname;

async function kubectlAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("kubectl", {
      args: ["version", "--client"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const hasKubectl = await kubectlAvailable();

/** Reads `stream` until `pattern` matches the text so far (or fails after `timeoutMs`). */
async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  pattern: RegExp,
  timeoutMs: number,
): Promise<{ text: string; match: RegExpMatchArray }> {
  let text = "";
  const deadline = Date.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    while (Date.now() < deadline) {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), deadline - Date.now());
      });
      const { value, done } = await Promise.race([reader.read(), timeout]);
      clearTimeout(timer);
      if (done) break;
      text += value;
      const match = text.match(pattern);
      if (match) return { text, match };
    }
  } catch (error) {
    if (!(error instanceof Error && error.message === "timed out")) throw error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`Output never matched ${pattern}:\n${text}`);
}

Deno.test({
  name: "lb-registrar sim serves the demo cluster to kubectl and exits 0 on SIGTERM",
  ignore: !hasKubectl,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sim-test-" });
    const kubeconfig = join(dir, "out", "kubeconfig");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--frozen", "--no-prompt", ...SIM_PERMISSIONS, "main.ts", "sim"].concat(
        ["--kubeconfig-out", kubeconfig],
      ),
      cwd: ROOT,
      env: { DENO_NO_UPDATE_CHECK: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let stdout = "";
    try {
      const started = await readUntil(reader, /^Try:\n(?:.*\n){4}/m, 60_000);
      stdout = started.text;
      assert.ok(
        stdout.includes(`\n  kubeconfig  ${kubeconfig}\n`),
        "the kubeconfig path is printed",
      );
      assert.match(stdout, /^ {2}oci +http:\/\/127\.0\.0\.1:\d+$/m);
      assert.match(stdout, /^ {2}kubernetes +https:\/\/127\.0\.0\.1:\d+$/m);
      const samplePath = stdout.match(/kubectl --kubeconfig \S+ apply -f (\S+)/)?.[1];
      assert.ok(samplePath, "a kubectl apply command names the sample file");
      assert.ok(
        stdout.includes(
          `deno task start -- --kubeconfig ${kubeconfig} --oci-endpoint http://127.0.0.1:`,
        ),
        "the run command is printed",
      );

      const kubectl = async (...args: string[]) => {
        const output = await new Deno.Command("kubectl", {
          args: ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args],
          env: { HOME: dir },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const decoder = new TextDecoder();
        const out = decoder.decode(output.stdout);
        assert.equal(output.code, 0, `kubectl ${args.join(" ")}: ${decoder.decode(output.stderr)}`);
        return out;
      };
      assert.deepEqual(
        (await kubectl("get", "nodes", "-o", "name")).trim().split("\n"),
        ["node/node-1", "node/node-2", "node/node-3"],
      );
      // The printed sample passes the repository CRD's validation.
      await kubectl("apply", "-f", samplePath);
      assert.deepEqual(
        (await kubectl("get", "lbr", "-o", "name")).trim().split("\n"),
        ["lbregistrar.nodes.peppy-ratio.dev/web", "lbregistrar.nodes.peppy-ratio.dev/web-tcp"],
      );
      assert.equal(
        await kubectl(
          "get",
          "secret",
          "oci-api-key",
          "-n",
          "oci-lb-registrar-system",
          "-o",
          "jsonpath={.data.private-key}",
        ).then((data) => atob(data).startsWith("-----BEGIN PRIVATE KEY-----")),
        true,
      );
    } finally {
      child.kill("SIGTERM");
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        stdout += next.value;
      }
    }
    const status = await child.status;
    const errors = await stderr;
    await Deno.remove(dir, { recursive: true });
    assert.equal(status.code, 0, errors);
    assert.match(errors, /SIGTERM received, stopping/);
    assert.ok(!stdout.includes("PRIVATE KEY"), "the private key is never printed");
  },
});
