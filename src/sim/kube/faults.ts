/** Injected failures and latency for API requests (never for the `/_sim` control surface). */

import { failure, type KubeStatus } from "./status_error.ts";

/** One failure rule: the next `count` matching requests get `status`. */
export interface FailureRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** A RegExp tested on path plus query, or a string that must appear in the path. */
  pathPattern: string | RegExp;
  /** true: only watch requests; false: only non-watch requests; absent: both. */
  watch?: boolean;
  /** The HTTP status of the failure (ignored with `drop`). @default 500 */
  status?: number;
  /** Cut the connection after the response headers instead of answering a Status. */
  drop?: boolean;
  /** How many requests fail; default 1; 0 or less means every matching request. */
  count?: number;
  /** Overrides the Status message. */
  message?: string;
}

/** What a request that matched a rule gets: a Status, or a dropped connection. */
export type InjectedFailure = { drop: true } | {
  drop: false;
  status: KubeStatus;
  headers: Record<string, string>;
};

/** The error a dropped connection's body fails with (the server does not log it). */
export class DroppedConnection extends Error {
  override name = "DroppedConnection";
}

/** A response whose headers arrive and whose body then breaks, as a cut connection looks to a client. */
export function droppedResponse(): Response {
  const body = new ReadableStream({
    start: (controller) => controller.error(new DroppedConnection("injected")),
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
}

/** The failure and latency settings. */
export interface Faults {
  inject(rule: FailureRule): void;
  clear(): void;
  /** The failure to answer with, consuming one use of the first matching rule. */
  take(method: string, url: URL, isWatch: boolean): InjectedFailure | undefined;
  latencyMs: number;
}

const REASONS: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

/** No failures and no latency. */
export function createFaults(): Faults {
  const rules: { rule: FailureRule; left: number }[] = [];
  return {
    latencyMs: 0,
    inject(rule) {
      const count = rule.count ?? 1;
      rules.push({ rule, left: count <= 0 ? Infinity : count });
    },
    clear() {
      rules.length = 0;
    },
    take(method, url, isWatch) {
      const index = rules.findIndex(({ rule }) => {
        if (rule.method && rule.method.toUpperCase() !== method) return false;
        if (rule.watch !== undefined && rule.watch !== isWatch) return false;
        return typeof rule.pathPattern === "string"
          ? url.pathname.includes(rule.pathPattern)
          : rule.pathPattern.test(url.pathname + url.search);
      });
      if (index < 0) return undefined;
      const entry = rules[index]!;
      if (--entry.left <= 0) rules.splice(index, 1);
      if (entry.rule.drop) return { drop: true };
      const code = entry.rule.status ?? 500;
      const reason = REASONS[code] ?? "InternalError";
      const message = entry.rule.message ??
        (code === 500 ? "Internal error occurred: injected failure" : `injected failure (${code})`);
      const headers: Record<string, string> = code === 429 || code === 503
        ? { "Retry-After": "1" }
        : {};
      const details = code === 429 ? { retryAfterSeconds: 1 } : undefined;
      return { drop: false, status: failure(code, reason, message, details), headers };
    },
  };
}
