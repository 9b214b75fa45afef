/**
 * What a failed sync means: the condition reason to show and when to try again (DESIGN §5 Errors).
 * Busy, stale and throttled answers are retried soon with backoff; problems a person must fix are
 * retried slowly, so a fix is noticed without hammering OCI.
 */

import type { ConditionReason } from "../api/conditions.ts";
import { OciError, type OciErrorKind } from "../oci/errors.ts";
import { createBackoff } from "./backoff.ts";

interface Policy {
  reason: ConditionReason;
  initialMs: number;
  maxMs: number;
}

/** Named data: one line per OCI error kind. */
const POLICIES: Record<OciErrorKind, Policy> = {
  // Another work request runs on this LB: it usually ends within seconds.
  conflict: { reason: "WorkRequestPending", initialMs: 1_000, maxMs: 30_000 },
  // The set changed between read and write: read again at once.
  precondition: { reason: "OciError", initialMs: 0, maxMs: 10_000 },
  throttled: { reason: "Throttled", initialMs: 2_000, maxMs: 120_000 },
  transient: { reason: "OciError", initialMs: 1_000, maxMs: 60_000 },
  "work-request-failed": { reason: "OciError", initialMs: 5_000, maxMs: 120_000 },
  timeout: { reason: "WorkRequestPending", initialMs: 5_000, maxMs: 60_000 },
  "lb-not-found": { reason: "LoadBalancerNotFound", initialMs: 30_000, maxMs: 300_000 },
  "backend-set-not-found": { reason: "BackendSetNotFound", initialMs: 30_000, maxMs: 300_000 },
  auth: { reason: "CredentialsError", initialMs: 30_000, maxMs: 300_000 },
  credentials: { reason: "CredentialsError", initialMs: 30_000, maxMs: 300_000 },
  invalid: { reason: "OciError", initialMs: 30_000, maxMs: 300_000 },
};

/** The verdict on a failure. */
export interface RetryVerdict {
  reason: ConditionReason;
  message: string;
  /** Wait before the next attempt. */
  delayMs: number;
}

/** Reason, message and delay for the `attempt`-th consecutive failure (1-based). */
export function retryVerdict(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): RetryVerdict {
  if (!(error instanceof OciError)) {
    // Not classified by an adapter: a bug or an unexpected runtime error; keep trying, gently.
    const message = error instanceof Error ? error.message : String(error);
    return { reason: "OciError", message, delayMs: createBackoff({ random })(attempt) };
  }
  const { reason, initialMs, maxMs } = POLICIES[error.kind];
  // After a 412 the first re-read is immediate; later ones back off from half a second.
  const delayMs = initialMs === 0
    ? (attempt <= 1 ? 0 : createBackoff({ initialMs: 500, maxMs, random })(attempt - 1))
    : createBackoff({ initialMs, maxMs, random })(attempt);
  return { reason, message: error.message, delayMs };
}
