/** The Kubernetes port: everything the engine reads from and writes to the cluster. */

import type { LBRegistrar, LBRegistrarStatus } from "../api/types.ts";
import type { EndpointSliceInfo, NodeInfo, ServiceInfo } from "../plan/model.ts";

/** The reflectors' current projections. Maps are live views: read, never mutate. */
export interface ClusterView {
  nodes: ReadonlyMap<string, NodeInfo>;
  /** Keyed "namespace/name". */
  services: ReadonlyMap<string, ServiceInfo>;
  /** Keyed "namespace/serviceName": all slices of that Service. */
  endpointSlices: ReadonlyMap<string, readonly EndpointSliceInfo[]>;
  /** Keyed by name (cluster-scoped); managedFields dropped. */
  lbRegistrars: ReadonlyMap<string, LBRegistrar>;
}

/**
 * A change of a projection. Reflectors emit one only when the projection really changed, so a Node
 * heartbeat or an unrelated annotation produces nothing.
 */
export type ClusterChange =
  | { kind: "Node"; name: string; before?: NodeInfo; after?: NodeInfo }
  | { kind: "Service"; key: string; before?: ServiceInfo; after?: ServiceInfo }
  | { kind: "EndpointSlice"; key: string }
  | { kind: "LBRegistrar"; name: string; before?: LBRegistrar; after?: LBRegistrar };

export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

export interface EventRecord {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** What the engine needs of Kubernetes; implemented by `kube/cluster.ts` and by test fakes. */
export interface Cluster {
  /** Starts the reflectors; they run until `signal` aborts. */
  start(signal: AbortSignal): void;
  /** Resolves once everything `start` began has ended, after its signal aborted (optional). */
  stopped?(): Promise<void>;
  /** True once every reflector has completed its first list. */
  hasSynced(): boolean;
  /** Resolves once `hasSynced()`; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void>;
  view(): ClusterView;
  /** Registers a listener for projection changes; returns the unsubscribe function. */
  subscribe(listener: (change: ClusterChange) => void): () => void;
  /**
   * Reads one key of a Secret with a single GET, only in the allowed namespaces. Throws `KubeError`
   * (`namespace-not-allowed`, `not-found`, `key-missing`, `forbidden`, `transient`).
   */
  readSecretKey(ref: SecretKeyRef): Promise<string>;
  /** Merge-patches `/status` of an LBRegistrar, only when it differs from what is stored. */
  patchStatus(name: string, status: LBRegistrarStatus): Promise<void>;
  /** Adds or removes the operator's finalizer. */
  setFinalizer(name: string, present: boolean): Promise<void>;
  /** Records an Event about an LBRegistrar, aggregating repeats. */
  recordEvent(lbr: LBRegistrar, event: EventRecord): Promise<void>;
}
