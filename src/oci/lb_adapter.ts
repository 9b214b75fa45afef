/** The OCI port on the classic Load Balancer API (`oci-loadbalancer`, /20170115). */

import type * as lb from "oci-loadbalancer";
import type { Logger } from "../log.ts";
import type { Backend } from "../plan/model.ts";
import { callFailure } from "./_call_failure.ts";
import { fromLbBackendSet, toLbUpdateDetails } from "./_lb_mapping.ts";
import { lbWorkRequestStatus, workRequestIdOf } from "./_work_request_status.ts";
import { describeCall, type OciCallContext } from "./classify_error.ts";
import { OciError } from "./errors.ts";
import type { ClientHandle, OciClients } from "./oci_clients.ts";
import type {
  BackendSetRef,
  BackendSetSnapshot,
  LoadBalancers,
  OciCredentials,
  WorkRequestStatus,
} from "./port.ts";

export interface LbAdapterOptions {
  clients: OciClients;
  logger: Logger;
}

/** `LoadBalancers` for classic load balancers (`ocid1.loadbalancer.…`). */
export function createLbAdapter(options: LbAdapterOptions): LoadBalancers {
  const { clients, logger } = options;

  async function call<T>(
    credentials: OciCredentials,
    context: OciCallContext,
    run: (client: lb.LoadBalancerClient) => Promise<T>,
  ): Promise<T> {
    const handle: ClientHandle<lb.LoadBalancerClient> = await clients.lb(
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
          handle.client.getLoadBalancer({ loadBalancerId: context.loadBalancerId }),
      });
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
        (client) => client.getBackendSet({ loadBalancerId, backendSetName }),
      );
      const read = fromLbBackendSet(response.backendSet ?? {});
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
        etag: response.eTag ?? "",
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
      const details = toLbUpdateDetails(snapshot.attributes, backends);
      if (typeof details === "string") {
        throw new OciError(`${describeCall(context)}: ${details}`, { kind: "invalid" });
      }
      const response = await call(credentials, context, (client) =>
        client.updateBackendSet({
          loadBalancerId,
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
      const { workRequest } = await call(
        credentials,
        context,
        (client) => client.getWorkRequest({ workRequestId }),
      );
      return lbWorkRequestStatus(workRequest);
    },
  };
}
