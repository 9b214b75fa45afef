/**
 * The small projections of cluster objects the planner reads, and the backend model shared with the
 * OCI port. Reflectors in `kube/` produce these; nothing else of a Kubernetes object is kept.
 */

export interface NodeAddress {
  type: string;
  address: string;
}

/** What the planner needs of a Node. */
export interface NodeInfo {
  name: string;
  /** metadata.deletionTimestamp is set. */
  deleting: boolean;
  labels: Readonly<Record<string, string>>;
  /** Keys of the node's taints. */
  taints: readonly string[];
  /** Ready condition is "True" (DESIGN §8: False, Unknown or absent is NotReady). */
  ready: boolean;
  addresses: readonly NodeAddress[];
}

export interface ServicePortInfo {
  name?: string;
  port: number;
  protocol: string;
  nodePort?: number;
}

/** What the planner needs of a Service. */
export interface ServiceInfo {
  namespace: string;
  name: string;
  type: string;
  ports: readonly ServicePortInfo[];
}

export interface EndpointInfo {
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** What the planner needs of an EndpointSlice. */
export interface EndpointSliceInfo {
  namespace: string;
  name: string;
  /** Value of the `kubernetes.io/service-name` label. */
  serviceName: string;
  endpoints: readonly EndpointInfo[];
}

/** One backend of an OCI backend set, as the operator sees it (classic LB and NLB alike). */
export interface Backend {
  ipAddress: string;
  port: number;
  weight: number;
  drain: boolean;
  /** Not managed by the operator: carried over as read. */
  backup: boolean;
  /** Not managed by the operator: carried over as read. */
  offline: boolean;
  /** Classic LB only; not managed: carried over as read. */
  maxConnections?: number;
  /** NLB only; not managed: carried over as read. */
  name?: string;
  /** NLB only; not managed: carried over as read. */
  targetId?: string;
}

/** "ip:port", the identity of a backend (IPv6 in brackets). */
export function ipPort(ipAddress: string, port: number): string {
  return ipAddress.includes(":") ? `[${ipAddress}]:${port}` : `${ipAddress}:${port}`;
}
