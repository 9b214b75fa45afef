/** Time formats of the Kubernetes API: RFC 3339 to the second, and MicroTime with six digits. */

/** RFC 3339 to the second with `Z`, as metav1.Time serialises. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** MicroTime with exactly six fractional digits, as metav1.MicroTime serialises. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

/**
 * The Go parse error for a MicroTime that does not have exactly six fractional digits, or
 * undefined when the text is valid (the real server answers 400 with this text).
 */
export function microTimeProblem(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  if (MICRO_TIME.test(text)) return undefined;
  const layout = "2006-01-02T15:04:05.000000Z07:00";
  const head = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.exec(text);
  if (!head) {
    return `parsing time ${JSON.stringify(text)} as "${layout}": cannot parse ${
      JSON.stringify(text)
    } as "2006"`;
  }
  const rest = text.slice(head[0].length);
  const fraction = /^\.(\d+)/.exec(rest);
  if (fraction && fraction[1]!.length > 6) {
    const extra = rest.slice(7);
    return `parsing time ${JSON.stringify(text)} as "${layout}": cannot parse ${
      JSON.stringify(extra)
    } as "Z07:00"`;
  }
  return `parsing time ${JSON.stringify(text)} as "${layout}": cannot parse ${
    JSON.stringify(rest)
  } as ".000000"`;
}

/** A relative age such as "17s", "8m50s" or "3d4h", as the server's Table cells show it. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 365 * 8) {
    return days % 365 === 0 ? `${days / 365}y` : `${Math.trunc(days / 365)}y${days % 365}d`;
  }
  return `${Math.trunc(days / 365)}y`;
}

/** The age of an RFC 3339 timestamp at `now`, or "<unknown>" when it is missing. */
export function ageOf(timestamp: unknown, now: number): string {
  if (typeof timestamp !== "string") return "<unknown>";
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? "<unknown>" : humanDuration(now - at);
}
