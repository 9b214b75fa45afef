/**
 * `deno task bench [--quick] [--only a,b] [--out dir] [--cpu-prof dir] [--v8-flags f] [--root dir]`:
 * runs the scenarios against the simulators with the operator as a separate process, then writes
 * results.json and results.md (next to this file unless --out says otherwise) and prints the table.
 * --root measures another checkout (its main.ts and start task); --v8-flags and --cpu-prof are
 * added to every operator process (CPU figures are not comparable under --cpu-prof).
 * Runs with -A: Deno reads /proc/<pid> (the operator's memory and CPU) only with all permissions.
 * Not a test: it measures, and marks each target met or not met; a failed scenario is reported
 * with its figures as n/a (NOT MET), never hidden.
 */

import { parseArgs } from "node:util";
import { importFloor, rsaSignMs } from "./calibrate.ts";
import { describeCommand, killAllOperators } from "./operator_process.ts";
import { readStartCommand } from "../support/start_flags.ts";
import { buildResults, type Figure, markdown, runHeader, terminalTable } from "./report.ts";
import { type BenchContext, type Scenario, sessionStarter } from "./scenario.ts";
import { largeCluster } from "./scenarios/large_cluster.ts";
import { resyncCost } from "./scenarios/resync_cost.ts";
import { smallCluster } from "./scenarios/small_cluster.ts";
import { workRequestLatency } from "./scenarios/work_request_latency.ts";
import { writeEconomy } from "./scenarios/write_economy.ts";

const SCENARIOS: Scenario[] = [
  writeEconomy,
  workRequestLatency,
  largeCluster,
  resyncCost,
  smallCluster,
];
/** The large world, for the report header (see world.ts and scenarios/large_cluster.ts). */
const WORLD = "targets 2, 4, 5 and 6 use 5,000 nodes, 100 LBRegistrars and 200 backend sets " +
  "over 20 LBs (10 classic, 10 NLB, 10 sets each); 100 sets take every node, as the original " +
  "operator always did, and 100 take the 100 nodes running their Service's endpoints " +
  "(the shape of plan_bench.ts); work requests finish at once unless a figure says otherwise";
/** Hard stop: the benchmark must never hang, whatever a scenario does. */
const DEADLINE_MS = { full: 290_000, quick: 58_000 };

const { values } = parseArgs({
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
    "cpu-prof": { type: "string" },
    root: { type: "string" },
    "v8-flags": { type: "string" },
  },
});
const quick = values.quick === true;
const mode = quick ? "quick" : "full";
const only = values.only?.split(",").map((s) => s.trim()).filter((s) => s !== "");
const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `bench: Unknown scenario ${JSON.stringify(unknown[0])}: use ${
      SCENARIOS.map((s) => s.name).join(", ")
    }`,
  );
  Deno.exit(2);
}
const outDir = (values.out ?? new URL(".", import.meta.url).pathname).replace(/\/+$/, "");
const extraDenoFlags = [
  ...(values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : []),
  ...(values["v8-flags"] ? [`--v8-flags=${values["v8-flags"]}`] : []),
];

const began = performance.now();
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${DEADLINE_MS[mode] / 1000} s; giving up`);
  killAllOperators();
  Deno.exit(1);
}, DEADLINE_MS[mode]);
Deno.addSignalListener("SIGINT", () => {
  killAllOperators();
  Deno.exit(130);
});

const start = readStartCommand(values.root);
console.log(`bench (${mode}): calibrating…`);
const sign = rsaSignMs();
const floor = await importFloor(start, quick ? 1 : 3);
console.log(
  `  one RSA signature ${sign} ms; operator code loaded in ${floor.ms} ms at ${floor.rssMiB} MiB`,
);

const figures: Figure[] = [];
const details: Record<string, unknown> = { importFloor: floor };
const errors: { scenario: string; message: string }[] = [];
for (const scenario of SCENARIOS) {
  if (only && !only.includes(scenario.name)) continue;
  if (quick && scenario.fullOnly) {
    for (const spec of scenario.figures) {
      figures.push({
        ...spec,
        value: NaN,
        ideal: null,
        note: "not measured in a --quick run",
        skipped: true,
      });
    }
    continue;
  }
  const put: BenchContext["put"] = (name, value, ideal, note, samples) => {
    const spec = scenario.figures.find((f) => f.name === name);
    if (!spec) throw new Error(`BUG: scenario ${scenario.name} has no figure "${name}"`);
    figures.push({ ...spec, value, ideal, note, ...(samples ? { samples } : {}) });
  };
  const skip: BenchContext["skip"] = (name) => {
    const spec = scenario.figures.find((f) => f.name === name);
    if (!spec) throw new Error(`BUG: scenario ${scenario.name} has no figure "${name}"`);
    figures.push({
      ...spec,
      value: NaN,
      ideal: null,
      note: "not measured in a --quick run",
      skipped: true,
    });
  };
  const ctx: BenchContext = {
    quick,
    start,
    extraDenoFlags,
    rsaSignMs: sign,
    importFloor: floor,
    session: sessionStarter(start, extraDenoFlags),
    put,
    skip,
    detail: (key, value) => void (details[key] = value),
    log: (message) => console.log(message),
  };
  const t0 = performance.now();
  console.log(`${scenario.name}…`);
  try {
    await scenario.run(ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push({ scenario: scenario.name, message });
    console.error(`  FAILED: ${message}`);
  }
  for (const spec of scenario.figures) {
    if (figures.some((f) => f.name === spec.name)) continue;
    figures.push({
      ...spec,
      value: NaN,
      ideal: null,
      note: `not measured: ${scenario.name} failed`,
    });
  }
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
clearTimeout(watchdog);

figures.sort((a, b) => a.target - b.target);
const wall = (performance.now() - began) / 1000;
const header = runHeader(
  mode,
  describeCommand(
    { ...start, denoFlags: [...start.denoFlags, ...extraDenoFlags] },
    { debounce: "…", workRequestPoll: "…", resync: "…" },
  ),
  sign,
  WORLD,
);
const results = buildResults(header, wall, figures, details, errors);
await Deno.mkdir(outDir, { recursive: true });
await Deno.writeTextFile(`${outDir}/results.json`, JSON.stringify(results, null, 2) + "\n");
await Deno.writeTextFile(`${outDir}/results.md`, markdown(results));
// The table as `deno fmt` lays it out, so a committed results.md passes `deno task check`.
await new Deno.Command(Deno.execPath(), {
  args: ["fmt", "--quiet", `${outDir}/results.md`],
  stdout: "null",
  stderr: "null",
}).output().catch(() => {});
console.log("");
console.log(terminalTable(results));
console.log(`\n${mode} run: ${wall.toFixed(1)} s; wrote ${outDir}/results.json and results.md`);
Deno.exit(errors.length > 0 ? 1 : 0);
