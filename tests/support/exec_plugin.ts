/** Exec credential plugins for tests: a kubeconfig that runs one, and a shell-script plugin. */
import YAML from "yaml";

/** A kubeconfig for the HTTPS simulator whose user runs `command` (a shell script) for its token. */
export function execKubeconfig(sim: { url: string; caPem?: string }, command: string): string {
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{
      name: "sim",
      cluster: { server: sim.url, "certificate-authority-data": btoa(sim.caPem ?? "") },
    }],
    users: [{
      name: "plugin",
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command,
          args: ["--cluster-id", "sim"],
          interactiveMode: "Never",
        },
      },
    }],
    contexts: [{ name: "sim", context: { cluster: "sim", user: "plugin" } }],
    "current-context": "sim",
  });
}

/** Writes an executable plugin script printing an ExecCredential with `token`, logging each run. */
export async function writePlugin(dir: string, body: string): Promise<string> {
  const path = `${dir}/token-plugin`;
  await Deno.writeTextFile(path, `#!/bin/sh\necho run >> "${dir}/runs"\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

/** How many times the plugin in `dir` ran. */
export const pluginRuns = async (dir: string) =>
  (await Deno.readTextFile(`${dir}/runs`).catch(() => "")).split("\n").filter(Boolean).length;
