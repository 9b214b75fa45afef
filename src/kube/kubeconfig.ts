/**
 * Where the operator's cluster connection and own namespace come from: in-cluster service account,
 * or a kubeconfig (--kubeconfig, then $KUBECONFIG, then ~/.kube/config), as kubectl does. The
 * kubeconfig is read into plain data shaped like client-node's (so either kind of config works
 * everywhere), without importing client-node: its import alone costs about 70 MiB of RSS.
 */
import YAML from "yaml";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { KubeError } from "./errors.ts";

/** One `clusters[]` entry, as client-node's `Cluster`. */
export interface KubeCluster {
  name: string;
  /** Without a trailing slash. */
  server: string;
  skipTLSVerify: boolean;
  /** Base64 of the CA's PEM. */
  caData?: string;
  caFile?: string;
  tlsServerName?: string;
  proxyUrl?: string;
}

/** One `users[]` entry, as client-node's `User` (null where a field is absent). */
export interface KubeUser {
  name: string;
  token?: string | null;
  // deno-lint-ignore no-explicit-any -- client-node types these as any
  authProvider?: any;
  // deno-lint-ignore no-explicit-any -- client-node types these as any
  exec?: any;
  certData?: string | null;
  certFile?: string | null;
  keyData?: string | null;
  keyFile?: string | null;
  username?: string | null;
  password?: string | null;
  impersonateUser?: string | null;
}

/** One `contexts[]` entry, as client-node's `Context`. */
export interface KubeContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

/**
 * What the operator reads of a kubeconfig. `loadKubeConfig` returns one; client-node's
 * `KubeConfig` is one too (tests and the demo pass theirs).
 */
export interface KubeConfigLike {
  getCurrentContext(): string;
  getContexts(): KubeContext[];
  getContextObject(name: string): KubeContext | null;
  getCurrentCluster(): KubeCluster | null;
  getCurrentUser(): KubeUser | null;
}

