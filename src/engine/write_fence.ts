/**
 * A fence around the two ports: once `closed` aborts, no write starts any more. Leader election
 * closes it the moment the Lease is lost (a follower writes nothing, DESIGN §8); `plan` runs behind a
 * fence closed from the start. Reads pass through. A status or event write behind a closed fence is
 * dropped quietly (the next leader writes its own); an OCI write or finalizer change is refused with
 * an error, so the engine never believes it happened. A write already sent cannot be recalled.
 */

import type { Cluster } from "../kube/port.ts";
import type { LoadBalancers } from "../oci/port.ts";

/** The ports, as the engine takes them. */
export interface Ports {
  cluster: Cluster;
  oci: LoadBalancers;
}

/** Why a write behind a closed fence was refused. */
export class FencedWriteError extends Error {
  override name = "FencedWriteError";
}

/** `ports` whose writes stop when `closed` aborts. */
export function fenceWrites(ports: Ports, closed: AbortSignal): Ports {
  const { cluster, oci } = ports;
  const refuse = (action: string) =>
    Promise.reject(new FencedWriteError(`Cannot ${action}: this process may not write (fenced)`));
  return {
    cluster: {
      start: (signal) => cluster.start(signal),
      ...(cluster.stopped ? { stopped: () => cluster.stopped!() } : {}),
      hasSynced: () => cluster.hasSynced(),
      waitForSync: (signal) => cluster.waitForSync(signal),
      view: () => cluster.view(),
      subscribe: (listener) => cluster.subscribe(listener),
      readSecretKey: (ref) => cluster.readSecretKey(ref),
      patchStatus: (name, status) =>
        closed.aborted ? Promise.resolve() : cluster.patchStatus(name, status),
      setFinalizer: (name, present) =>
        closed.aborted
          ? refuse(`${present ? "add" : "remove"} the finalizer of LBRegistrar "${name}"`)
          : cluster.setFinalizer(name, present),
      recordEvent: (lbr, event) =>
        closed.aborted ? Promise.resolve() : cluster.recordEvent(lbr, event),
    },
    oci: {
      getBackendSet: (ref, credentials) => oci.getBackendSet(ref, credentials),
      replaceBackends: (snapshot, backends, credentials) =>
        closed.aborted
          ? refuse(`update backend set "${snapshot.ref.backendSetName}"`)
          : oci.replaceBackends(snapshot, backends, credentials),
      getWorkRequest: (loadBalancerId, workRequestId, credentials) =>
        oci.getWorkRequest(loadBalancerId, workRequestId, credentials),
    },
  };
}
