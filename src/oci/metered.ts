/**
 * The OCI port wrapped to count and time every call (style anchor §9: concerns that cut across
 * adapters wrap the port). Failures are classified by `OciError.kind`, never by message text.
 */

import type { MetricsRecorder, OciOperation, OciOutcome } from "../serve/metrics_recorder.ts";
import { OciError, type OciErrorKind } from "./errors.ts";
import type { LoadBalancers } from "./port.ts";

/** Options of `withOciMetrics`. */
export interface OciMetricsOptions {
  /** Monotonic milliseconds. @default performance.now */
  now?: () => number;
}

const OUTCOME_OF_KIND: Record<OciErrorKind, OciOutcome> = {
  "conflict": "conflict",
  "precondition": "precondition",
  "throttled": "throttled",
  "transient": "transient",
  "lb-not-found": "not_found",
  "backend-set-not-found": "not_found",
  "auth": "auth",
  "credentials": "credentials",
  "invalid": "invalid",
  "work-request-failed": "work_request_failed",
  "timeout": "timeout",
};

/** The outcome label of a failed OCI call. */
export function ociOutcome(error: unknown): OciOutcome {
  return error instanceof OciError ? OUTCOME_OF_KIND[error.kind] : "error";
}

/** `oci` with each call recorded in `metrics` as operation, outcome and latency. */
export function withOciMetrics(
  oci: LoadBalancers,
  metrics: Pick<MetricsRecorder, "ociRequest">,
  options: OciMetricsOptions = {},
): LoadBalancers {
  const { now = () => performance.now() } = options;
  const timed = async <T>(operation: OciOperation, call: () => Promise<T>): Promise<T> => {
    const started = now();
    try {
      const result = await call();
      metrics.ociRequest(operation, "ok", (now() - started) / 1000);
      return result;
    } catch (error) {
      metrics.ociRequest(operation, ociOutcome(error), (now() - started) / 1000);
      throw error;
    }
  };
  return {
    getBackendSet: (ref, credentials) =>
      timed("get_backend_set", () => oci.getBackendSet(ref, credentials)),
    replaceBackends: (snapshot, backends, credentials) =>
      timed("replace_backends", () => oci.replaceBackends(snapshot, backends, credentials)),
    getWorkRequest: (loadBalancerId, workRequestId, credentials) =>
      timed(
        "get_work_request",
        () => oci.getWorkRequest(loadBalancerId, workRequestId, credentials),
      ),
  };
}
