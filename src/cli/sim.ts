/**
 * `sim`: only the simulators, seeded with the demo world, until Ctrl-C. Prints where they are, a
 * kubeconfig path, sample LBRegistrars that use the generated API key, and commands to try.
 */

import { dirname, join } from "node:path";
import { DEMO_LB_ID, DEMO_NLB_ID } from "../sim/oci/seed.ts";
import {
  DEMO,
  registrarsYaml,
  sampleRegistrars,
  SIM_KEY_SECRET,
  SIM_OPERATOR_NAMESPACE,
  startSims,
} from "../sim/run_sims.ts";
import { onStopSignals } from "./demo/stop_signals.ts";
import { ExitCode } from "./exit_code.ts";
import type { CliIo } from "./io.ts";
import type { SimOptions } from "./options.ts";

/** `sim`: serves both simulators on 127.0.0.1 until SIGINT or SIGTERM, then exits 0. */
export async function simCommand(options: SimOptions, io: CliIo): Promise<number> {
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => stop = resolve);
  // Listen first: a signal that arrives while the simulators start still stops them cleanly.
  const removeSignals = onStopSignals((signal) => stop(signal));
  const dir = await Deno.makeTempDir({ prefix: "lb-registrar-sim-" });
  try {
    await using sims = await startSims({
      tls: options.https,
      kubePort: options.port,
      ociPort: options.ociPort,
    });
    const kubeconfig = options.kubeconfigOut ?? join(dir, "kubeconfig");
    if (options.kubeconfigOut) await Deno.mkdir(dirname(kubeconfig), { recursive: true });
    // The kubeconfig carries the simulator's bearer token: readable by its owner only.
    await Deno.writeTextFile(kubeconfig, sims.kube.kubeconfigYaml(), { mode: 0o600 });
    const samplePath = join(dir, "lbregistrars.yaml");
    const sample = registrarsYaml(sampleRegistrars(sims.apiKey));
    await Deno.writeTextFile(samplePath, sample);

    const k = `kubectl --kubeconfig ${shellWord(kubeconfig)}`;
    const { http, https } = DEMO.ports;
    io.stdout(
      [
        "Simulators are running on 127.0.0.1 (Ctrl-C stops them).",
        "",
        `  kubernetes  ${sims.kube.url}`,
        `              nodes ${DEMO.nodes.join(", ")}; NodePort Service ` +
        `${DEMO.namespace}/${DEMO.service} (http ${http.nodePort}, https ${https.nodePort})` +
        (sims.repoCrd ? "; the LBRegistrar CRD from crds/" : "; a minimal LBRegistrar CRD"),
        `  oci         ${sims.oci.url}`,
        `              ${DEMO_LB_ID} (web-http, web-https)`,
        `              ${DEMO_NLB_ID} (web-tcp)`,
        `  api key     fingerprint ${sims.key.fingerprint}, private key in Secret ` +
        `${SIM_OPERATOR_NAMESPACE}/${SIM_KEY_SECRET.name} (key ${SIM_KEY_SECRET.key})`,
        `  kubeconfig  ${kubeconfig}`,
        "",
        `Sample LBRegistrars (${samplePath}):`,
        "",
        ...sample.trimEnd().split("\n").map((line) => `  ${line}`),
        "",
        "Try:",
        `  ${k} get nodes`,
        `  ${k} apply -f ${shellWord(samplePath)}`,
        `  deno task start -- --kubeconfig ${
          shellWord(kubeconfig)
        } --oci-endpoint ${sims.oci.url} ` +
        `--secret-namespaces ${SIM_OPERATOR_NAMESPACE}`,
        `  ${k} get lbr`,
        "",
      ].join("\n"),
    );
    const signal = await stopped;
    io.stderr(`lb-registrar sim: ${signal} received, stopping\n`);
    return ExitCode.ok;
  } finally {
    removeSignals();
    await Deno.remove(dir, { recursive: true });
  }
}

/** A path as one shell word: as is when it is plain, else single-quoted. */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
