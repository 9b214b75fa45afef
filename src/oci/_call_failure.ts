/** What both adapters do when an SDK call throws: tell the two 404s apart, evict on 401, classify. */

import type { Logger } from "../log.ts";
import { classifyError, type OciCallContext } from "./classify_error.ts";
import type { OciError } from "./errors.ts";
import type { ClientHandle, OciClients } from "./oci_clients.ts";

export interface CallFailureOptions {
  handle: ClientHandle<unknown>;
  clients: OciClients;
  logger: Logger;
  /** GETs the load balancer itself; used once after a 404 on a backend set call. */
  lookUpLoadBalancer: () => Promise<unknown>;
}

/** The `OciError` for `error`, after the follow-up lookup and eviction it calls for. */
export async function callFailure(
  error: unknown,
  context: OciCallContext,
  options: CallFailureOptions,
): Promise<OciError> {
  const { handle, clients, logger, lookUpLoadBalancer } = options;
  const status = statusOf(error);
  let notFound = context.notFound;
  if (status === 404 && context.operation !== "read-work-request") {
    // OCI says NotAuthorizedOrNotFound for both; one GET of the LB tells which is missing.
    try {
      await lookUpLoadBalancer();
      notFound = "backend-set";
    } catch (lookupError) {
      if (statusOf(lookupError) === 404) notFound = "load-balancer";
    }
  }
  const failure = classifyError(error, { ...context, notFound, authHint: handle.authHint });
  if (failure.kind === "auth") {
    clients.evict(handle.cacheKey);
    logger.info("Dropped the cached OCI client after OCI refused its credentials", {
      lbId: context.loadBalancerId,
      opcRequestId: failure.opcRequestId,
    });
  }
  return failure;
}

function statusOf(error: unknown): unknown {
  return typeof error === "object" && error !== null
    ? (error as { statusCode?: unknown }).statusCode
    : undefined;
}
