/** Help texts, rendered from the command table so that they list exactly the flags parsed. */

import { VERSION } from "../version.ts";
import { COMMANDS, type CommandSpec, type FlagSection } from "./commands.ts";
import type { FlagDoc } from "./flags.ts";

const WIDTH = 100;
const NAME_COLUMN = 35;

/** `lb-registrar --help` and `lb-registrar help`: the commands, then the flags of run. */
export function overviewHelp(): string {
  const names = Object.keys(COMMANDS);
  const column = Math.max(...names.map((name) => name.length)) + 2;
  return [
    `lb-registrar ${VERSION}: keeps the backend sets of existing OCI load balancers`,
    "filled with the cluster's nodes, driven by LBRegistrar objects.",
    "",
    "Usage: lb-registrar [command] [flags]",
    "",
    "Commands:",
    ...Object.values(COMMANDS).map((spec) => `  ${spec.name.padEnd(column)}${spec.summary}`),
    "",
    "Run `lb-registrar <command> --help` for the flags of one command.",
    "Flags of run, the default command:",
    "",
    ...sectionLines(COMMANDS.run.sections),
  ].join("\n") + "\n";
}

/** `lb-registrar <command> --help`: usage, what it does, and every flag with default and meaning. */
export function commandHelp(spec: CommandSpec): string {
  return [
    `Usage: ${spec.usage}`,
    "",
    spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1) + ".",
    ...spec.about,
    "",
    ...sectionLines(spec.sections),
  ].join("\n") + "\n";
}

function sectionLines(sections: readonly FlagSection[]): string[] {
  return sections.flatMap((section) => [
    `${section.title}:`,
    ...Object.entries(section.flags).flatMap(([name, doc]) => flagLines(name, doc)),
    "",
  ]).slice(0, -1);
}

function flagLines(name: string, doc: FlagDoc): string[] {
  const spelled = name === "help" ? "-h, --help" : `--${name}${doc.value ? ` ${doc.value}` : ""}`;
  // The longest flag, "--work-request-timeout DURATION", still leaves a gap before the meaning.
  const indent = " ".repeat(NAME_COLUMN);
  const lines = doc.help.split("\n").map((line, i) =>
    (i === 0 ? `  ${spelled}`.padEnd(NAME_COLUMN) : indent) + line
  );
  if (!doc.default) return lines;
  const byDefault = `[default: ${doc.default}]`;
  const last = lines.length - 1;
  if (`${lines[last]} ${byDefault}`.length <= WIDTH) lines[last] += ` ${byDefault}`;
  else lines.push(indent + byDefault);
  return lines;
}
