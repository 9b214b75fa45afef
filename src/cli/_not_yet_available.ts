import { ExitCode } from "./exit_code.ts";
import type { CliIo } from "./io.ts";

/** Says that `command` lands with a later change, and fails. */
export function notYetAvailable(command: string, io: CliIo): Promise<number> {
  io.stderr(`lb-registrar ${command}: not yet available in this build\n`);
  return Promise.resolve(ExitCode.failure);
}
