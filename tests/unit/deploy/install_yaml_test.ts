import assert from "node:assert/strict";
import YAML from "yaml";
import type { CliIo } from "../../../src/cli/io.ts";
import { main } from "../../../src/cli/main.ts";
import { DEFAULT_IMAGE, DEFAULT_INSTALL_NAMESPACE } from "../../../src/cli/flags.ts";
import { GENERATED_HEADER } from "../../../src/cli/manifests/install_yaml.ts";
import { parseKustomization } from "../../../src/cli/manifests/kustomization.ts";
import { installObjects, installYamlText, only } from "./_install_yaml.ts";

const DEPLOY = new URL("../../../deploy/", import.meta.url);
const CLUSTER_SCOPED = [
  "CustomResourceDefinition",
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
];

async function manifestsOutput(...args: string[]): Promise<string> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
  };
  const code = await main(["manifests", ...args], io);
  assert.equal(code, 0, stderr);
  return stdout;
}

Deno.test("manifests with default flags prints exactly the committed deploy/install.yaml", async () => {
  const generated = await manifestsOutput();
  assert.ok(
    generated === await installYamlText(),
    "deploy/install.yaml is out of date: regenerate it with `deno task manifests`",
  );
});

Deno.test("deploy/install.yaml starts with the CRD, holds it once, and names every object", async () => {
  const text = await installYamlText();
  assert.equal(text.split("\n")[0], GENERATED_HEADER);
  const objects = await installObjects();
  assert.equal(objects[0]?.kind, "CustomResourceDefinition");
  assert.equal(objects.filter((o) => o.kind === "CustomResourceDefinition").length, 1);
  const keys = new Set<string>();
  for (const object of objects) {
    assert.equal(typeof object.apiVersion, "string");
    assert.equal(typeof object.kind, "string");
    assert.equal(typeof object.metadata?.name, "string", JSON.stringify(object).slice(0, 80));
    keys.add(`${object.kind}/${object.metadata.namespace ?? ""}/${object.metadata.name}`);
  }
  assert.equal(keys.size, objects.length, "an object appears twice");
  for (
    const kind of ["Namespace", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service"]
  ) {
    assert.ok(objects.some((o) => o.kind === kind), `install.yaml has a ${kind}`);
  }
  assert.equal(objects.some((o) => o.kind === "ServiceMonitor"), false);
});

Deno.test("deploy/install.yaml puts every namespaced object, and only those, in the operator namespace", async () => {
  const objects = await installObjects();
  assert.equal(only(objects, "Namespace").metadata.name, DEFAULT_INSTALL_NAMESPACE);
  for (const object of objects) {
    const expected = CLUSTER_SCOPED.includes(object.kind) ? undefined : DEFAULT_INSTALL_NAMESPACE;
    assert.equal(object.metadata.namespace, expected, `${object.kind} ${object.metadata.name}`);
  }
});

Deno.test("manifests --image --namespace moves every object and subject and swaps the image", async () => {
  const text = await manifestsOutput(
    "--image",
    "registry.example/lbr@sha256:0123",
    "--namespace",
    "lb",
  );
  assert.equal(text.includes(DEFAULT_INSTALL_NAMESPACE), false, "default namespace left behind");
  const objects = YAML.parseAllDocuments(text).map((doc) => doc.toJS());
  assert.equal(objects.find((o) => o.kind === "Namespace").metadata.name, "lb");
  for (const object of objects.filter((o) => !CLUSTER_SCOPED.includes(o.kind))) {
    assert.equal(object.metadata.namespace, "lb", object.kind);
  }
  for (const binding of objects.filter((o) => o.kind.endsWith("RoleBinding"))) {
    assert.deepEqual(binding.subjects.map((s: { namespace: string }) => s.namespace), ["lb"]);
  }
  const [container] = objects.find((o) => o.kind === "Deployment").spec.template.spec.containers;
  assert.equal(container.image, "registry.example/lbr@sha256:0123");
  assert.match(text.split("\n")[1]!, /--image registry\.example\/lbr@sha256:0123 --namespace lb$/);
});

Deno.test("deploy/kustomization.yaml lists every base file and agrees with the manifests defaults", async () => {
  const kustomization = parseKustomization(
    await Deno.readTextFile(new URL("kustomization.yaml", DEPLOY)),
    "deploy/kustomization.yaml",
  );
  // kubectl apply -k deploy and lb-registrar manifests install the same image in the same place.
  assert.equal(kustomization.namespace, DEFAULT_INSTALL_NAMESPACE);
  assert.equal(`${kustomization.image.name}:${kustomization.image.newTag}`, DEFAULT_IMAGE);
  const files: string[] = [];
  for await (const entry of Deno.readDir(DEPLOY)) {
    if (entry.isFile && /\.ya?ml$/.test(entry.name)) files.push(entry.name);
  }
  const expected = files.filter((f) => f !== "kustomization.yaml" && f !== "install.yaml");
  assert.deepEqual([...kustomization.resources].sort(), expected.sort());
});

Deno.test("the optional ServiceMonitor scrapes the metrics Service by its labels and port name", async () => {
  const optional = new URL("optional/service_monitor/", DEPLOY);
  const component = YAML.parse(await Deno.readTextFile(new URL("kustomization.yaml", optional)));
  assert.equal(component.kind, "Component");
  const [file] = component.resources;
  const monitor = YAML.parse(await Deno.readTextFile(new URL(file, optional)));
  assert.equal(monitor.kind, "ServiceMonitor");
  const service = only(await installObjects(), "Service");
  assert.equal(monitor.metadata.namespace, service.metadata.namespace);
  for (const [label, value] of Object.entries(monitor.spec.selector.matchLabels)) {
    assert.equal(service.metadata.labels?.[label], value, label);
  }
  const ports = (service.spec as { ports: { name: string }[] }).ports.map((p) => p.name);
  assert.deepEqual(monitor.spec.endpoints.map((e: { port: string }) => e.port), ["metrics"]);
  assert.ok(ports.includes("metrics"));
});
