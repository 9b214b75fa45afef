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
 * FAILED or CANCELED, `timeout` when it outlives `timeoutMs`, and whatever the port throws on a poll
 * (the caller decides on retries).
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
    const status = await oci.getWorkRequest(loadBalancerId, workRequestId, credentials);
    if (status.state === "SUCCEEDED") return status;
    if (status.state === "FAILED" || status.state === "CANCELED") {
      throw new OciError(
        `Work request "${workRequestId}" on load balancer "${loadBalancerId}" ended ${status.state}` +
          (status.message ? `: ${status.message}` : ""),
        { kind: "work-request-failed" },
      );
    }
    if (clock.now() >= deadline) {
      throw new OciError(
        `Work request "${workRequestId}" on load balancer "${loadBalancerId}" did not finish within ` +
          `${Math.round(timeoutMs / 1000)}s: last state ${status.state}`,
        { kind: "timeout" },
      );
    }
    pause = Math.min(pause * 2, maxPollMs);
  }
}
