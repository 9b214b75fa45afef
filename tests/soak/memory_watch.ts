/**
 * Resident memory of the operator processes: sampled every few seconds, judged at the end.
 *
 * The figure reported is the issue's: RSS at the end against RSS once warmed up. It is not judged on
 * those two samples alone: RSS rises and falls as V8 resizes its young generation (by about 25 MiB
 * with the operator's `--max-semi-space-size=8`; by about 60 MiB, for minutes at a time, without
 * it), so a pair of samples can differ without any leak. A leak raises the floor instead: memory is
 * flat when the lowest RSS of the last 40% of the window is at most 1.2 × the lowest RSS of its
 * first 40%. A window under two minutes is too short to judge: it is noted, not failed.
 */

import type { OperatorInstance } from "./operator_pool.ts";
import type { MemoryLine } from "./summary.ts";

/** Allowed growth of the RSS floor from the start of the window to its end. */
const MAX_GROWTH = 1.2;
/** Memory is judged only over a window at least this long (else it is noted). */
const MIN_WINDOW_MS = 120_000;
/** Share of the window at each end whose lowest sample is compared. */
const EDGE = 0.4;

interface Sample {
  at: number;
  rss: number;
}

/** Samples and verdicts; `warmupMs` is the process age at which RSS counts as warmed up. */
export function createMemoryWatch(warmupMs: number) {
  const samples = new Map<OperatorInstance, Sample[]>();
  return {
    /** Reads the RSS of every instance now. */
    async sample(instances: readonly OperatorInstance[]) {
      for (const instance of instances) {
        const rss = await rssOf(instance.pid);
        if (rss === undefined) continue;
        samples.set(instance, [...(samples.get(instance) ?? []), { at: Date.now(), rss }]);
      }
    },
    /** The latest RSS per instance name. */
    latest(instances: readonly OperatorInstance[]): Record<string, number> {
      const result: Record<string, number> = {};
      for (const instance of instances) {
        const last = samples.get(instance)?.at(-1);
        if (last) result[instance.name] = last.rss;
      }
      return result;
    },
    /** One line per instance; a rising floor over a long enough window is a violation. */
    judge(
      instances: readonly OperatorInstance[],
      report: { note: (text: string) => void; violation: (text: string) => void },
    ): MemoryLine[] {
      return instances.map((instance) => {
        const all = samples.get(instance) ?? [];
        const warmed = all.filter((s) => s.at - instance.startedAt >= warmupMs);
        const warm = warmed[0];
        const last = warmed.at(-1);
        const line: MemoryLine = {
          instance: instance.name,
          warmRss: warm?.rss,
          endRss: last?.rss,
          peakRss: all.length > 0 ? Math.max(...all.map((s) => s.rss)) : undefined,
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
        const edge = line.windowMs * EDGE;
        const floor = (from: number, to: number) =>
          Math.min(...warmed.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss));
        line.startFloorRss = floor(warm.at, warm.at + edge);
        line.endFloorRss = floor(last.at - edge, last.at);
        const text = `end/warm ×${(last.rss / warm.rss).toFixed(2)} (${mib(warm.rss)} → ${
          mib(last.rss)
        } MiB), floor ${mib(line.startFloorRss)} → ${mib(line.endFloorRss)} MiB over ${
          Math.round(line.windowMs / 1000)
        } s after warm-up`;
        if (line.windowMs < MIN_WINDOW_MS) {
          report.note(`memory of ${instance.name}: ${text} (noted: window under 120 s)`);
        } else if (line.endFloorRss > MAX_GROWTH * line.startFloorRss) {
          report.violation(`memory of ${instance.name} grew: ${text}`);
        } else if (last.rss > MAX_GROWTH * warm.rss) {
          report.note(`memory of ${instance.name}: ${text} (the floor stayed flat)`);
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
