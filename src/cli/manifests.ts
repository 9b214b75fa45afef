/** `manifests`: prints the install YAML (CRD, RBAC, Deployment, Service) on standard output. */

import { ExitCode } from "./exit_code.ts";
import type { CliIo } from "./io.ts";
import { renderInstallYaml } from "./manifests/install_yaml.ts";
import { readManifestSources } from "./manifests/sources.ts";
import type { ManifestsOptions } from "./options.ts";

/** Renders deploy/ and the CRD for `options.image` and `options.namespace`; exit 0 once printed. */
export async function manifestsCommand(options: ManifestsOptions, io: CliIo): Promise<number> {
  io.stdout(renderInstallYaml(await readManifestSources(), options));
  return ExitCode.ok;
}
