/** Picks the subcommand, parses its flags, and turns the outcome into an exit code. */

import { configureLogging, getLogger, redactText, resetLogging } from "../log.ts";
import { routeConsoleWarn } from "./console_to_log.ts";
import { VERSION } from "../version.ts";
import { type CommandName, COMMANDS, isCommandName } from "./commands.ts";
import { UsageError } from "./errors.ts";
import { ExitCode } from "./exit_code.ts";
import { commandHelp, overviewHelp } from "./help.ts";
import type { CliIo } from "./io.ts";
import {
  type LoggingOptions,
  parseDemoOptions,
  parseFlags,
  parseManifestsOptions,
  parseOperatorOptions,
  parsePlanOptions,
  parseSimOptions,
} from "./options.ts";

/** Runs `lb-registrar <args>` and returns the exit code; never exits the process itself. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  // `deno task start -- plan` hands us the "--" too (DESIGN §8): a leading one is only a separator.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  const [first, ...rest] = args;
  // `run` is the default: `lb-registrar --kubeconfig k` runs the operator (DESIGN §8).
  const implied = first === undefined || first.startsWith("-");
  const name = implied ? "run" : first;
  try {
    if (implied && wantsHelp(args)) return print(io, overviewHelp());
    if (!isCommandName(name)) {
      throw new UsageError(
        `Unknown command ${JSON.stringify(name)}: use ${Object.keys(COMMANDS).join(", ")}`,
      );
    }
    const commandArgs = implied ? args : rest;
    if (wantsHelp(commandArgs)) return print(io, commandHelp(COMMANDS[name]));
    return await dispatch(name, commandArgs, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lb-registrar: ${error.message}\n`);
      return ExitCode.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`lb-registrar ${name}: ${redactText(message)}\n`);
    return ExitCode.failure;
  }
}

async function dispatch(name: CommandName, args: readonly string[], io: CliIo): Promise<number> {
  // Commands load on demand: help, version and usage errors never pull in the SDKs (nor need
  // the permissions those ask for at import).
  switch (name) {
    case "run": {
      const options = parseOperatorOptions(args, io);
      const { runCommand } = await import("./run.ts");
      return await withLogging(options, io, () => runCommand(options, io));
    }
    case "plan": {
      const options = parsePlanOptions(args, io);
      const { planCommand } = await import("./plan.ts");
      return await withLogging(options, io, () => planCommand(options, io));
    }
    case "manifests": {
      const options = parseManifestsOptions(args);
      const { manifestsCommand } = await import("./manifests.ts");
      return await manifestsCommand(options, io);
    }
    case "demo": {
      const options = parseDemoOptions(args, io);
      const { demoCommand } = await import("./demo.ts");
      return await withLogging(options, io, () => demoCommand(options, io));
    }
    case "sim": {
      const options = parseSimOptions(args, io);
      const { simCommand } = await import("./sim.ts");
      return await withLogging(options, io, () => simCommand(options, io));
    }
    case "version":
      parseFlags(COMMANDS.version, args);
      return print(io, `lb-registrar ${VERSION}\n`);
    case "help":
      return print(io, helpFor(args));
  }
}

/** `help` alone is the overview; `help <command>` is that command's help. */
function helpFor(args: readonly string[]): string {
  if (args.length === 0) return overviewHelp();
  const [topic, ...extra] = args;
  if (extra.length > 0 || topic === undefined || !isCommandName(topic)) {
    throw new UsageError(
      `Cannot show help for ${JSON.stringify(args.join(" "))}: ` +
        `use lb-registrar help <command>, one of ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  return commandHelp(COMMANDS[topic]);
}

function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}

function print(io: CliIo, text: string): number {
  io.stdout(text);
  return ExitCode.ok;
}

/** Logs go to standard error for the command's life, so standard output stays data only. */
async function withLogging(
  options: LoggingOptions,
  io: CliIo,
  body: () => Promise<number>,
): Promise<number> {
  await configureLogging({ level: options.logLevel, format: options.logFormat, write: io.stderr });
  const restoreConsole = routeConsoleWarn(getLogger("sdk"));
  try {
    return await body();
  } finally {
    restoreConsole();
    await resetLogging();
  }
}
