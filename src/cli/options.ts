/**
 * The command line, parsed once: typed, frozen options per subcommand, durations in milliseconds,
 * `off` as null. Every bad value becomes a UsageError whose message names the flag.
 */

import { parseArgs } from "node:util";
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "../log.ts";
import { COMMANDS, type CommandSpec, flagsOf } from "./commands.ts";
import { parseDuration } from "./duration.ts";
import { UsageError } from "./errors.ts";
import { DEFAULT_IMAGE, DEFAULT_INSTALL_NAMESPACE } from "./flags.ts";
import { type ListenAddress, parseListenAddress, sharesPort } from "./listen_address.ts";

export type { ListenAddress, LogFormat, LogLevel };

/** Accepted values of --oci-auth. */
export const OCI_AUTH_MODES = Object.freeze(
  ["api-key", "instance-principal", "workload-identity", "config-file"] as const,
);
/** Where the default OCI credentials come from. */
export type OciAuthMode = typeof OCI_AUTH_MODES[number];

/** Accepted values of plan's --output. */
export const PLAN_OUTPUTS = Object.freeze(["text", "json"] as const);
/** How plan prints. */
export type PlanOutput = typeof PLAN_OUTPUTS[number];

/** What the command line knows about the process that parses it. */
export interface ParseContext {
  /** Whether log lines land on a terminal: picks the default --log-format. */
  readonly isTty: boolean;
}

