/** A kubeconfig pointing at the simulator, with the rules client-node and kubectl need (wire notes §0). */

import YAML from "yaml";

/** What the kubeconfig says. */
export interface KubeconfigOptions {
  server: string;
  token: string;
  /** Trusted CA for an https server; without it an https server is trusted blindly. */
  caPem?: string;
  namespace?: string;
  name?: string;
}

/** The kubeconfig YAML: certificate-authority-data over https, insecure-skip-tls-verify for http. */
export function kubeconfigYaml(options: KubeconfigOptions): string {
  const { server, token, caPem, namespace, name = "kube-sim" } = options;
  const cluster: Record<string, unknown> = { server };
  // client-node refuses plain http unless insecure-skip-tls-verify is set (deno-stack-notes §1).
  if (caPem && server.startsWith("https:")) cluster["certificate-authority-data"] = btoa(caPem);
  else cluster["insecure-skip-tls-verify"] = true;
  const context: Record<string, unknown> = { cluster: name, user: name };
  if (namespace) context.namespace = namespace;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context }],
    "current-context": name,
    preferences: {},
  });
}
