/**
 * Where the operator's cluster connection and own namespace come from: in-cluster service account,
 * or a kubeconfig (--kubeconfig, then $KUBECONFIG, then ~/.kube/config), as kubectl does.
 */
import "./_quiet_deprecations.ts";
import { KubeConfig } from "@kubernetes/client-node";
import { delimiter, dirname, join } from "node:path";
import { KubeError } from "./errors.ts";

/** Directory of the mounted service-account token, CA and namespace. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** What loading reads from the process, injectable for tests. */
export interface ConfigEnvironment {
  env(name: string): string | undefined;
  /** Text of a file; throws (Deno.errors.NotFound …) when it cannot be read. */
  readTextFile(path: string): string;
}

/** The real process environment and file system. */
export const denoEnvironment: ConfigEnvironment = {
  env: (name) => Deno.env.get(name),
  readTextFile: (path) => Deno.readTextFileSync(path),
};

/** The connection flags of the command line. */
export interface KubeConfigSource {
  /** `--kubeconfig` */
  kubeconfig?: string;
  /** `--context` */
  context?: string;
}

/** In-cluster means: running in a pod (KUBERNETES_SERVICE_HOST set) and no --kubeconfig given. */
export function isInCluster(source: KubeConfigSource, environment = denoEnvironment): boolean {
  return !source.kubeconfig && Boolean(environment.env("KUBERNETES_SERVICE_HOST"));
}

/** The KubeConfig for `source`; throws `KubeError` (kind "invalid") with a message for a person. */
export function loadKubeConfig(
  source: KubeConfigSource = {},
  environment: ConfigEnvironment = denoEnvironment,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (isInCluster(source, environment)) {
    if (source.context) {
      throw invalid(`Cannot use --context "${source.context}" in-cluster: pass --kubeconfig too`);
    }
    loadInCluster(kubeConfig, environment);
    return kubeConfig;
  }
  const files = kubeconfigFiles(source, environment);
  for (const [index, file] of files.entries()) {
    let text;
    try {
      text = environment.readTextFile(file);
    } catch (error) {
      // A missing file in a $KUBECONFIG list is skipped, as kubectl does; an explicit one is an error.
      if (error instanceof Deno.errors.NotFound && files.length > 1) continue;
      const why = error instanceof Deno.errors.NotFound ? "file not found" : describe(error);
      throw invalid(`Cannot read kubeconfig "${file}": ${why}`);
    }
    const part = new KubeConfig();
    try {
      part.loadFromString(text);
    } catch (error) {
      throw invalid(`Cannot parse kubeconfig "${file}": ${describe(error)}`);
    }
    part.makePathsAbsolute(dirname(file));
    merge(kubeConfig, part, index === 0);
  }
  if (source.context) {
    if (!kubeConfig.getContextObject(source.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name).join(", ") || "none";
      throw invalid(
        `Cannot use context "${source.context}": not in kubeconfig (contexts: ${known})`,
      );
    }
    kubeConfig.setCurrentContext(source.context);
  }
  if (!kubeConfig.getCurrentCluster()) {
    throw invalid(
      `Cannot use kubeconfig "${
        files.join(delimiter)
      }": no current context with a cluster; pass --context`,
    );
  }
  return kubeConfig;
}

/**
 * The operator's own namespace (DESIGN §8): the service account's namespace in-cluster, else
 * `--namespace`, else the kubeconfig context's namespace, else "default".
 */
export function operatorNamespace(
  options: { namespace?: string; kubeConfig?: KubeConfig; inCluster: boolean },
  environment: ConfigEnvironment = denoEnvironment,
): string {
  if (options.inCluster) {
    try {
      const fromServiceAccount = environment.readTextFile(`${SERVICE_ACCOUNT_DIR}/namespace`)
        .trim();
      if (fromServiceAccount) return fromServiceAccount;
    } catch {
      // No namespace file mounted: fall back like a local run.
    }
  }
  if (options.namespace) return options.namespace;
  const kubeConfig = options.kubeConfig;
  const fromContext = kubeConfig?.getContextObject(kubeConfig.getCurrentContext())?.namespace;
  return fromContext || "default";
}

function kubeconfigFiles(source: KubeConfigSource, environment: ConfigEnvironment): string[] {
  if (source.kubeconfig) return [source.kubeconfig];
  const fromEnv = (environment.env("KUBECONFIG") ?? "").split(delimiter).filter((f) => f !== "");
  if (fromEnv.length > 0) return fromEnv;
  const home = environment.env("HOME") ?? environment.env("USERPROFILE");
  if (!home) throw invalid("Cannot find a kubeconfig: pass --kubeconfig or set KUBECONFIG or HOME");
  return [join(home, ".kube", "config")];
}

/** kubectl's merge rule: the first file to set a value (current context, a named entry) wins. */
function merge(into: KubeConfig, part: KubeConfig, first: boolean): void {
  if (first || !into.currentContext) into.currentContext = part.currentContext;
  const names = (list: { name: string }[]) => new Set(list.map((entry) => entry.name));
  const clusters = names(into.clusters);
  const users = names(into.users);
  const contexts = names(into.contexts);
  into.clusters = [...into.clusters, ...part.clusters.filter((c) => !clusters.has(c.name))];
  into.users = [...into.users, ...part.users.filter((u) => !users.has(u.name))];
  into.contexts = [...into.contexts, ...part.contexts.filter((c) => !contexts.has(c.name))];
}

/** What client-node's loadFromCluster() builds, with host and port from `environment`. */
function loadInCluster(kubeConfig: KubeConfig, environment: ConfigEnvironment): void {
  const host = environment.env("KUBERNETES_SERVICE_HOST") ?? "";
  const port = environment.env("KUBERNETES_SERVICE_PORT") ?? "443";
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  kubeConfig.loadFromOptions({
    clusters: [{
      name: "inCluster",
      server,
      caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
      skipTLSVerify: false,
    }],
    users: [{
      name: "inClusterUser",
      // Re-read on expiry, so projected (rotating) service-account tokens keep working.
      authProvider: { name: "tokenFile", config: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } },
    }],
    contexts: [{ name: "inClusterContext", cluster: "inCluster", user: "inClusterUser" }],
    currentContext: "inClusterContext",
  });
}

function invalid(message: string): KubeError {
  return new KubeError(message, { kind: "invalid" });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
