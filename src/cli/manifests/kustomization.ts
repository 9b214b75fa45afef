/**
 * The part of deploy/kustomization.yaml that `manifests` understands. Any other field is refused,
 * so the generator can never silently render something different from `kubectl apply -k deploy`.
 */

import YAML from "yaml";

/** What `manifests` takes from kustomization.yaml. */
export interface Kustomization {
  /** `namespace`: the namespace kustomize moves every namespaced object into. */
  readonly namespace: string;
  /** `resources`: file names inside deploy/, in the order they are rendered. */
  readonly resources: readonly string[];
  /** The single `images` entry: the operator's image, which --image replaces. */
  readonly image: { readonly name: string; readonly newTag: string };
}

const KNOWN_FIELDS = ["apiVersion", "kind", "namespace", "resources", "images"];
// Plain files next to kustomization.yaml: no folders, remote bases or parent paths to follow.
const RESOURCE_FILE = /^[a-z0-9][a-z0-9_.-]*\.ya?ml$/;

/** Reads the fields above from the text of `path`; throws naming the field when it cannot. */
export function parseKustomization(text: string, path: string): Kustomization {
  const fail = (why: string) => new Error(`Cannot use ${path}: ${why}`);
  const value: unknown = YAML.parse(text);
  if (!isRecord(value)) throw fail("wanted a mapping");
  const unknown = Object.keys(value).filter((field) => !KNOWN_FIELDS.includes(field));
  if (unknown.length > 0) {
    throw fail(
      `lb-registrar manifests does not apply ${unknown.join(", ")} (it knows ${
        KNOWN_FIELDS.join(", ")
      })`,
    );
  }
  if (value.kind !== "Kustomization") {
    throw fail(`kind is ${String(value.kind)}, wanted Kustomization`);
  }
  const { namespace, resources, images } = value;
  if (typeof namespace !== "string" || namespace === "") throw fail("namespace is missing");
  if (!Array.isArray(resources) || resources.length === 0) throw fail("resources is missing");
  const bad = resources.find((file) => typeof file !== "string" || !RESOURCE_FILE.test(file));
  if (bad !== undefined) {
    throw fail(`resource ${JSON.stringify(bad)} is not a .yaml file name in the same folder`);
  }
  if (!Array.isArray(images) || images.length !== 1) {
    throw fail("images must hold exactly one entry: the operator's image");
  }
  const [image] = images;
  if (
    !isRecord(image) || typeof image.name !== "string" || typeof image.newTag !== "string" ||
    Object.keys(image).some((field) => field !== "name" && field !== "newTag")
  ) {
    throw fail("the images entry must have exactly name and newTag, both strings");
  }
  return Object.freeze({
    namespace,
    resources: Object.freeze([...resources] as string[]),
    image: Object.freeze({ name: image.name, newTag: image.newTag }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
