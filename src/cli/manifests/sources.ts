/**
 * The files `manifests` renders, read relative to this module: from the repository in a checkout,
 * from the embedded copies in a `deno compile` binary (built with `--include deploy --include crds`).
 */

import { GROUP, PLURAL } from "../../api/constants.ts";
import { type Kustomization, parseKustomization } from "./kustomization.ts";

/** One file, with its path relative to the repository root for messages. */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/** Everything `renderInstallYaml` needs. */
export interface ManifestSources {
  readonly crd: ManifestFile;
  readonly kustomization: Kustomization;
  /** The files kustomization.yaml lists, in its order. */
  readonly resources: readonly ManifestFile[];
}

/** Where the repository root is, seen from this module. */
export const REPOSITORY_ROOT = new URL("../../../", import.meta.url);

/** Path of the kustomize base's kustomization file, relative to the repository root. */
export const KUSTOMIZATION_PATH = "deploy/kustomization.yaml";

/** Path of the CRD, relative to the repository root. */
export const CRD_PATH = `crds/${PLURAL}.${GROUP}.yaml`;

/** Reads the CRD, deploy/kustomization.yaml and every file it lists below `root`. */
export async function readManifestSources(root: URL = REPOSITORY_ROOT): Promise<ManifestSources> {
  const read = async (path: string): Promise<ManifestFile> => {
    try {
      return { path, text: await Deno.readTextFile(new URL(path, root)) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot read ${path}: ${why}`, { cause: error });
    }
  };
  const kustomizationFile = await read(KUSTOMIZATION_PATH);
  const kustomization = parseKustomization(kustomizationFile.text, kustomizationFile.path);
  const base = KUSTOMIZATION_PATH.slice(0, KUSTOMIZATION_PATH.lastIndexOf("/") + 1);
  const [crd, resources] = await Promise.all([
    read(CRD_PATH),
    Promise.all(kustomization.resources.map((file) => read(base + file))),
  ]);
  return { crd, kustomization, resources };
}
