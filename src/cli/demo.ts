import { notYetAvailable } from "./_not_yet_available.ts";
import type { CliIo } from "./io.ts";
import type { DemoOptions } from "./options.ts";

/** `demo`: the operator against the built-in simulators, with a live table. */
export function demoCommand(_options: DemoOptions, io: CliIo): Promise<number> {
  return notYetAvailable("demo", io);
}