/** A loaded kubeconfig: its entries and the current context. */
export interface LoadedKubeConfig extends KubeConfigLike {
  clusters: KubeCluster[];
  users: KubeUser[];
  contexts: KubeContext[];
  currentContext: string;
}

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
): LoadedKubeConfig {
  if (isInCluster(source, environment)) {
    if (source.context) {
      throw invalid(`Cannot use --context "${source.context}" in-cluster: pass --kubeconfig too`);
    }
    return inClusterConfig(environment);
  }
  const kubeConfig = kubeConfigOf([], [], [], "");
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
    let part: LoadedKubeConfig;
    try {
      part = parseKubeConfig(text, environment);
    } catch (error) {
      throw invalid(`Cannot parse kubeconfig "${file}": ${describe(error)}`);
    }
    makePathsAbsolute(part, dirname(file));
    merge(kubeConfig, part, index === 0);
  }
  if (source.context) {
    if (!kubeConfig.getContextObject(source.context)) {
      const known = kubeConfig.getContexts().map((c) => c.name).join(", ") || "none";
      throw invalid(
        `Cannot use context "${source.context}": not in kubeconfig (contexts: ${known})`,
      );
    }
    kubeConfig.currentContext = source.context;
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
  options: { namespace?: string; kubeConfig?: KubeConfigLike; inCluster: boolean },
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
function merge(into: LoadedKubeConfig, part: LoadedKubeConfig, first: boolean): void {
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
function inClusterConfig(environment: ConfigEnvironment): LoadedKubeConfig {
  const host = environment.env("KUBERNETES_SERVICE_HOST") ?? "";
  const port = environment.env("KUBERNETES_SERVICE_PORT") ?? "443";
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return kubeConfigOf(
    [{ name: "inCluster", server, caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`, skipTLSVerify: false }],
    // Re-read on expiry, so projected (rotating) service-account tokens keep working.
    [{
      name: "inClusterUser",
      authProvider: { name: "tokenFile", config: { tokenFile: `${SERVICE_ACCOUNT_DIR}/token` } },
    }],
    [{ name: "inClusterContext", cluster: "inCluster", user: "inClusterUser" }],
    "inClusterContext",
  );
}

/** A kubeconfig over these entries, answering like client-node's KubeConfig. */
function kubeConfigOf(
  clusters: KubeCluster[],
  users: KubeUser[],
  contexts: KubeContext[],
  currentContext: string,
): LoadedKubeConfig {
  const config: LoadedKubeConfig = {
    clusters,
    users,
    contexts,
    currentContext,
    getCurrentContext: () => config.currentContext,
    getContexts: () => config.contexts,
    getContextObject: (name) => config.contexts.find((c) => c.name === name) ?? null,
    getCurrentCluster() {
      const context = config.getContextObject(config.currentContext);
      return config.clusters.find((c) => c.name === context?.cluster) ?? null;
    },
    getCurrentUser() {
      const context = config.getContextObject(config.currentContext);
      return config.users.find((u) => u.name === context?.user) ?? null;
    },
  };
  return config;
}

type Entry = Record<string, unknown>;

/** The entries of one kubeconfig file, checked and named as client-node does. */
function parseKubeConfig(text: string, environment: ConfigEnvironment): LoadedKubeConfig {
  const document = (YAML.parse(text) ?? {}) as Entry;
  const list = (key: string): Entry[] => {
    const value = document[key];
    return Array.isArray(value) ? value as Entry[] : [];
  };
  const nonEmpty = (value: unknown) =>
    typeof value === "string" && value !== "" ? value : undefined;
  const clusters = list("clusters").map((entry, i): KubeCluster => {
    const cluster = entry.cluster as Entry | undefined;
    if (!entry.name) throw new Error(`clusters[${i}].name is missing`);
    if (!cluster) throw new Error(`clusters[${i}].cluster is missing`);
    const server = nonEmpty(cluster.server);
    if (!server) throw new Error(`clusters[${i}].cluster.server is missing`);
    const result: KubeCluster = {
      name: String(entry.name),
      server: server.replace(/\/$/, ""),
      skipTLSVerify: cluster["insecure-skip-tls-verify"] === true,
    };
    const caData = nonEmpty(cluster["certificate-authority-data"]);
    if (caData) result.caData = caData;
    const caFile = nonEmpty(cluster["certificate-authority"]);
    if (caFile) result.caFile = caFile;
    const tlsServerName = nonEmpty(cluster["tls-server-name"]);
    if (tlsServerName) result.tlsServerName = tlsServerName;
    const proxyUrl = nonEmpty(cluster["proxy-url"]);
    if (proxyUrl) result.proxyUrl = proxyUrl;
    return result;
  });
  const users = list("users").map((entry, i): KubeUser => {
    if (!entry.name) throw new Error(`users[${i}].name is missing`);
    const user = (entry.user ?? {}) as Entry;
    const tokenFile = nonEmpty(user["token-file"]);
    return {
      name: String(entry.name),
      authProvider: user["auth-provider"] ?? null,
      certData: nonEmpty(user["client-certificate-data"]) ?? null,
      certFile: nonEmpty(user["client-certificate"]) ?? null,
      exec: user.exec ?? null,
      keyData: nonEmpty(user["client-key-data"]) ?? null,
      keyFile: nonEmpty(user["client-key"]) ?? null,
      // Read once at load, as client-node does for `token-file`.
      token: nonEmpty(user.token) ?? (tokenFile ? environment.readTextFile(tokenFile) : null),
      password: nonEmpty(user.password) ?? null,
      username: nonEmpty(user.username) ?? null,
      impersonateUser: nonEmpty(user.as) ?? null,
    };
  });
  const contexts = list("contexts").map((entry, i): KubeContext => {
    const context = entry.context as Entry | undefined;
    if (!entry.name) throw new Error(`contexts[${i}].name is missing`);
    if (!context) throw new Error(`contexts[${i}].context is missing`);
    if (!context.cluster) throw new Error(`contexts[${i}].context.cluster is missing`);
    const result: KubeContext = {
      name: String(entry.name),
      cluster: String(context.cluster),
      user: nonEmpty(context.user) ?? "",
    };
    const namespace = nonEmpty(context.namespace);
    if (namespace) result.namespace = namespace;
    return result;
  });
  return kubeConfigOf(clusters, users, contexts, nonEmpty(document["current-context"]) ?? "");
}

/** Relative certificate and key paths are relative to the kubeconfig's directory. */
function makePathsAbsolute(config: LoadedKubeConfig, root: string): void {
  const absolute = (file: string) => isAbsolute(file) ? file : join(root, file);
  for (const cluster of config.clusters) {
    if (cluster.caFile) cluster.caFile = absolute(cluster.caFile);
  }
  for (const user of config.users) {
    if (user.certFile) user.certFile = absolute(user.certFile);
    if (user.keyFile) user.keyFile = absolute(user.keyFile);
  }
}

function invalid(message: string): KubeError {
  return new KubeError(message, { kind: "invalid" });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
