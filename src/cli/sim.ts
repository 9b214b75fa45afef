import { notYetAvailable } from "./_not_yet_available.ts";
import type { CliIo } from "./io.ts";
import type { SimOptions } from "./options.ts";

/** `sim`: only the simulators; prints a kubeconfig path and the OCI endpoint. */
export function simCommand(_options: SimOptions, io: CliIo): Promise<number> {
  return notYetAvailable("sim", io);
}
