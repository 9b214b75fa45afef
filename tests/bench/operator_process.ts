/**
 * The operator under test as its own process (`deno run <start permissions> main.ts run …`), so its
 * memory and CPU time are its own. Output is drained into a short tail for failure messages; the
 * process is always killed on `stop`.
 */

import { readCpuMs, readMemory } from "./proc_stats.ts";
import { readStartCommand, type StartCommand } from "../support/start_flags.ts";

/** The operator command line as a person would type it (for the report header). */
export function describeCommand(start: StartCommand, flags: Partial<OperatorFlags>): string {
  const env = Object.entries(start.env).map(([k, v]) => `${k}=${v}`);
  return [...env, "deno run", ...start.denoFlags, "main.ts run", ...operatorArgs(flags)].join(" ");
}

/** Flags of one operator run; durations as the CLI takes them ("1s", "250ms"). */
export interface OperatorFlags {
  kubeconfig: string;
  ociEndpoint: string;
  namespace: string;
  debounce: string;
  workRequestPoll: string;
  resync: string;
  once?: boolean;
  /** Extra deno flags, e.g. --cpu-prof for a profile. */
  denoFlags?: string[];
  /** From `readStartCommand()`; read once per process otherwise. */
  start?: StartCommand;
}

/** A running operator process. */
export interface OperatorProcess extends AsyncDisposable {
  readonly pid: number;
  /** performance.now() just before the spawn. */
  readonly startedAt: number;
  cpuMs(): number;
  memory(): { rss: number; peakRss: number };
  /** Resolves with the exit code when the process ends by itself. */
  readonly exited: Promise<number>;
  /** The last lines the process wrote (stdout and stderr). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

let cachedStart: StartCommand | undefined;
/** Operator processes not yet known to have ended, for `killAllOperators`. */
const live = new Map<number, Deno.ChildProcess>();

/** SIGKILLs every operator process still running (the watchdog and Ctrl-C use it before exiting). */
export function killAllOperators(): void {
  for (const [pid, child] of live) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    live.delete(pid);
  }
}

/** The `run` subcommand's arguments for `flags` (metrics and health servers off, warnings only). */
function operatorArgs(flags: Partial<OperatorFlags>): string[] {
  return [
    ...(flags.kubeconfig ? ["--kubeconfig", flags.kubeconfig] : ["--kubeconfig", "K"]),
    ...(flags.ociEndpoint ? ["--oci-endpoint", flags.ociEndpoint] : ["--oci-endpoint", "U"]),
    ...(flags.namespace
      ? ["--namespace", flags.namespace, "--secret-namespaces", flags.namespace]
      : ["--namespace", "NS", "--secret-namespaces", "NS"]),
    ...(flags.debounce ? ["--debounce", flags.debounce] : []),
    ...(flags.workRequestPoll ? ["--work-request-poll", flags.workRequestPoll] : []),
    ...(flags.resync ? ["--resync", flags.resync] : []),
    "--metrics-addr",
    "off",
    "--health-addr",
    "off",
    "--log-level",
    Deno.env.get("BENCH_LOG_LEVEL") ?? "warning",
    ...(flags.once ? ["--once"] : []),
  ];
}

/** Starts the operator. */
export function startOperator(flags: OperatorFlags): OperatorProcess {
  const start = flags.start ?? (cachedStart ??= readStartCommand());
  const args = [
    "run",
    "--quiet",
    ...start.denoFlags,
    ...(flags.denoFlags ?? []),
    `${start.root}/main.ts`,
    "run",
    ...operatorArgs(flags),
  ];
  const startedAt = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: start.root,
    env: { ...start.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  live.set(child.pid, child);
  const lines: string[] = [];
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      for (const line of decoder.decode(chunk, { stream: true }).split("\n")) {
        if (line.trim() === "") continue;
        lines.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
        if (lines.length > 40) lines.shift();
      }
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]).catch(() => {});
  let alive = true;
  const exited = child.status.then((status) => {
    alive = false;
    live.delete(child.pid);
    return status.code;
  });

  const stop = async (graceMs = 3_000) => {
    if (alive) {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          if (alive) child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
    await drained;
  };

  return {
    pid: child.pid,
    startedAt,
    cpuMs: () => readCpuMs(child.pid),
    memory: () => readMemory(child.pid),
    exited,
    tail: () => lines.join("\n"),
    stop,
    [Symbol.asyncDispose]: () => stop(),
  };
}
