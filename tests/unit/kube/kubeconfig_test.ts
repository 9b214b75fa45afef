import assert from "node:assert/strict";
import { KubeError } from "../../../src/kube/errors.ts";
import {
  type ConfigEnvironment,
  isInCluster,
  loadKubeConfig,
  operatorNamespace,
  SERVICE_ACCOUNT_DIR,
} from "../../../src/kube/kubeconfig.ts";

function kubeconfig(contexts: { name: string; namespace?: string }[], current?: string): string {
  const lines = ["apiVersion: v1", "kind: Config", "clusters:"];
  for (const c of contexts) {
    lines.push(
      `- name: ${c.name}-cluster`,
      "  cluster:",
      `    server: https://${c.name}.example:6443`,
    );
  }
  lines.push("users:");
  for (const c of contexts) lines.push(`- name: ${c.name}-user`, "  user:", "    token: t");
  lines.push("contexts:");
  for (const c of contexts) {
    lines.push(
      `- name: ${c.name}`,
      "  context:",
      `    cluster: ${c.name}-cluster`,
      `    user: ${c.name}-user`,
    );
    if (c.namespace) lines.push(`    namespace: ${c.namespace}`);
  }
  if (current) lines.push(`current-context: ${current}`);
  return lines.join("\n") + "\n";
}

function environment(
  env: Record<string, string>,
  files: Record<string, string>,
): ConfigEnvironment {
  return {
    env: (name) => env[name],
    readTextFile(path) {
      const text = files[path];
      if (text === undefined) throw new Deno.errors.NotFound(`No such file: ${path}`);
      return text;
    },
  };
}

const HOME_CONFIG = "/home/me/.kube/config";

Deno.test("loadKubeConfig() reads --kubeconfig and switches to --context", () => {
  const files = { "/etc/k.yaml": kubeconfig([{ name: "a" }, { name: "b" }], "a") };
  const kc = loadKubeConfig({ kubeconfig: "/etc/k.yaml", context: "b" }, environment({}, files));
  assert.equal(kc.getCurrentCluster()?.server, "https://b.example:6443");
});

Deno.test("loadKubeConfig() prefers --kubeconfig over in-cluster even inside a pod", () => {
  const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
  const files = { "/etc/k.yaml": kubeconfig([{ name: "a" }], "a") };
  const kc = loadKubeConfig({ kubeconfig: "/etc/k.yaml" }, environment(env, files));
  assert.equal(kc.getCurrentCluster()?.server, "https://a.example:6443");
});

Deno.test("loadKubeConfig() uses the service account in-cluster when no kubeconfig is given", () => {
  const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
  const kc = loadKubeConfig({}, environment(env, {}));
  assert.equal(kc.getCurrentCluster()?.server, "https://10.96.0.1:443");
  assert.equal(kc.getCurrentCluster()?.caFile, `${SERVICE_ACCOUNT_DIR}/ca.crt`);
  assert.equal(isInCluster({}, environment(env, {})), true);
});

Deno.test("loadKubeConfig() brackets an IPv6 service host in-cluster", () => {
  const env = { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "443" };
  assert.equal(
    loadKubeConfig({}, environment(env, {})).getCurrentCluster()?.server,
    "https://[fd00::1]:443",
  );
});

Deno.test("loadKubeConfig() merges $KUBECONFIG files, the first current-context winning", () => {
  const env = { KUBECONFIG: "/k/one.yaml:/k/missing.yaml:/k/two.yaml" };
  const files = {
    "/k/one.yaml": kubeconfig([{ name: "one" }], "one"),
    "/k/two.yaml": kubeconfig([{ name: "two" }], "two"),
  };
  const kc = loadKubeConfig({}, environment(env, files));
  assert.equal(kc.getCurrentContext(), "one");
  assert.deepEqual(kc.getContexts().map((c) => c.name), ["one", "two"]);
});

Deno.test("loadKubeConfig() falls back to ~/.kube/config", () => {
  const files = { [HOME_CONFIG]: kubeconfig([{ name: "home" }], "home") };
  const kc = loadKubeConfig({}, environment({ HOME: "/home/me" }, files));
  assert.equal(kc.getCurrentContext(), "home");
});

Deno.test("loadKubeConfig() names the file when it is missing", () => {
  assert.throws(
    () => loadKubeConfig({ kubeconfig: "/nope.yaml" }, environment({}, {})),
    (error) =>
      error instanceof KubeError &&
      error.message === 'Cannot read kubeconfig "/nope.yaml": file not found',
  );
});

Deno.test("loadKubeConfig() lists the known contexts when --context is unknown", () => {
  const files = { "/k.yaml": kubeconfig([{ name: "a" }, { name: "b" }], "a") };
  assert.throws(
    () => loadKubeConfig({ kubeconfig: "/k.yaml", context: "c" }, environment({}, files)),
    { message: 'Cannot use context "c": not in kubeconfig (contexts: a, b)' },
  );
});

Deno.test("loadKubeConfig() refuses a kubeconfig with no current context", () => {
  const files = { "/k.yaml": kubeconfig([{ name: "a" }]) };
  assert.throws(
    () => loadKubeConfig({ kubeconfig: "/k.yaml" }, environment({}, files)),
    /no current context with a cluster; pass --context/,
  );
});

Deno.test("operatorNamespace() takes the service-account namespace in-cluster first", () => {
  const env = environment({}, { [`${SERVICE_ACCOUNT_DIR}/namespace`]: "lb-system\n" });
  assert.equal(operatorNamespace({ namespace: "flag-ns", inCluster: true }, env), "lb-system");
});

Deno.test("operatorNamespace() takes --namespace outside a cluster", () => {
  const env = environment({}, { [`${SERVICE_ACCOUNT_DIR}/namespace`]: "lb-system" });
  assert.equal(operatorNamespace({ namespace: "flag-ns", inCluster: false }, env), "flag-ns");
});

Deno.test("operatorNamespace() falls back to the context namespace, then default", () => {
  const files = {
    "/with.yaml": kubeconfig([{ name: "a", namespace: "ctx-ns" }], "a"),
    "/without.yaml": kubeconfig([{ name: "a" }], "a"),
  };
  const env = environment({}, files);
  const withNamespace = loadKubeConfig({ kubeconfig: "/with.yaml" }, env);
  const withoutNamespace = loadKubeConfig({ kubeconfig: "/without.yaml" }, env);
  assert.equal(operatorNamespace({ kubeConfig: withNamespace, inCluster: false }, env), "ctx-ns");
  assert.equal(
    operatorNamespace({ kubeConfig: withoutNamespace, inCluster: false }, env),
    "default",
  );
});

Deno.test("operatorNamespace() falls back to --namespace in-cluster when no namespace file is mounted", () => {
  assert.equal(
    operatorNamespace({ namespace: "flag-ns", inCluster: true }, environment({}, {})),
    "flag-ns",
  );
});
