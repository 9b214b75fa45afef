/** The soak's result and its printed summary. */

import type { LbCounters } from "../../src/sim/oci/oci_sim.ts";
import type { LogFindings } from "./log_scan.ts";
import type { MonitorStats } from "./set_monitor.ts";
import type { LedgerTotals } from "./write_ledger.ts";

/** One round's figures. */
export interface RoundSummary {
  round: number;
  chaosMs: number;
  boundMs: number;
  convergedMs?: number;
  quietPuts: number;
  quietGets: number;
  /** RSS (bytes) of every live operator process at the end of the round, by process name. */
  rss: Record<string, number>;
}

/** Memory of one operator process alive at the end. */
export interface MemoryLine {
  instance: string;
  warmRss?: number;
  endRss?: number;
  peakRss?: number;
  /** Lowest RSS in the first and last 40% of the window after warm-up. */
  startFloorRss?: number;
  endFloorRss?: number;
  windowMs: number;
}

/** Everything a soak reports. */
export interface SoakSummary {
  seed: number;
  processes: number;
  nodes: number;
  registrars: number;
  sets: number;
  loadBalancers: number;
  initialConvergenceMs?: number;
  rounds: RoundSummary[];
  /** Applied cluster changes by kind. */
  changes: Record<string, number>;
  /** Injected faults by kind. */
  faults: Record<string, number>;
  /** The OCI simulator's own counters, summed over resets. */
  oci: LbCounters;
  ledger?: LedgerTotals;
  log?: LogFindings;
  memory: MemoryLine[];
  monitor?: MonitorStats;
  violations: string[];
  notes: string[];
  wallMs: number;
  /** SIGKILLs that hit the leader while one of its work requests ran. */
  killsMidWrite: number;
  /** Operator logs, kept when something failed (or on request). */
  logDir?: string;
}

const sum = (table: Record<string, number>) => Object.values(table).reduce((a, b) => a + b, 0);
const list = (table: Record<string, number>) =>
  Object.entries(table).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(", ");
const seconds = (ms: number | undefined) => ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number | undefined) =>
  bytes === undefined ? "—" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The summary as printed lines; `replay` is the command that replays this seed. */
export function formatSummary(s: SoakSummary, replay: string): string {
  const converged = s.rounds.map((r) => r.convergedMs).filter((ms): ms is number =>
    ms !== undefined
  );
  const maxConvergence = converged.length > 0 ? Math.max(...converged) : undefined;
  const maxBound = s.rounds.length > 0 ? Math.max(...s.rounds.map((r) => r.boundMs)) : undefined;
  const ledger = s.ledger;
  const overlaps = ledger?.overlaps ?? [];
  const byKind = overlaps.reduce<Record<string, number>>((table, o) => {
    table[o.kind] = (table[o.kind] ?? 0) + 1;
    return table;
  }, {});
  const lines = [
    `soak summary — seed ${s.seed}, ${
      (s.wallMs / 60_000).toFixed(1)
    } min, ${s.rounds.length} rounds`,
    `  world: ${s.nodes} nodes, ${s.registrars} LBRegistrars, ${s.sets} backend sets on ${s.loadBalancers} LBs, ` +
    `${s.processes} operator process${s.processes === 2 ? "es (--leader-elect)" : ""}`,
    `  events applied: ${sum(s.changes)} (${list(s.changes)})`,
    `  faults injected: ${sum(s.faults)} (${list(s.faults)}); ` +
    `SIGKILLs mid work request: ${s.killsMidWrite} of ${s.faults.sigkill ?? 0}`,
    `  OCI: ${ledger?.puts ?? 0} PUTs (${s.oci.mutations} accepted, ${
      ledger?.busyConflicts ?? 0
    } 409 busy, ` +
    `${ledger?.injected409 ?? 0} injected 409, ${ledger?.preconditionFailed ?? 0} 412), ` +
    `${ledger?.gets ?? 0} GETs, ${
      ledger?.workRequestPolls ?? 0
    } work-request polls, ${s.oci.requests} requests`,
    `  retries (operator log): ${s.log?.retries ?? 0}; writes logged: ${s.log?.writes ?? 0}; ` +
    `drift repairs: ${s.log?.driftRepairs ?? 0}`,
    `  convergence after faults stop: max ${seconds(maxConvergence)} (largest bound ${
      seconds(maxBound)
    }); ` +
    `initial fill ${seconds(s.initialConvergenceMs)}`,
    `  quiet periods: ${s.rounds.length}, PUTs during quiet ${
      s.rounds.reduce((a, r) => a + r.quietPuts, 0)
    }, resync GETs during quiet ${s.rounds.reduce((a, r) => a + r.quietGets, 0)}`,
    `  overlapping writes: simulator counted ${s.oci.overlaps}; placed ${overlaps.length}` +
    (overlaps.length > 0 ? ` (${list(byKind)})` : ""),
    `  RSS at round ends: ${
      s.rounds.map((r) =>
        Object.entries(r.rss).map(([name, bytes]) => `${name} ${mib(bytes)}`).join("/")
      ).join(", ") || "—"
    }`,
    `  memory: ${
      s.memory.map((m) =>
        `${m.instance} ${mib(m.warmRss)} after warm-up → ${mib(m.endRss)} at end, floor ${
          mib(m.startFloorRss)
        } → ${mib(m.endFloorRss)} (peak ${mib(m.peakRss)})`
      ).join("; ") || "—"
    }`,
    `  logs: ${s.log?.lines ?? 0} lines scanned, ${s.log?.secrets.length ?? 0} secrets, ` +
    `${s.log?.errors.length ?? 0} errors, ${s.log?.notJson ?? 0} lines not JSON`,
    ...(s.log?.notJsonExamples ?? []).map((e) => `    not JSON: ${e}`),
    `  set monitor: ${s.monitor?.commits ?? 0} committed states seen, longest poll gap ${
      Math.round(s.monitor?.maxGapMs ?? 0)
    } ms`,
    ...s.notes.map((n) => `  note: ${n}`),
    `  invariant violations: ${s.violations.length}`,
    ...s.violations.map((v) => `    ${v.replaceAll("\n", "\n      ")}`),
    ...(s.logDir ? [`  operator logs: ${s.logDir}`] : []),
    `  replay: ${replay}`,
  ];
  return lines.join("\n");
}
