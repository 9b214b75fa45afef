/** Waiting for an OCI work request to finish, polling often at first and less later. */

import type { Clock } from "./clock.ts";
import { OciError } from "../oci/errors.ts";
import type { LoadBalancers, OciCredentials, WorkRequestStatus } from "../oci/port.ts";

export interface WaitOptions {
  clock: Clock;
  /** Longest pause between polls (`--work-request-poll`). @default 5000 */
  maxPollMs?: number;
  /** Give up after this long (`--work-request-timeout`). @default 300000 */
  timeoutMs?: number;
  /**
   * First pause; each later one doubles up to `maxPollMs`. Most backend-set updates finish within a
   * few seconds, so early polls notice them quickly; slow ones are polled gently.
   * @default 250
   */
  firstPollMs?: number;
  signal?: AbortSignal;
}

/**
 * Polls until the work request succeeds. Throws `OciError` kind `work-request-failed` when it ends
 * FAILED or CANCELED, and `timeout` when it outlives `timeoutMs`.
 *
 * A poll that fails for a passing reason (throttled, 5xx, a dropped connection) is polled again:
 * giving up would free the load balancer's lane while the work request still runs, and the next
 * write to that LB would collide with it. Other poll errors (the LB or work request is gone, the
 * key is refused) end the wait at once.
 */
export async function waitForWorkRequest(
  oci: Pick<LoadBalancers, "getWorkRequest">,
  target: { loadBalancerId: string; workRequestId: string; credentials: OciCredentials },
  options: WaitOptions,
): Promise<WorkRequestStatus> {
  const { clock, maxPollMs = 5000, timeoutMs = 300_000, firstPollMs = 250, signal } = options;
  const { loadBalancerId, workRequestId, credentials } = target;
  const deadline = clock.now() + timeoutMs;
  let pause = Math.min(firstPollMs, maxPollMs);
  for (;;) {
    await clock.sleep(Math.min(pause, Math.max(0, deadline - clock.now())), signal);
    let last: string;
    try {
      const status = await oci.getWorkRequest(loadBalancerId, workRequestId, credentials);
      if (status.state === "SUCCEEDED") return status;
      if (status.state === "FAILED" || status.state === "CANCELED") {
        throw new OciError(
          `Work request "${workRequestId}" on load balancer "${loadBalancerId}" ended ` +
            status.state + (status.message ? `: ${status.message}` : ""),
          { kind: "work-request-failed" },
        );
      }
      last = `last state ${status.state}`;
    } catch (error) {
      if (signal?.aborted || !passing(error)) throw error;
      last = `last poll failed: ${(error as Error).message}`;
    }
    if (clock.now() >= deadline) {
      throw new OciError(
        `Work request "${workRequestId}" on load balancer "${loadBalancerId}" did not finish within ` +
          `${Math.round(timeoutMs / 1000)}s: ${last}`,
        { kind: "timeout" },
      );
    }
    pause = Math.min(pause * 2, maxPollMs);
  }
}

/** Poll failures that say nothing about the work request itself. */
function passing(error: unknown): boolean {
  return error instanceof OciError && (error.kind === "transient" || error.kind === "throttled");
}
