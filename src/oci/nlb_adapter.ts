/** The OCI port on the Network Load Balancer API (`oci-networkloadbalancer`, /20200501). */

import type * as nlb from "oci-networkloadbalancer";
import type { Logger } from "../log.ts";
import type { Backend } from "../plan/model.ts";
import { callFailure } from "./_call_failure.ts";
import { fromNlbBackendSet, toNlbUpdateDetails } from "./_nlb_mapping.ts";
import { nlbWorkRequestStatus, workRequestIdOf } from "./_work_request_status.ts";
import type { OciCallContext } from "./classify_error.ts";
import type { ClientHandle, OciClients } from "./oci_clients.ts";
import type {
  BackendSetRef,
  BackendSetSnapshot,
  LoadBalancers,
  OciCredentials,
  WorkRequestStatus,
} from "./port.ts";

export interface NlbAdapterOptions {
  clients: OciClients;
  logger: Logger;
}

/** `LoadBalancers` for network load balancers (`ocid1.networkloadbalancer.…`). */
export function createNlbAdapter(options: NlbAdapterOptions): LoadBalancers {
  const { clients, logger } = options;

  async function call<T>(
    credentials: OciCredentials,
    context: OciCallContext,
    run: (client: nlb.NetworkLoadBalancerClient) => Promise<T>,
  ): Promise<T> {
    const handle: ClientHandle<nlb.NetworkLoadBalancerClient> = await clients.nlb(
      credentials,
      context.loadBalancerId,
    );
    try {
      return await run(handle.client);
    } catch (error) {
      throw await callFailure(error, context, {
        handle,
        clients,
        logger,
        lookUpLoadBalancer: () =>
          handle.client.getNetworkLoadBalancer({ networkLoadBalancerId: context.loadBalancerId }),
      });
    }
  }

  /** The messages of a failed work request; best effort, a failure here only loses the detail. */
  async function workRequestErrors(
    client: nlb.NetworkLoadBalancerClient,
    workRequest: nlb.models.WorkRequest,
    loadBalancerId: string,
  ): Promise<string[]> {
    try {
      const response = await client.listWorkRequestErrors({
        workRequestId: workRequest.id,
        compartmentId: workRequest.compartmentId,
      });
      return (response.workRequestErrorCollection?.items ?? [])
        .map((item) => [item?.code, item?.message].filter(Boolean).join(": "));
    } catch (error) {
      logger.debug("Cannot list the errors of failed work request {workRequestId}: {error}", {
        lbId: loadBalancerId,
        workRequestId: workRequest.id,
        error: (error as { message?: unknown })?.message,
      });
      return [];
    }
  }

  return {
    async getBackendSet(
      ref: BackendSetRef,
      credentials: OciCredentials,
    ): Promise<BackendSetSnapshot> {
      const { loadBalancerId, backendSetName } = ref;
      const context: OciCallContext = {
        operation: "read-backend-set",
        loadBalancerId,
        backendSetName,
      };
      const response = await call(
        credentials,
        context,
        (client) => client.getBackendSet({ networkLoadBalancerId: loadBalancerId, backendSetName }),
      );
      const read = fromNlbBackendSet(response.backendSet ?? {});
      if (read.skipped.length > 0) {
        logger.warn("Ignored backends OCI returned without an IP address or port: {skipped}", {
          lbId: loadBalancerId,
          backendSet: backendSetName,
          skipped: read.skipped,
        });
      }
      const snapshot: BackendSetSnapshot = {
        ref: { loadBalancerId, backendSetName },
        backends: read.backends,
        // NLB spells the response field `etag`, classic `eTag`.
        etag: response.etag ?? "",
        attributes: read.attributes,
      };
      if (read.skipped.length > 0) snapshot.skippedBackends = read.skipped;
      return snapshot;
    },

    async replaceBackends(
      snapshot: BackendSetSnapshot,
      backends: readonly Backend[],
      credentials: OciCredentials,
    ): Promise<{ workRequestId: string }> {
      const { loadBalancerId, backendSetName } = snapshot.ref;
      const context: OciCallContext = {
        operation: "update-backend-set",
        loadBalancerId,
        backendSetName,
      };
      const details = toNlbUpdateDetails(snapshot.attributes, backends);
      const response = await call(credentials, context, (client) =>
        client.updateBackendSet({
          networkLoadBalancerId: loadBalancerId,
          backendSetName,
          updateBackendSetDetails: details,
          ifMatch: snapshot.etag === "" ? undefined : snapshot.etag,
        }));
      return { workRequestId: workRequestIdOf(response.opcWorkRequestId, context) };
    },

    async getWorkRequest(
      loadBalancerId: string,
      workRequestId: string,
      credentials: OciCredentials,
    ): Promise<WorkRequestStatus> {
      const context: OciCallContext = {
        operation: "read-work-request",
        loadBalancerId,
        workRequestId,
      };
      return await call(credentials, context, async (client) => {
        const { workRequest } = await client.getWorkRequest({ workRequestId });
        const failed = workRequest?.status === "FAILED" || workRequest?.status === "CANCELED";
        const errors = failed ? await workRequestErrors(client, workRequest, loadBalancerId) : [];
        return nlbWorkRequestStatus(workRequest ?? {}, errors);
      });
    },
  };
}
