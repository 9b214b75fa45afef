import { notYetAvailable } from "./_not_yet_available.ts";
import type { CliIo } from "./io.ts";
import type { PlanOptions } from "./options.ts";

/** `plan`: prints what run would change; 0 in sync, 2 changes pending, 1 error (DESIGN §6). */
export function planCommand(_options: PlanOptions, io: CliIo): Promise<number> {
  return notYetAvailable("plan", io);
}