/** --log-level and --log-format. */
export interface LoggingOptions {
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** Where the cluster and OCI are, shared by run and plan; null means "resolve later" (DESIGN §8). */
export interface ClusterOptions extends LoggingOptions {
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly namespace: string | null;
  /** Base URL without trailing slash, or null for each region's public endpoint. */
  readonly ociEndpoint: string | null;
  readonly ociAuth: OciAuthMode;
  /** As given; a leading "~" is the user's home, expanded by whoever reads the file. */
  readonly ociConfig: string;
  readonly ociProfile: string;
  /** "*" for any, a list, or null for the operator's namespace once it is known. */
  readonly secretNamespaces: "*" | readonly string[] | null;
}

/** Options of `run`. */
export interface OperatorOptions extends ClusterOptions {
  readonly resyncMs: number;
  readonly debounceMs: number;
  readonly workRequestPollMs: number;
  readonly workRequestTimeoutMs: number;
  readonly leaderElect: boolean;
  /** null when `off`. */
  readonly metricsAddr: ListenAddress | null;
  /** null when `off`. */
  readonly healthAddr: ListenAddress | null;
  readonly dryRun: boolean;
  readonly once: boolean;
}

/** Options of `plan`. */
export interface PlanOptions extends ClusterOptions {
  readonly output: PlanOutput;
}

/** Options of `manifests`. */
export interface ManifestsOptions {
  readonly image: string;
  readonly namespace: string;
}

/** Options of `demo`. */
export interface DemoOptions extends LoggingOptions {
  readonly follow: boolean;
}

/** Options of `sim`; a port of 0 picks a free one. */
export interface SimOptions extends LoggingOptions {
  readonly port: number;
  readonly ociPort: number;
  /** The Kubernetes API over HTTPS (default) or, with --http, plain HTTP. */
  readonly https: boolean;
  /** --kubeconfig-out, or null for a file in a new temporary directory. */
  readonly kubeconfigOut: string | null;
}

type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

/** Options of `run` from its arguments (the ones after "run", or all when run is implied). */
export function parseOperatorOptions(
  args: readonly string[],
  context: ParseContext,
): OperatorOptions {
  const values = parseFlags(COMMANDS.run, args);
  // Checked in the order help lists the flags, so the first complaint is the first flag at fault.
  const cluster = clusterOptions(values, context);
  const duration = (flag: string, fallback: string, minMs: number) =>
    parseDuration(`--${flag}`, text(values, flag) ?? fallback, { minMs });
  const resyncMs = duration("resync", "5m", 1_000);
  const debounceMs = duration("debounce", "1s", 0);
  const workRequestPollMs = duration("work-request-poll", "5s", 100);
  const workRequestTimeoutMs = duration("work-request-timeout", "5m", 1_000);
  if (workRequestPollMs > workRequestTimeoutMs) {
    throw new UsageError(
      `Cannot use --work-request-poll ${JSON.stringify(text(values, "work-request-poll"))}: ` +
        `wanted at most --work-request-timeout`,
      { flag: "--work-request-poll" },
    );
  }
  const metricsAddr = parseListenAddress("--metrics-addr", text(values, "metrics-addr") ?? ":8080");
  const healthAddr = parseListenAddress("--health-addr", text(values, "health-addr") ?? ":8081");
  if (metricsAddr && healthAddr && sharesPort(metricsAddr, healthAddr)) {
    throw new UsageError(
      `Cannot use --health-addr ${JSON.stringify(text(values, "health-addr") ?? ":8081")}: ` +
        `--metrics-addr already listens on port ${healthAddr.port}`,
      { flag: "--health-addr" },
    );
  }
  return Object.freeze({
    ...cluster,
    resyncMs,
    debounceMs,
    workRequestPollMs,
    workRequestTimeoutMs,
    leaderElect: values["leader-elect"] === true,
    metricsAddr,
    healthAddr,
    dryRun: values["dry-run"] === true,
    once: values.once === true,
  });
}

/** Options of `plan` from its arguments. */
export function parsePlanOptions(args: readonly string[], context: ParseContext): PlanOptions {
  const values = parseFlags(COMMANDS.plan, args);
  return Object.freeze({
    ...clusterOptions(values, context),
    output: oneOf("--output", text(values, "output") ?? "text", PLAN_OUTPUTS),
  });
}

/** Options of `manifests` from its arguments. */
export function parseManifestsOptions(args: readonly string[]): ManifestsOptions {
  const values = parseFlags(COMMANDS.manifests, args);
  const image = text(values, "image") ?? DEFAULT_IMAGE;
  if (!/^[^\s]+$/.test(image)) {
    throw new UsageError(
      `Cannot use --image ${JSON.stringify(image)}: wanted an image reference without spaces`,
      { flag: "--image" },
    );
  }
  return Object.freeze({
    image,
    namespace: namespaceName("--namespace", text(values, "namespace") ?? DEFAULT_INSTALL_NAMESPACE),
  });
}

/** Options of `demo` from its arguments. */
export function parseDemoOptions(args: readonly string[], context: ParseContext): DemoOptions {
  const values = parseFlags(COMMANDS.demo, args);
  return Object.freeze({
    ...loggingOptions(values, context, "warning"),
    follow: values.follow === true,
  });
}

/** Options of `sim` from its arguments. */
export function parseSimOptions(args: readonly string[], context: ParseContext): SimOptions {
  const values = parseFlags(COMMANDS.sim, args);
  const kubeconfigOut = text(values, "kubeconfig-out");
  return Object.freeze({
    ...loggingOptions(values, context),
    port: portNumber("--port", text(values, "port") ?? "0"),
    ociPort: portNumber("--oci-port", text(values, "oci-port") ?? "0"),
    https: values.http !== true,
    kubeconfigOut: kubeconfigOut === undefined ? null : nonEmpty("--kubeconfig-out", kubeconfigOut),
  });
}

/** The raw flag values of `spec` in `args` (strict: unknown flags and positionals are errors). */
export function parseFlags(spec: CommandSpec, args: readonly string[]): FlagValues {
  const options = Object.fromEntries(
    Object.entries(flagsOf(spec)).map(([name, doc]) => [
      name,
      name === "help" ? { type: doc.type, short: "h" } : { type: doc.type },
    ]),
  );
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw usageErrorFrom(error, spec);
  }
}

/** Turns node:util's parse errors into one line in Deno's style that names the flag. */
function usageErrorFrom(error: unknown, spec: CommandSpec): unknown {
  if (!(error instanceof Error) || !("code" in error)) return error;
  const command = `lb-registrar ${spec.name}`;
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  const flag = quoted.split(" ")[0] ?? "";
  const fail = (message: string, flagged = true) =>
    new UsageError(message, { flag: flagged ? flag : undefined, cause: error });
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return fail(`Unknown flag ${flag}: see ${command} --help`);
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return fail(
        `Unexpected argument ${JSON.stringify(quoted)}: ${command} takes only flags`,
        false,
      );
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (error.message.includes("does not take an argument")) {
        return fail(`Cannot use ${flag} with a value: it is a switch, write ${flag} alone`);
      }
      if (error.message.includes("ambiguous")) {
        return fail(
          `Missing value for ${flag}: a value starting with "-" is written ${flag}=VALUE`,
        );
      }
      return fail(`Missing value for ${flag}: see ${command} --help`);
    default:
      return fail(`${error.message.split("\n")[0]}: see ${command} --help`, false);
  }
}

