/** Fixed names of the LBRegistrar API and of the labels, taints and annotations the operator reads. */

export const GROUP = "nodes.peppy-ratio.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = "LBRegistrar";
export const PLURAL = "lbregistrars";
export const SHORT_NAME = "lbr";

/** Finalizer added when `deletionPolicy: Deregister`. */
export const FINALIZER = `${GROUP}/deregister`;
/** Annotation that stops every OCI write for an object. */
export const PAUSED_ANNOTATION = `${GROUP}/paused`;
/** Annotation that releases a `Deregister` object without touching OCI. */
export const SKIP_CLEANUP_ANNOTATION = `${GROUP}/skip-cleanup`;

/** Node label honoured by every cloud provider: any value but "false" excludes the node. */
export const EXCLUDE_FROM_LB_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers";
/** Taints that announce a node is about to be removed. */
export const DELETION_TAINTS: readonly string[] = [
  "ToBeDeletedByClusterAutoscaler",
  "karpenter.sh/disrupted",
];

/** Defaults of the spec (DESIGN §3). */
export const DEFAULT_WEIGHT = 1;
export const DEFAULT_DRAIN_SECONDS = 30;
export const MIN_WEIGHT = 1;
export const MAX_WEIGHT = 100;
export const MAX_DRAIN_SECONDS = 3600;
export const DEFAULT_ADDRESS_TYPE = "InternalIP";
export const DEFAULT_IP_FAMILY = "IPv4";
export const DEFAULT_OWNERSHIP = "Exclusive";
export const DEFAULT_DELETION_POLICY = "Retain";
/** Most entries of `spec.services`: an OCI Network Load Balancer holds at most 50 backend sets. */
export const MAX_SERVICES = 50;

/** Namespace where events about cluster-scoped objects are written (DESIGN §8). */
export const EVENT_NAMESPACE = "default";
/** Name of the leader-election Lease. */
export const LEASE_NAME = "oci-lb-registrar";
/** The name the operator reports as event source and field manager. */
export const COMPONENT = "oci-lb-registrar";
