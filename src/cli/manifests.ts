import { notYetAvailable } from "./_not_yet_available.ts";
import type { CliIo } from "./io.ts";
import type { ManifestsOptions } from "./options.ts";

/** `manifests`: prints the install YAML (CRD, RBAC, Deployment) on standard output. */
export function manifestsCommand(_options: ManifestsOptions, io: CliIo): Promise<number> {
  return notYetAvailable("manifests", io);
}
