/**
 * The demo's table as lines of text: one block per backend set (address, node, weight, drain),
 * side by side when the terminal is wide enough, then the OCI calls and the LBRegistrars' status.
 */

import { type CallCounts, countCalls, type DemoView, type SetView } from "./view.ts";

/** How to lay the table out. */
export interface TableOptions {
  /** Terminal width; blocks go side by side when they fit, else one under the other. */
  readonly width?: number;
  /** Last request before this step started; later calls are counted apart. */
  readonly sinceSeq?: number;
  /** What those later calls are. @default "this step" */
  readonly sinceLabel?: string;
}

const GAP = "   ";

/** The table's lines, without trailing newlines. */
export function renderTable(view: DemoView, options: TableOptions = {}): string[] {
  const { width = 0, sinceSeq = 0, sinceLabel = "this step" } = options;
  const blocks = view.sets.map(setBlock);
  const blockWidth = Math.max(...blocks.flat().map((line) => line.length));
  const sideBySide = blocks.length * blockWidth + (blocks.length - 1) * GAP.length <= width;
  const lines: string[] = [];
  if (sideBySide) {
    const height = Math.max(...blocks.map((block) => block.length));
    for (let i = 0; i < height; i++) {
      lines.push(blocks.map((block) => (block[i] ?? "").padEnd(blockWidth)).join(GAP).trimEnd());
    }
  } else {
    for (const [i, block] of blocks.entries()) {
      if (i > 0) lines.push("");
      const [title = "", ...rows] = block;
      lines.push(title, ...rows.map((row) => `  ${row}`));
    }
  }
  const recent = countCalls(view.requests.filter((request) => request.seq > sinceSeq));
  const total = countCalls(view.requests);
  lines.push(
    "",
    `OCI calls     ${sinceLabel}: ${calls(recent)}`,
    `              in all: ${calls(total)}; conflicts ${view.conflicts}, overlaps ${view.overlaps}`,
    `LBRegistrars  ${
      view.registrars.map((r) => `${r.name} ${r.phase} (${plural(r.backendCount, "backend")})`)
        .join("   ")
    }`,
  );
  return lines;
}

/** "3 GET, 2 PUT, 4 work-request polls". */
export function calls(counts: CallCounts): string {
  const parts = [
    `${counts.get} GET`,
    `${counts.put} PUT`,
    plural(counts.polls, "work-request poll"),
  ];
  if (counts.other > 0) parts.push(`${counts.other} other`);
  return parts.join(", ");
}

function setBlock(set: SetView): string[] {
  const header = ["BACKEND", "NODE", "WEIGHT", "DRAIN"];
  const rows = set.rows.map((
    row,
  ) => [row.ipPort, row.node, String(row.weight), row.drain ? "yes" : "-"]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd();
  const count = plural(set.rows.length, "backend");
  return [
    `${set.name} (${set.kind}, ${count})`,
    line(header),
    ...(rows.length > 0 ? rows.map(line) : ["(empty)"]),
  ];
}

/** "1 backend", "2 backends". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
