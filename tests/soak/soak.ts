/**
 * `deno task soak --minutes N [--seed S] [--processes 1|2] [--nodes 300] [--skip-faults a,b]
 * [--keep-logs] [--help]`: the chaos soak from the command line. Prints progress, then the summary; exits 0 with no invariant
 * violation, 1 otherwise, 2 on a bad command line. Ctrl-C (or a watchdog at twice the planned time
 * plus 5 minutes) stops it and kills every operator process.
 */

import { parseArgs } from "node:util";
import { FAULT_WEIGHTS, type FaultKind } from "./fault_stream.ts";
import { freshSeed } from "./random.ts";
import { runSoak, type SoakOptions } from "./run_soak.ts";
import { formatSummary } from "./summary.ts";

const USAGE = "Usage: deno task soak [--minutes N] [--seed S] [--processes 1|2] [--nodes N] " +
  "[--skip-faults kind,kind] [--keep-logs]";

/** Options of the soak command from `args`; throws with a usage message. */
export function soakOptionsFrom(args: string[]): Omit<SoakOptions, "progress" | "signal"> & {
  minutes: number;
  excludeFaults: FaultKind[];
} {
  const { values } = parseArgs({
    args,
    options: {
      minutes: { type: "string", default: "10" },
      seed: { type: "string" },
      processes: { type: "string", default: "2" },
      nodes: { type: "string", default: "300" },
      "keep-logs": { type: "boolean", default: false },
      "skip-faults": { type: "string", default: "" },
    },
    strict: true,
    allowPositionals: false,
  });
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) {
    throw new Error(`Cannot parse --minutes "${values.minutes}": use a positive number\n${USAGE}`);
  }
  const seed = values.seed === undefined ? freshSeed() : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(
      `Cannot parse --seed "${values.seed}": use an integer from 0 to 4294967295\n${USAGE}`,
    );
  }
  const processes = Number(values.processes);
  if (processes !== 1 && processes !== 2) {
    throw new Error(`Cannot parse --processes "${values.processes}": use 1 or 2\n${USAGE}`);
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 10) {
    throw new Error(
      `Cannot parse --nodes "${values.nodes}": use an integer of at least 10\n${USAGE}`,
    );
  }
  const skipped = values["skip-faults"].split(",").map((k) => k.trim()).filter((k) => k !== "");
  const unknown = skipped.filter((k) => !(k in FAULT_WEIGHTS));
  if (unknown.length > 0) {
    throw new Error(
      `Cannot parse --skip-faults "${values["skip-faults"]}": unknown ${unknown.join(", ")}, ` +
        `use any of ${Object.keys(FAULT_WEIGHTS).join(", ")}\n${USAGE}`,
    );
  }
  const durationMs = minutes * 60_000;
  return {
    minutes,
    seed,
    processes,
    nodes,
    keepLogs: values["keep-logs"],
    durationMs,
    // Rounds of about a minute of chaos; a short soak is one round.
    roundMs: durationMs <= 90_000 ? Math.max(15_000, durationMs - 30_000) : 50_000,
    resyncMs: 15_000,
    warmupMs: Math.min(120_000, durationMs / 4),
    excludeFaults: skipped as FaultKind[],
  };
}

/** What `--help` prints. */
export function soakHelp(): string {
  return [
    USAGE,
    "",
    "  --minutes N          wall time of the chaos (default 10)",
    "  --seed S             replay a seed (default: a fresh one, printed)",
    "  --processes 1|2      operator processes; 2 run with --leader-elect (default 2)",
    "  --nodes N            nodes in the simulated cluster (default 300)",
    "  --skip-faults a,b    fault kinds not to inject",
    "  --keep-logs          keep the operators' log files after a run without violations",
    "",
    `Fault kinds: ${Object.keys(FAULT_WEIGHTS).join(", ")}`,
  ].join("\n");
}

if (import.meta.main) {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(soakHelp());
    Deno.exit(0);
  }
  let options;
  try {
    options = soakOptionsFrom(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort("interrupted");
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  const watchdog = setTimeout(
    () => stop.abort("watchdog: the soak ran far past its planned time"),
    2 * options.durationMs + 5 * 60_000,
  );
  const started = new Date().toISOString();
  console.log(`soak: ${options.minutes} min, seed ${options.seed}, started ${started}`);
  const summary = await runSoak({
    ...options,
    signal: stop.signal,
    progress: (line) => console.log(`  ${line}`),
  });
  clearTimeout(watchdog);
  Deno.removeSignalListener("SIGINT", onSignal);
  Deno.removeSignalListener("SIGTERM", onSignal);
  const replay = `deno task soak --minutes ${options.minutes} --seed ${options.seed}` +
    (options.processes === 1 ? " --processes 1" : "") +
    (options.nodes !== 300 ? ` --nodes ${options.nodes}` : "") +
    (options.excludeFaults.length > 0 ? ` --skip-faults ${options.excludeFaults.join(",")}` : "");
  console.log(formatSummary(summary, replay));
  Deno.exit(summary.violations.length === 0 ? 0 : 1);
}
