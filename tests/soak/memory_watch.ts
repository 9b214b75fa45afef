/**
 * Resident memory of the operator processes: sampled during the soak, judged at the end. Memory is
 * flat when a process's RSS at the end is at most 1.2 × its RSS once warmed up; a window shorter than
 * two minutes after warm-up is too short to judge, so it is noted, not failed.
 */

import type { OperatorInstance } from "./operator_pool.ts";
import type { MemoryLine } from "./summary.ts";

/** Allowed growth from warm-up to end. */
const MAX_GROWTH = 1.2;
/** Memory is judged only over a window at least this long (else it is noted). */
const MIN_WINDOW_MS = 120_000;

interface Samples {
  warm?: { at: number; rss: number };
  last?: { at: number; rss: number };
  peak: number;
}

/** Samples and verdicts; `warmupMs` is the process age at which RSS counts as warmed up. */
export function createMemoryWatch(warmupMs: number) {
  const samples = new Map<OperatorInstance, Samples>();
  return {
    /** Reads the RSS of every instance now. */
    async sample(instances: readonly OperatorInstance[]) {
      for (const instance of instances) {
        const bytes = await rssOf(instance.pid);
        if (bytes === undefined) continue;
        const entry = samples.get(instance) ?? { peak: 0 };
        const at = Date.now();
        if (!entry.warm && at - instance.startedAt >= warmupMs) entry.warm = { at, rss: bytes };
        entry.last = { at, rss: bytes };
        entry.peak = Math.max(entry.peak, bytes);
        samples.set(instance, entry);
      }
    },
    /** The latest RSS per instance name. */
    latest(instances: readonly OperatorInstance[]): Record<string, number> {
      const result: Record<string, number> = {};
      for (const instance of instances) {
        const last = samples.get(instance)?.last;
        if (last) result[instance.name] = last.rss;
      }
      return result;
    },
    /** One line per instance; growth over a long enough window is a violation, else a note. */
    judge(
      instances: readonly OperatorInstance[],
      report: { note: (text: string) => void; violation: (text: string) => void },
    ): MemoryLine[] {
      return instances.map((instance) => {
        const { warm, last, peak } = samples.get(instance) ?? { peak: 0 };
        const line: MemoryLine = {
          instance: instance.name,
          warmRss: warm?.rss,
          endRss: last?.rss,
          peakRss: peak || undefined,
          windowMs: warm && last ? last.at - warm.at : 0,
        };
        if (!warm || !last) {
          const ran = Math.round((Date.now() - instance.startedAt) / 1000);
          report.note(
            `memory of ${instance.name}: not judged, it ran ${ran} s, warm-up is ${
              warmupMs / 1000
            } s`,
          );
          return line;
        }
        const growth = `×${(last.rss / warm.rss).toFixed(2)} (${mib(warm.rss)} → ${
          mib(last.rss)
        } MiB) over ${Math.round(line.windowMs / 1000)} s after warm-up`;
        if (line.windowMs < MIN_WINDOW_MS) {
          report.note(`memory of ${instance.name}: ${growth} (noted: window under 120 s)`);
        } else if (last.rss > MAX_GROWTH * warm.rss) {
          report.violation(`memory of ${instance.name} grew ${growth}`);
        }
        return line;
      });
    },
  };
}

/**
 * Resident memory of a process in bytes (Linux /proc), or undefined when it is gone. Deno lets only
 * --allow-all read another process's /proc entry, so `cat` reads it (--allow-run is needed anyway).
 */
export async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const { success, stdout } = await new Deno.Command("cat", {
      args: [`/proc/${pid}/status`],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!success) return undefined;
    const kb = /VmRSS:\s+(\d+) kB/.exec(new TextDecoder().decode(stdout))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
