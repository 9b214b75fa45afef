/**
 * `plan --output text`: per backend set a header line, then a table of what a write would change
 * (ACTION, BACKEND, NODE, RULE, WHY) with the safety notes and problems under it, and one summary
 * line at the end.
 */

import type { BackendSetDocument, PlanDocument } from "./plan_document.ts";

const HEADINGS = ["ACTION", "BACKEND", "NODE", "RULE", "WHY"];

/** The text output of `plan` for a document. */
export function planText(document: PlanDocument): string {
  const blocks = document.backendSets.map(setBlock);
  const objects = document.lbRegistrars
    .filter((object) => object.problem)
    .map((object) =>
      `LBRegistrar "${object.name}" cannot be planned: ${object.problem!.reason}: ${
        object.problem!.message
      }`
    );
  if (objects.length > 0) blocks.push(objects.join("\n"));
  if (document.backendSets.length === 0 && objects.length === 0) {
    blocks.push("No LBRegistrar names a backend set.");
  }
  return `${[...blocks, summaryLine(document)].join("\n\n")}\n`;
}

function setBlock(set: BackendSetDocument): string {
  const lines = [
    `backend set "${set.backendSetName}" of ${set.loadBalancerId}${owners(set)}: ${headline(set)}`,
  ];
  const rows = [
    ...set.changes.map((c) => [c.action, c.backend, c.node ?? "-", c.rule, withWeight(c)]),
    ...set.pendingRemovals.map((p) => [
      "wait",
      p.backend,
      p.node ?? "-",
      p.rule,
      `drained: removed once drained for ${p.drainSeconds}s`,
    ]),
  ];
  if (rows.length > 0) lines.push(...table([HEADINGS, ...rows]).map((line) => `  ${line}`));
  for (const note of set.safetyNotes) lines.push(`  note: ${note.rule}: ${note.message}`);
  for (const problem of set.problems) {
    lines.push(
      `  ${problem.severity}: LBRegistrar "${problem.lbRegistrar}" ${problem.source}: ` +
        `${problem.reason}: ${problem.message}`,
    );
  }
  for (const skip of set.skipped) {
    lines.push(`  skipped: node "${skip.node}" ${skip.reason} (LBRegistrar "${skip.lbRegistrar}")`);
  }
  if (set.paused && set.state !== "in-sync") {
    lines.push(
      "  paused: run writes nothing to this backend set while an LBRegistrar on it is paused",
    );
  }
  return lines.join("\n");
}

function owners(set: BackendSetDocument): string {
  const names = set.lbRegistrars.map((name) =>
    set.deregistering.includes(name) ? `${name} (deleting)` : name
  );
  const ownership = set.ownership ? `, ${set.ownership}` : "";
  return names.length > 0 ? ` (LBRegistrar ${names.join(", ")}${ownership})` : "";
}

function headline(set: BackendSetDocument): string {
  if (set.state === "error" && set.error) return `error: ${set.error.reason}: ${set.error.message}`;
  const counts = set.backends
    ? `${set.backends.active} active, ${set.backends.draining} draining`
    : "";
  if (set.state === "in-sync") return `in sync: ${counts}`;
  const pending = set.changes.length + set.pendingRemovals.length;
  const changes = `${pending} ${
    pending === 1 ? "change" : "changes"
  } pending; afterwards ${counts}`;
  return set.state === "error" ? `cannot be fully planned; ${changes}` : changes;
}

function withWeight(change: BackendSetDocument["changes"][number]): string {
  return change.weight === undefined || change.action !== "add" || change.weight === 1
    ? change.why
    : `${change.why} (weight ${change.weight})`;
}

function summaryLine(document: PlanDocument): string {
  const { backendSets, inSync, changesPending, errors } = document.summary;
  const sets = backendSets === 1 ? "1 backend set" : `${backendSets} backend sets`;
  return `Plan: ${sets}, ${inSync} in sync, ${changesPending} with changes pending, ` +
    `${errors} ${errors === 1 ? "error" : "errors"}`;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")
  );
}
