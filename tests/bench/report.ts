/** Figures of a benchmark run, and how they are written: results.json and a markdown table. */

import { readMachine } from "./proc_stats.ts";

/** One line of the table. */
export interface Figure {
  /** Issue target number (1–7). */
  target: number;
  name: string;
  unit: "ms" | "s" | "MiB" | "count" | "per set";
  /** Our value; NaN when the scenario could not measure it. */
  value: number;
  /** The structural minimum, or null when there is no meaningful one. */
  ideal: number | null;
  /** What the target allows (value must be ≤ limit unless `exact`); null for information only. */
  limit: number | null;
  /** The value must equal the limit (counts such as "0 PUTs"). */
  exact?: boolean;
  /** How the value was obtained (median of n, p99 of n samples…) and what the ideal is. */
  note: string;
  samples?: number[];
  /** Not measured in this run (a --quick run leaves some scenarios out). */
  skipped?: boolean;
}

/** Met, not met, or information (no limit). */
export function verdict(figure: Figure): "met" | "NOT MET" | "info" | "skipped" {
  if (figure.skipped) return "skipped";
  if (figure.limit === null) return "info";
  if (Number.isNaN(figure.value)) return "NOT MET";
  const ok = figure.exact ? figure.value === figure.limit : figure.value <= figure.limit;
  return ok ? "met" : "NOT MET";
}

/** What describes the machine and software of a run. */
export interface RunHeader {
  date: string;
  mode: "full" | "quick";
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  deno: string;
  v8: string;
  typescript: string;
  /** The operator command, as the benchmark started it. */
  operatorCommand: string;
  /** Measured in this process: one RSA-SHA256 signature (every OCI request needs one). */
  rsaSignMs: number;
  /** What the simulated cluster and OCI hold, in a sentence. */
  world: string;
}

/** The header of this run. */
export function runHeader(
  mode: "full" | "quick",
  operatorCommand: string,
  rsaSignMs: number,
  world: string,
): RunHeader {
  const machine = readMachine();
  let kernel = "unknown";
  try {
    kernel = Deno.readTextFileSync("/proc/sys/kernel/osrelease").trim();
  } catch { /* not Linux */ }
  return {
    date: new Date().toISOString(),
    mode,
    ...machine,
    kernel,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    operatorCommand,
    rsaSignMs,
    world,
  };
}

/** Everything results.json holds. */
export interface Results {
  header: RunHeader;
  wallSeconds: number;
  figures: (Figure & { status: string; ratio: number | null })[];
  /** Scenario details (timelines, counts) for whoever digs deeper. */
  details: Record<string, unknown>;
  /** Scenarios that failed outright, with their message. */
  errors: { scenario: string; message: string }[];
}

/** The results with verdicts and ratios filled in. */
export function buildResults(
  header: RunHeader,
  wallSeconds: number,
  figures: Figure[],
  details: Record<string, unknown>,
  errors: { scenario: string; message: string }[],
): Results {
  return {
    header,
    wallSeconds: round(wallSeconds, 1),
    figures: figures.map((f) => ({
      ...f,
      value: round(f.value, 2),
      ideal: f.ideal === null ? null : round(f.ideal, 2),
      status: verdict(f),
      ratio: ratio(f),
    })),
    details,
    errors,
  };
}

/** value / ideal, or null when the ideal is 0 or unknown. */
function ratio(figure: Figure): number | null {
  if (figure.ideal === null || figure.ideal === 0 || Number.isNaN(figure.value)) return null;
  return round(figure.value / figure.ideal, 2);
}

/** The markdown report: header, table, notes, failures. */
export function markdown(results: Results): string {
  const h = results.header;
  const lines = [
    "# oci-lb-registrar benchmark results",
    "",
    `- Date: ${h.date} (${h.mode} run, ${results.wallSeconds} s wall)`,
    `- Machine: ${h.cpu}, ${h.cores} cores, ${h.memoryGiB} GiB memory, Linux ${h.kernel}`,
    `- Deno ${h.deno} (V8 ${h.v8}, TypeScript ${h.typescript}); one RSA-SHA256 signature here: ${h.rsaSignMs} ms`,
    `- Operator: a separate process, \`${h.operatorCommand}\`; simulators in the benchmark process`,
    `- World: ${h.world}`,
    "",
    "| # | Figure | Ours | Ideal | Ratio | Target | Status |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const f of results.figures) {
    const target = f.limit === null ? "—" : `${f.exact ? "=" : "≤"} ${format(f.limit, f.unit)}`;
    lines.push(
      `| ${f.target} | ${f.name} | ${format(f.value, f.unit)} | ${
        f.ideal === null ? "—" : format(f.ideal, f.unit)
      } | ${f.ratio === null ? "—" : f.ratio.toFixed(2)} | ${target} | ${
        f.status === "NOT MET" ? "**NOT MET**" : f.status
      } |`,
    );
  }
  lines.push("", "How each figure was measured:", "");
  for (const f of results.figures) lines.push(`- (${f.target}) ${f.name}: ${f.note}`);
  if (results.errors.length > 0) {
    lines.push("", "Scenarios that failed:", "");
    for (const e of results.errors) lines.push(`- ${e.scenario}: ${e.message.split("\n")[0]}`);
  }
  return lines.join("\n") + "\n";
}

/** A plain-text table for the terminal. */
export function terminalTable(results: Results): string {
  const rows = [["#", "Figure", "Ours", "Ideal", "Ratio", "Target", "Status"]];
  for (const f of results.figures) {
    rows.push([
      String(f.target),
      f.name,
      format(f.value, f.unit),
      f.ideal === null ? "-" : format(f.ideal, f.unit),
      f.ratio === null ? "-" : f.ratio.toFixed(2),
      f.limit === null ? "-" : `${f.exact ? "=" : "<="} ${format(f.limit, f.unit)}`,
      f.status,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd())
    .join("\n");
}

function format(value: number, unit: Figure["unit"]): string {
  if (Number.isNaN(value)) return "n/a";
  switch (unit) {
    case "ms":
      return `${Math.round(value)} ms`;
    case "s":
      return `${value.toFixed(2)} s`;
    case "MiB":
      return `${value.toFixed(1)} MiB`;
    case "count":
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case "per set":
      return `${value.toFixed(2)}/set`;
  }
}

function round(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
