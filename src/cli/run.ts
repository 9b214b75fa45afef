import { notYetAvailable } from "./_not_yet_available.ts";
import type { CliIo } from "./io.ts";
import type { OperatorOptions } from "./options.ts";

/** `run`: builds the adapters, the engine and the servers, and runs until stopped (DESIGN §5). */
export function runCommand(_options: OperatorOptions, io: CliIo): Promise<number> {
  return notYetAvailable("run", io);
}
