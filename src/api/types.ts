/** TypeScript mirror of the LBRegistrar resource (`nodes.peppy-ratio.dev/v1alpha1`), as in the CRD. */

import type { ConditionReason, ConditionType } from "./conditions.ts";

export type IntOrString = number | string;

export type AddressType = "InternalIP" | "ExternalIP";
export type IpFamily = "IPv4" | "IPv6";
export type Ownership = "Exclusive" | "Shared";
export type DeletionPolicy = "Retain" | "Deregister";
export type Phase = "PENDING" | "REGISTERING" | "READY" | "ERROR";

/** Reference to one key of a Secret. */
export interface SecretKeySelector {
  name: string;
  key: string;
  /** Accepted for compatibility with the original; ignored (a missing key is always an error). */
  optional?: boolean;
}

export interface PrivateKeySpec {
  /** Defaults to the operator namespace. */
  namespace?: string;
  secretKeyRef: SecretKeySelector;
  /** Key in the same Secret holding the private key's passphrase. */
  passphraseKey?: string;
}

export interface ApiKeySpec {
  user: string;
  fingerprint: string;
  tenancy: string;
  /** Defaults to the region inside the load balancer OCID. */
  region?: string;
  privateKey: PrivateKeySpec;
}

export interface ServiceSpec {
  name: string;
  namespace: string;
  /** Service port number, or port name. */
  port: IntOrString;
  filterByEndpoints?: boolean;
  weight?: number;
  backendSetName?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface LBRegistrarSpec {
  loadBalancerId: string;
  backendSetName?: string;
  nodePort?: number;
  /** @deprecated alias of nodePort. */
  port?: number;
  weight?: number;
  /** @deprecated single service; use `services`. */
  service?: ServiceSpec;
  services?: ServiceSpec[];
  apiKey?: ApiKeySpec;
  nodeSelector?: LabelSelector;
  addressType?: AddressType;
  ipFamily?: IpFamily;
  ownership?: Ownership;
  drainSeconds?: number;
  deletionPolicy?: DeletionPolicy;
}

export interface Condition {
  type: ConditionType;
  status: "True" | "False" | "Unknown";
  reason: ConditionReason;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface BackendSetStatus {
  loadBalancerId: string;
  name: string;
  port?: number;
  /** "namespace/name" of the Service the port came from, when one did. */
  service?: string;
  registered: string[];
  draining: string[];
  lastWorkRequestId?: string;
  lastSyncTime?: string;
  message?: string;
}

export interface LBRegistrarStatus {
  phase?: Phase;
  observedGeneration?: number;
  lastSyncTime?: string;
  backendCount?: number;
  conditions?: Condition[];
  backendSets?: BackendSetStatus[];
}

export interface ObjectMeta {
  name: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface LBRegistrar {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: LBRegistrarSpec;
  status?: LBRegistrarStatus;
}
