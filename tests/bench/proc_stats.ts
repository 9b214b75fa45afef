/** What Linux says about another process: resident memory and CPU time, from /proc. */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

/** Memory of a process in bytes: now (VmRSS) and the peak so far (VmHWM). */
export interface Memory {
  rss: number;
  peakRss: number;
}

/** Reads VmRSS and VmHWM of `pid`. */
export function readMemory(pid: number): Memory {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (field: string) => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    if (!match) {
      throw new Error(`Cannot read ${field} of process ${pid}: not in /proc/${pid}/status`);
    }
    return Number(match[1]) * 1024;
  };
  return { rss: kib("VmRSS"), peakRss: kib("VmHWM") };
}

/** User + system CPU time of `pid` (all its threads, finished ones included), in milliseconds. */
export function readCpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state (field 3).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU model, cores and memory of this machine, from /proc ("unknown" where it cannot be read). */
export function readMachine(): { cpu: string; cores: number; memoryGiB: number } {
  const read = (path: string) => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return "";
    }
  };
  const cpuinfo = read("/proc/cpuinfo");
  const cpu = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown";
  const cores = cpuinfo.match(/^processor\s*:/gm)?.length ?? navigator.hardwareConcurrency;
  const totalKib = Number(read("/proc/meminfo").match(/^MemTotal:\s+(\d+) kB/m)?.[1] ?? 0);
  return { cpu, cores, memoryGiB: Math.round((totalKib / 1024 / 1024) * 10) / 10 };
}
