/** Every flag of every subcommand, once, in groups: its parseArgs type, placeholder, default, meaning. */

import { VERSION } from "../version.ts";

/** How a flag appears on the command line and in help. */
export interface FlagDoc {
  /** "string" flags take a value (`--resync 5m` or `--resync=5m`); "boolean" flags take none. */
  readonly type: "string" | "boolean";
  /** Name of the value in help, e.g. "DURATION"; empty for booleans. */
  readonly value: string;
  /** The default as help shows it. */
  readonly default: string;
  /** What the flag does: one line, or a few joined by "\n" when it lists choices. */
  readonly help: string;
}

/** Flags of one command, keyed by their name without dashes. */
export type FlagDocs = Readonly<Record<string, FlagDoc>>;

/** Namespace `manifests` installs into unless --namespace says otherwise. */
export const DEFAULT_INSTALL_NAMESPACE = "oci-lb-registrar-system";
/** Image `manifests` deploys unless --image says otherwise. */
export const DEFAULT_IMAGE = `ghcr.io/peppy-ratio/oci-lb-registrar:${VERSION}`;

function takes(value: string, defaultText: string, help: string): FlagDoc {
  return { type: "string", value, default: defaultText, help };
}

function toggle(help: string): FlagDoc {
  return { type: "boolean", value: "", default: "false", help };
}

/** Where the cluster is. */
export const KUBE_FLAGS = {
  kubeconfig: takes(
    "PATH",
    "in-cluster, else $KUBECONFIG, else ~/.kube/config",
    "kubeconfig file of the cluster",
  ),
  context: takes("NAME", "the current context", "kubeconfig context to use"),
  namespace: takes(
    "NAME",
    "in-cluster, else the context's, else default",
    "the operator's own namespace (Lease, default Secret namespace)",
  ),
} as const satisfies FlagDocs;

/** Where OCI is and whose keys the operator may use. */
export const OCI_FLAGS = {
  "oci-endpoint": takes(
    "URL",
    "each region's public endpoint",
    "one http(s) base URL for the LB and NLB APIs (compatibles, tests)",
  ),
  "oci-auth": takes(
    "MODE",
    "api-key",
    "OCI credentials of objects without spec.apiKey:\n" +
      "api-key, instance-principal, workload-identity or config-file",
  ),
  "oci-config": takes("PATH", "~/.oci/config", "OCI config file to read keys and profile from"),
  "oci-profile": takes("NAME", "DEFAULT", "profile of the OCI config file"),
  "secret-namespaces": takes(
    "LIST",
    "the operator's namespace",
    "namespaces whose Secrets may hold API keys: a,b or * for any",
  ),
} as const satisfies FlagDocs;

/** How the running engine paces itself. */
export const ENGINE_FLAGS = {
  resync: takes(
    "DURATION",
    "5m",
    "re-plan and re-read every backend set this often, at least 1s",
  ),
  debounce: takes(
    "DURATION",
    "1s",
    "gather changes this long into one update per backend set, 0ms ok",
  ),
  "work-request-poll": takes(
    "DURATION",
    "5s",
    "longest wait between polls of an OCI work request, at least 100ms",
  ),
  "work-request-timeout": takes(
    "DURATION",
    "5m",
    "stop waiting for an OCI work request after this, at least 1s",
  ),
  "leader-elect": toggle("take a Lease so that only one replica writes"),
  "dry-run": toggle("write status and events only, never to OCI nor finalizers"),
  once: toggle("sync every object once, then exit"),
} as const satisfies FlagDocs;

/** Where the operator's own HTTP servers listen. */
export const SERVE_FLAGS = {
  "metrics-addr": takes("ADDR", ":8080", "where /metrics listens ([host]:port), or off"),
  "health-addr": takes("ADDR", ":8081", "where /healthz and /readyz listen ([host]:port), or off"),
} as const satisfies FlagDocs;

/** What is logged and how. */
export const LOG_FLAGS = {
  "log-level": takes("LEVEL", "info", "trace, debug, info, warning, error or fatal"),
  "log-format": takes(
    "FORMAT",
    "text when stderr is a terminal, else json",
    "text (one line for people) or json (JSON lines)",
  ),
} as const satisfies FlagDocs;

/** Extra flag of `plan`. */
export const PLAN_FLAGS = {
  output: takes("FORMAT", "text", "text, or json for scripts"),
} as const satisfies FlagDocs;

/** Flags of `manifests`. */
export const MANIFESTS_FLAGS = {
  image: takes("IMAGE", DEFAULT_IMAGE, "container image of the Deployment"),
  namespace: takes("NAME", DEFAULT_INSTALL_NAMESPACE, "namespace to install the operator into"),
} as const satisfies FlagDocs;

/** Extra flag of `demo`. */
export const DEMO_FLAGS = {
  follow: toggle("after the story, keep running and showing changes until Ctrl-C"),
} as const satisfies FlagDocs;

/** Logging of `demo`: warnings only by default, so the live table stays readable. */
export const DEMO_LOG_FLAGS = {
  ...LOG_FLAGS,
  "log-level": takes("LEVEL", "warning", "trace, debug, info, warning, error or fatal"),
} as const satisfies FlagDocs;

/** Extra flags of `sim`. */
export const SIM_FLAGS = {
  port: takes("PORT", "0 (any free port)", "loopback port of the Kubernetes API simulator"),
  "oci-port": takes("PORT", "0 (any free port)", "loopback port of the OCI API simulators"),
  http: toggle("serve the Kubernetes API over plain HTTP instead of HTTPS"),
  "kubeconfig-out": takes(
    "PATH",
    "a file in a new temporary directory",
    "where to write the simulator's kubeconfig",
  ),
} as const satisfies FlagDocs;

/** Taken by every command. */
export const HELP_FLAG = {
  help: { ...toggle("print this help"), default: "" },
} as const satisfies FlagDocs;
