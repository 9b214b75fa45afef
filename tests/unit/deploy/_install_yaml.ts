/** The committed deploy/install.yaml, parsed, for the deploy tests. */
import YAML from "yaml";

/** Any object of install.yaml, with the fields every object has. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Where deploy/install.yaml lives. */
export const INSTALL_YAML = new URL("../../../deploy/install.yaml", import.meta.url);

/** The text of deploy/install.yaml. */
export function installYamlText(): Promise<string> {
  return Deno.readTextFile(INSTALL_YAML);
}

/** Every document of deploy/install.yaml as plain data, in order. */
export async function installObjects(): Promise<Manifest[]> {
  return YAML.parseAllDocuments(await installYamlText()).map((doc) => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS() as Manifest;
  });
}

/** The single object of `kind` (and `name`, when given); throws when there is not exactly one. */
export function only(objects: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = objects.filter((o) =>
    o.kind === kind && (name === undefined || o.metadata.name === name)
  );
  if (found.length !== 1) {
    throw new Error(`Wanted one ${kind} ${name ?? ""} in install.yaml, found ${found.length}`);
  }
  return found[0]!;
}
