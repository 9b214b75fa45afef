/**
 * How requests reach the API server of a kubeconfig's current context. The common cases (bearer
 * token or token file, client certificate, basic auth, a CA or the default roots, plain HTTP) go
 * through Deno's own fetch, which costs no import at all. Anything else (exec and auth-provider
 * plugins, insecure-skip-tls-verify over HTTPS, tls-server-name, proxy-url) goes through
 * @kubernetes/client-node, imported only then: its import alone costs about 70 MiB of RSS.
 */
import "./_quiet_deprecations.ts";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeConfigLike, KubeUser } from "./kubeconfig.ts";

/** Token files are re-read this often (client-go's and client-node's rule). */
const TOKEN_FILE_TTL_MS = 60_000;

/** A connection over Deno's fetch. */
export interface NativeConnection {
  kind: "native";
  /** Base URL without a trailing slash. */
  server: string;
  /** Authorization and impersonation headers, token files re-read when due. */
  headers(): Headers;
  /** The CA and client certificate (PEM) of an HTTPS server, if the config names any. */
  tls(): TlsMaterial | undefined;
  /** The fetch client carrying `tls()`, if there is any. */
  client(): Deno.HttpClient | undefined;
  close(): void;
}

/** PEM texts for a TLS connection. */
export interface TlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

/** A connection that needs client-node; `config()` imports it on first use. */
export interface ClientNodeConnection {
  kind: "client-node";
  server: string;
  /** Why the native path cannot serve this config (for logs and tests). */
  reason: string;
  config(): Promise<KubeConfig>;
  close(): void;
}

export type Connection = NativeConnection | ClientNodeConnection;

const connections = new WeakMap<KubeConfigLike, Connection>();

/** The connection of `kubeConfig`'s current context, shared by every caller of that config. */
export function connectionOf(kubeConfig: KubeConfigLike): Connection {
  let connection = connections.get(kubeConfig);
  if (!connection) {
    connection = createConnection(kubeConfig);
    connections.set(kubeConfig, connection);
  }
  return connection;
}

/** Releases the fetch client of `kubeConfig`'s connection (a later request opens a new one). */
export function closeConnection(kubeConfig: KubeConfigLike): void {
  connections.get(kubeConfig)?.close();
}

function createConnection(kubeConfig: KubeConfigLike): Connection {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster?.server) {
    throw new Error("Cannot use kubeconfig: its current context names no cluster");
  }
  const server = cluster.server.replace(/\/$/, "");
  const user = kubeConfig.getCurrentUser();
  const reason = clientNodeReason(server, cluster, user);
  if (reason) return clientNodeConnection(kubeConfig, server, reason);

  const readFile = (path: string) => Deno.readTextFileSync(path);
  const pem = (file?: string | null, data?: string | null) =>
    file ? readFile(file) : data ? new TextDecoder().decode(decodeBase64(data)) : undefined;
  let client: Deno.HttpClient | undefined;
  let material: TlsMaterial | undefined | null = null;
  const tls = (): TlsMaterial | undefined => {
    if (material !== null) return material;
    material = undefined;
    if (!server.startsWith("https:")) return material;
    const ca = pem(cluster.caFile, cluster.caData);
    const cert = pem(user?.certFile, user?.certData);
    const key = pem(user?.keyFile, user?.keyData);
    if (!ca && !(cert && key)) return material;
    material = { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) };
    return material;
  };
  let fileToken: { value: string; readAt: number } | undefined;
  const tokenFile = tokenFileOf(user);

  return {
    kind: "native",
    server,
    headers() {
      const headers = new Headers();
      if (user?.username) {
        headers.set("Authorization", `Basic ${btoa(`${user.username}:${user.password ?? ""}`)}`);
      }
      if (tokenFile) {
        if (!fileToken || Date.now() - fileToken.readAt > TOKEN_FILE_TTL_MS) {
          fileToken = { value: readFile(tokenFile).trim(), readAt: Date.now() };
        }
        headers.set("Authorization", `Bearer ${fileToken.value}`);
      }
      if (user?.token) headers.set("Authorization", `Bearer ${user.token}`);
      if (user?.impersonateUser) headers.set("Impersonate-User", user.impersonateUser);
      return headers;
    },
    tls,
    client() {
      const material = tls();
      if (client || !material) return client;
      client = Deno.createHttpClient({
        ...(material.ca ? { caCerts: [material.ca] } : {}),
        ...(material.cert && material.key ? { cert: material.cert, key: material.key } : {}),
      });
      return client;
    },
    close() {
      client?.close();
      client = undefined;
    },
  };
}

/** Why `server`/`user` need client-node, or undefined when Deno's fetch can serve them. */
function clientNodeReason(
  server: string,
  cluster: { skipTLSVerify: boolean; tlsServerName?: string; proxyUrl?: string },
  user: KubeUser | null,
): string | undefined {
  if (user?.exec) return "an exec credential plugin";
  if (user?.authProvider && !tokenFileOf(user)) return "an auth-provider plugin";
  if (cluster.proxyUrl) return "proxy-url";
  if (!server.startsWith("https:")) return undefined;
  if (cluster.skipTLSVerify) return "insecure-skip-tls-verify over HTTPS";
  if (cluster.tlsServerName) return "tls-server-name";
  return undefined;
}

/** The token file of client-node's `tokenFile` auth provider (what in-cluster configs use). */
function tokenFileOf(user: KubeUser | null): string | undefined {
  const file = user?.authProvider?.config?.tokenFile;
  return typeof file === "string" && file !== "" ? file : undefined;
}

function clientNodeConnection(
  kubeConfig: KubeConfigLike,
  server: string,
  reason: string,
): ClientNodeConnection {
  let loaded: Promise<KubeConfig> | undefined;
  return {
    kind: "client-node",
    server,
    reason,
    config() {
      loaded ??= (async () => {
        const k8s = await import("@kubernetes/client-node");
        if (kubeConfig instanceof k8s.KubeConfig) return kubeConfig;
        const context = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
        const cluster = kubeConfig.getCurrentCluster();
        const user = kubeConfig.getCurrentUser();
        const plugin = user?.exec?.command;
        const config = plugin ? new (namingPlugin(k8s.KubeConfig, plugin))() : new k8s.KubeConfig();
        config.loadFromOptions({
          clusters: cluster ? [cluster] : [],
          users: user ? [user] : [],
          contexts: context ? [context] : [],
          currentContext: context?.name ?? "",
        });
        return config;
      })();
      return loaded;
    },
    close() {},
  };
}

/**
 * client-node reports a failed exec plugin with the plugin's stderr alone ("token expired"); this
 * KubeConfig says which plugin it was, so the log line tells a person what to run or fix.
 */
function namingPlugin(Base: typeof KubeConfig, command: string): typeof KubeConfig {
  const explain = (error: unknown) =>
    new Error(
      `Cannot authenticate with the kubeconfig's credential plugin "${command}": ${
        (error instanceof Error ? error.message : String(error)).trim()
      }`,
      { cause: error },
    );
  return class extends Base {
    override async applySecurityAuthentication(
      ...args: Parameters<KubeConfig["applySecurityAuthentication"]>
    ) {
      try {
        return await super.applySecurityAuthentication(...args);
      } catch (error) {
        throw explain(error);
      }
    }
    override async applyToFetchOptions(...args: Parameters<KubeConfig["applyToFetchOptions"]>) {
      try {
        return await super.applyToFetchOptions(...args);
      } catch (error) {
        throw explain(error);
      }
    }
  };
}

function decodeBase64(data: string): Uint8Array {
  const binary = atob(data.replace(/\s+/g, ""));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
