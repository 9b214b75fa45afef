/**
 * The OCI port's implementation: sends each call to the classic-LB or the NLB adapter according to
 * the OCID (DESIGN §8), over clients cached per credential.
 */

import { getLogger, type Logger } from "../log.ts";
import type { Backend } from "../plan/model.ts";
import { OciError } from "./errors.ts";
import { createLbAdapter } from "./lb_adapter.ts";
import { createNlbAdapter } from "./nlb_adapter.ts";
import { createOciClients, type DefaultProviderFactory } from "./oci_clients.ts";
import type { BackendSetSnapshot, LoadBalancers, OciCredentials } from "./port.ts";

export type { DefaultProviderFactory } from "./oci_clients.ts";

/** The two OCI load balancer APIs. */
export type LoadBalancerKind = "load-balancer" | "network-load-balancer";

export interface LoadBalancersOptions {
  /** `--oci-endpoint`: one base URL for both APIs (the SDK appends /20170115 or /20200501). */
  endpoint?: string;
  /** The `--oci-auth` provider for `{ kind: "default" }` credentials; without it they are refused. */
  defaultProvider?: DefaultProviderFactory;
  /** @default getLogger("oci") */
  logger?: Logger;
  /** Most credentials whose clients are kept. @default 64 */
  maxClients?: number;
}

/** Which API serves `loadBalancerId`; throws `OciError` "invalid" for any other OCID. */
export function loadBalancerKind(loadBalancerId: string): LoadBalancerKind {
  if (loadBalancerId.startsWith("ocid1.networkloadbalancer.")) return "network-load-balancer";
  if (loadBalancerId.startsWith("ocid1.loadbalancer.")) return "load-balancer";
  throw new OciError(
    `Cannot use load balancer "${loadBalancerId}": the OCID must start with "ocid1.loadbalancer." or "ocid1.networkloadbalancer."`,
    { kind: "invalid" },
  );
}

/** `LoadBalancers` for classic load balancers and network load balancers alike. */
export function createLoadBalancers(options: LoadBalancersOptions = {}): LoadBalancers {
  const { endpoint, defaultProvider, logger = getLogger("oci"), maxClients } = options;
  const clients = createOciClients({ endpoint, defaultProvider, logger, maxClients });
  const adapters: Record<LoadBalancerKind, LoadBalancers> = {
    "load-balancer": createLbAdapter({ clients, logger }),
    "network-load-balancer": createNlbAdapter({ clients, logger }),
  };
  const adapterFor = (loadBalancerId: string) => adapters[loadBalancerKind(loadBalancerId)];
  return {
    getBackendSet: async (ref, credentials) =>
      await adapterFor(ref.loadBalancerId).getBackendSet(ref, credentials),
    replaceBackends: async (
      snapshot: BackendSetSnapshot,
      backends: readonly Backend[],
      credentials: OciCredentials,
    ) =>
      await adapterFor(snapshot.ref.loadBalancerId).replaceBackends(
        snapshot,
        backends,
        credentials,
      ),
    getWorkRequest: async (loadBalancerId, workRequestId, credentials) =>
      await adapterFor(loadBalancerId).getWorkRequest(loadBalancerId, workRequestId, credentials),
  };
}
