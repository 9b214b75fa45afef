/** The OCI port: everything the engine asks of classic Load Balancers and Network Load Balancers. */

import type { Backend } from "../plan/model.ts";

/** How to authenticate to OCI for one LBRegistrar. */
export type OciCredentials =
  | {
    kind: "api-key";
    tenancy: string;
    user: string;
    fingerprint: string;
    /** PEM, PKCS#1 or PKCS#8, possibly encrypted. Never logged. */
    privateKey: string;
    /** Never logged. */
    passphrase?: string;
    region: string;
  }
  /** The operator's own `--oci-auth` mode (instance principal, workload identity, config file). */
  | { kind: "default"; region: string };

/** Names one backend set of one load balancer (classic or NLB, told apart by the OCID). */
export interface BackendSetRef {
  loadBalancerId: string;
  backendSetName: string;
}

/** A backend set as read, with everything needed to write it back. */
export interface BackendSetSnapshot {
  ref: BackendSetRef;
  backends: Backend[];
  /** ETag of the read; the replace sends it as `if-match`. */
  etag: string;
  /**
   * Every attribute of the backend set other than its backends, as read (policy, health checker,
   * SSL, session persistence, ...). Opaque to the engine; the adapter sends it back unchanged.
   */
  attributes: Readonly<Record<string, unknown>>;
  /**
   * Backends OCI returned that could not be read (no IP address or port), one sentence each. They are
   * not in `backends`, so a replace drops them; the adapter has already logged a warning.
   */
  skippedBackends?: readonly string[];
}

export type WorkRequestState =
  | "ACCEPTED"
  | "IN_PROGRESS"
  | "SUCCEEDED"
  | "FAILED"
  | "CANCELING"
  | "CANCELED";

export interface WorkRequestStatus {
  state: WorkRequestState;
  /** OCI's error or progress message, when it gives one. */
  message?: string;
}

/** What the engine needs of OCI; implemented by `oci/load_balancers.ts` and by test fakes. */
export interface LoadBalancers {
  /** Reads a backend set. Throws `OciError`. */
  getBackendSet(ref: BackendSetRef, credentials: OciCredentials): Promise<BackendSetSnapshot>;
  /**
   * Replaces the backends of the set read in `snapshot` (with `if-match: snapshot.etag`), sending every
   * other attribute exactly as read. Returns the work request id. Throws `OciError`.
   */
  replaceBackends(
    snapshot: BackendSetSnapshot,
    backends: readonly Backend[],
    credentials: OciCredentials,
  ): Promise<{ workRequestId: string }>;
  /** State of a work request on the load balancer `loadBalancerId`. Throws `OciError`. */
  getWorkRequest(
    loadBalancerId: string,
    workRequestId: string,
    credentials: OciCredentials,
  ): Promise<WorkRequestStatus>;
}