function loggingOptions(
  values: FlagValues,
  { isTty }: ParseContext,
  defaultLevel: LogLevel = "info",
): LoggingOptions {
  return {
    logLevel: oneOf("--log-level", text(values, "log-level") ?? defaultLevel, LOG_LEVELS),
    logFormat: oneOf(
      "--log-format",
      text(values, "log-format") ?? (isTty ? "text" : "json"),
      LOG_FORMATS,
    ),
  };
}

function clusterOptions(values: FlagValues, context: ParseContext): ClusterOptions {
  const given = (flag: string, parse: (flag: string, raw: string) => string) => {
    const raw = text(values, flag);
    return raw === undefined ? null : parse(`--${flag}`, raw);
  };
  return {
    kubeconfig: given("kubeconfig", nonEmpty),
    context: given("context", nonEmpty),
    namespace: given("namespace", namespaceName),
    ociEndpoint: given("oci-endpoint", httpUrl),
    ociAuth: oneOf("--oci-auth", text(values, "oci-auth") ?? "api-key", OCI_AUTH_MODES),
    ociConfig: nonEmpty("--oci-config", text(values, "oci-config") ?? "~/.oci/config"),
    ociProfile: nonEmpty("--oci-profile", text(values, "oci-profile") ?? "DEFAULT"),
    secretNamespaces: secretNamespaces(text(values, "secret-namespaces")),
    ...loggingOptions(values, context),
  };
}

function text(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  const choices = `${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`;
  throw new UsageError(`Cannot parse ${flag} ${JSON.stringify(raw)}: use ${choices}`, { flag });
}

function nonEmpty(flag: string, raw: string): string {
  if (raw.trim() !== "") return raw;
  throw new UsageError(`Cannot use ${flag} ${JSON.stringify(raw)}: wanted a value`, { flag });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_RULE = `lowercase letters, digits and "-", at most 63`;

function namespaceName(flag: string, raw: string): string {
  if (DNS_LABEL.test(raw)) return raw;
  throw new UsageError(
    `Cannot use ${flag} ${JSON.stringify(raw)}: wanted a namespace name (${NAMESPACE_RULE})`,
    { flag },
  );
}

function secretNamespaces(raw: string | undefined): "*" | readonly string[] | null {
  if (raw === undefined) return null;
  if (raw.trim() === "*") return "*";
  const names = raw.split(",").map((name) => name.trim());
  const bad = names.find((name) => !DNS_LABEL.test(name));
  if (bad !== undefined) {
    const flag = "--secret-namespaces";
    const why = bad === "*"
      ? `"*" stands alone and cannot join a list`
      : `${JSON.stringify(bad)} is not a namespace name (${NAMESPACE_RULE})`;
    throw new UsageError(`Cannot use ${flag} ${JSON.stringify(raw)}: ${why}`, { flag });
  }
  return Object.freeze([...new Set(names)]);
}

function httpUrl(flag: string, raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below, with the other shapes we refuse
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new UsageError(
      `Cannot parse ${flag} ${JSON.stringify(raw)}: use an http:// or https:// URL ` +
        `without query, such as https://oci.example:8443`,
      { flag },
    );
  }
  // The SDKs append "/20170115/…" and "/20200501/…" themselves.
  return raw.replace(/\/+$/, "");
}

function portNumber(flag: string, raw: string): number {
  if (/^\d{1,5}$/.test(raw) && Number(raw) <= 65_535) return Number(raw);
  throw new UsageError(
    `Cannot parse ${flag} ${JSON.stringify(raw)}: use a port number from 0 to 65535`,
    { flag },
  );
}
