import assert from "node:assert/strict";
import YAML from "yaml";
import { GENERATED_HEADER, renderInstallYaml } from "../../../src/cli/manifests/install_yaml.ts";
import { parseKustomization } from "../../../src/cli/manifests/kustomization.ts";
import type { ManifestSources } from "../../../src/cli/manifests/sources.ts";

const CRD = `# hand-written
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.dev
spec:
  rule: >-
    a long folded line that the renderer must leave exactly as written in the file, every character
`;
const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: base-ns
`;
const BINDING = `# kept comment
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: op
  namespace: base-ns
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: op}
subjects:
  - kind: ServiceAccount
    name: op
    namespace: base-ns
  - kind: User
    name: alice
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: op
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: busybox:1.36
      containers:
        - name: op
          image: ghcr.io/acme/op:0.0.1
`;

function sources(
  files: Record<string, string>,
  image = "ghcr.io/acme/op",
  crd = CRD,
): ManifestSources {
  return {
    crd: { path: "crds/things.yaml", text: crd },
    kustomization: {
      namespace: "base-ns",
      resources: Object.keys(files),
      image: { name: image, newTag: "1" },
    },
    resources: Object.entries(files).map(([path, text]) => ({ path, text })),
  };
}

const OPTIONS = { image: "registry.example/op:2.0", namespace: "target" };

Deno.test("renderInstallYaml() puts the CRD first as written, then the base moved into --namespace", () => {
  const text = renderInstallYaml(
    sources({ "ns.yaml": NAMESPACE, "binding.yaml": BINDING, "deploy.yaml": DEPLOYMENT }),
    OPTIONS,
  );
  assert.ok(
    text.startsWith(
      `${GENERATED_HEADER}\n# lb-registrar manifests --image ${OPTIONS.image} --namespace target\n---\n${CRD}---\n`,
    ),
  );
  const [crd, namespace, binding, deployment] = YAML.parseAllDocuments(text).map((d) => d.toJS());
  assert.equal(crd.kind, "CustomResourceDefinition");
  assert.equal(crd.metadata.namespace, undefined);
  assert.equal(namespace.metadata.name, "target");
  assert.equal(binding.metadata.namespace, "target");
  assert.deepEqual(binding.subjects, [
    { kind: "ServiceAccount", name: "op", namespace: "target" },
    { kind: "User", name: "alice" },
  ]);
  assert.equal(deployment.metadata.namespace, "target");
  assert.equal(deployment.spec.template.spec.containers[0].image, "registry.example/op:2.0");
  // Only the kustomization's image is the operator: other images stay.
  assert.equal(deployment.spec.template.spec.initContainers[0].image, "busybox:1.36");
  assert.ok(text.includes("# kept comment\napiVersion: rbac.authorization.k8s.io/v1"));
});

Deno.test("renderInstallYaml() skips empty documents and renders several from one file", () => {
  const text = renderInstallYaml(
    sources({ "all.yaml": `---\n${NAMESPACE}---\n${DEPLOYMENT}---\n` }),
    OPTIONS,
  );
  assert.deepEqual(
    YAML.parseAllDocuments(text).map((d) => d.toJS().kind),
    ["CustomResourceDefinition", "Namespace", "Deployment"],
  );
});

Deno.test("renderInstallYaml() refuses bases it cannot render faithfully, naming the file", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { "a.yaml": NAMESPACE, "b.yaml": NAMESPACE, "d.yaml": DEPLOYMENT },
      /^Cannot render b\.yaml \(document 1\): Namespace\/base-ns appears twice$/,
    ],
    [{ "d.yaml": DEPLOYMENT }, /the base holds 0 Namespaces, wanted 1/],
    [
      { "n.yaml": NAMESPACE, "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n" },
      /^Cannot render x\.yaml \(document 1\): metadata\.name is missing$/,
    ],
    [{ "n.yaml": NAMESPACE, "x.yaml": "kind: [unclosed\n" }, /^Cannot parse x\.yaml: /],
    [{ "n.yaml": NAMESPACE }, /no container runs image "ghcr\.io\/acme\/op"/],
  ];
  for (const [files, message] of cases) {
    assert.throws(() => renderInstallYaml(sources(files), OPTIONS), { message });
  }
  assert.throws(
    () =>
      renderInstallYaml(sources({ "n.yaml": NAMESPACE }, "ghcr.io/acme/op", NAMESPACE), OPTIONS),
    { message: "Cannot render crds/things.yaml: wanted exactly one CustomResourceDefinition" },
  );
});

Deno.test("renderInstallYaml() matches the image by name whatever its tag or digest", () => {
  for (const image of ["ghcr.io/acme/op", "ghcr.io/acme/op:0.0.1", "ghcr.io/acme/op@sha256:ab"]) {
    const text = renderInstallYaml(
      sources({
        "n.yaml": NAMESPACE,
        "d.yaml": DEPLOYMENT.replace("ghcr.io/acme/op:0.0.1", image),
      }),
      OPTIONS,
    );
    assert.ok(text.includes("image: registry.example/op:2.0"), image);
  }
  // A registry port is not a tag.
  const text = renderInstallYaml(
    sources({
      "n.yaml": NAMESPACE,
      "d.yaml": DEPLOYMENT.replace("ghcr.io/acme/op:0.0.1", "reg:5000/op"),
    }, "reg:5000/op"),
    OPTIONS,
  );
  assert.ok(text.includes("image: registry.example/op:2.0"));
});

Deno.test("parseKustomization() reads namespace, resources and the one image", () => {
  const kustomization = parseKustomization(
    `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ns
resources: [a.yaml, b.yml]
images:
  - name: ghcr.io/acme/op
    newTag: "1.2.3"
`,
    "k.yaml",
  );
  assert.deepEqual(kustomization, {
    namespace: "ns",
    resources: ["a.yaml", "b.yml"],
    image: { name: "ghcr.io/acme/op", newTag: "1.2.3" },
  });
});

Deno.test("parseKustomization() refuses fields and shapes the generator does not apply", () => {
  const base = "kind: Kustomization\nnamespace: ns\nresources: [a.yaml]\n" +
    "images: [{name: x, newTag: '1'}]\n";
  const cases: [string, string][] = [
    [
      base + "namePrefix: p-\npatches: []\n",
      "Cannot use k.yaml: lb-registrar manifests does not apply namePrefix, patches (it knows apiVersion, kind, namespace, resources, images)",
    ],
    [
      base.replace("[a.yaml]", "[../crds]"),
      'Cannot use k.yaml: resource "../crds" is not a .yaml file name in the same folder',
    ],
    [
      base.replace("[{name: x, newTag: '1'}]", "[]"),
      "Cannot use k.yaml: images must hold exactly one entry: the operator's image",
    ],
    [
      base.replace("newTag: '1'", "digest: sha256:ab"),
      "Cannot use k.yaml: the images entry must have exactly name and newTag, both strings",
    ],
    [
      base.replace("Kustomization", "Component"),
      "Cannot use k.yaml: kind is Component, wanted Kustomization",
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseKustomization(text, "k.yaml"), { message });
  }
});
