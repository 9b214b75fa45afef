/** The subcommands (DESIGN §6): what each is for, how it is called and which flags it takes. */

import {
  DEMO_FLAGS,
  DEMO_LOG_FLAGS,
  ENGINE_FLAGS,
  type FlagDocs,
  HELP_FLAG,
  KUBE_FLAGS,
  LOG_FLAGS,
  MANIFESTS_FLAGS,
  OCI_FLAGS,
  PLAN_FLAGS,
  SERVE_FLAGS,
  SIM_FLAGS,
} from "./flags.ts";

/** A titled group of flags in a command's help. */
export interface FlagSection {
  readonly title: string;
  readonly flags: FlagDocs;
}

/** One subcommand as help and the parser see it. */
export interface CommandSpec {
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** The usage line, without the leading "Usage: ". */
  readonly usage: string;
  /** Lines printed under the usage line (behaviour, exit codes). */
  readonly about: readonly string[];
  readonly sections: readonly FlagSection[];
}

const help: FlagSection = { title: "Help", flags: HELP_FLAG };
const cluster: FlagSection = { title: "Kubernetes", flags: KUBE_FLAGS };
const oci: FlagSection = { title: "OCI", flags: OCI_FLAGS };
const logging: FlagSection = { title: "Logging", flags: LOG_FLAGS };

/** Every subcommand, in the order help lists them. */
export const COMMANDS = {
  run: {
    name: "run",
    summary: "run the operator (the default when the first argument is a flag or absent)",
    usage: "lb-registrar [run] [flags]",
    about: [
      "Keeps the backend sets named by LBRegistrar objects filled with the cluster's nodes.",
      "Exit codes: 0 stopped cleanly (or --once synced), 1 runtime error, 2 bad command line.",
    ],
    sections: [
      cluster,
      oci,
      { title: "Engine", flags: ENGINE_FLAGS },
      { title: "Servers", flags: SERVE_FLAGS },
      logging,
      help,
    ],
  },
  plan: {
    name: "plan",
    summary: "read only: print per backend set what would be added, drained or removed",
    usage: "lb-registrar plan [flags]",
    about: [
      "Reads the cluster and OCI, writes nothing, and prints what `run` would change.",
      "Exit codes: 0 every backend set in sync, 2 changes pending (or a bad command line),",
      "1 an object could not be planned (errors win over pending changes).",
    ],
    sections: [cluster, oci, { title: "Output", flags: PLAN_FLAGS }, logging, help],
  },
  manifests: {
    name: "manifests",
    summary: "print the install YAML (CRD, RBAC, Deployment)",
    usage: "lb-registrar manifests [flags] > install.yaml",
    about: ["Exit codes: 0 printed, 1 runtime error, 2 bad command line."],
    sections: [{ title: "Install", flags: MANIFESTS_FLAGS }, help],
  },
  demo: {
    name: "demo",
    summary: "run the operator against the built-in simulators, with a live table",
    usage: "lb-registrar demo [flags]",
    about: [
      "Plays a short story (nodes join, go NotReady, are excluded, a NodePort changes, a node",
      "is deleted) and shows each backend set after every step, then a summary.",
      "Everything stays on 127.0.0.1; no cluster or OCI account is needed.",
      "Exit codes: 0 the story ran, 1 a step did not settle in time, 2 bad command line.",
    ],
    sections: [
      { title: "Demo", flags: DEMO_FLAGS },
      { title: "Logging", flags: DEMO_LOG_FLAGS },
      help,
    ],
  },
  sim: {
    name: "sim",
    summary: "run only the simulators; print a kubeconfig path and the OCI endpoint",
    usage: "lb-registrar sim [flags]",
    about: [
      "Serves the Kubernetes and OCI simulators on 127.0.0.1 until Ctrl-C, seeded with a small",
      "cluster, a classic LB and an NLB, and an API key stored as a Secret; prints how to use them.",
    ],
    sections: [{ title: "Simulators", flags: SIM_FLAGS }, logging, help],
  },
  version: {
    name: "version",
    summary: "print the version",
    usage: "lb-registrar version",
    about: [],
    sections: [help],
  },
  help: {
    name: "help",
    summary: "print this overview, or the flags of one command: help <command>",
    usage: "lb-registrar help [command]",
    about: [],
    sections: [help],
  },
} as const satisfies Record<string, CommandSpec>;

/** Name of a subcommand. */
export type CommandName = keyof typeof COMMANDS;

/** Whether `name` is a subcommand. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** All flags of a command, keyed by name. */
export function flagsOf(spec: CommandSpec): FlagDocs {
  return Object.assign({}, ...spec.sections.map((section) => section.flags));
}
