/** A Binding: one (load balancer, backend set, port source) the operator keeps filled for one LBRegistrar. */

import type { AddressType, IntOrString, IpFamily, LabelSelector, Ownership } from "./types.ts";

/** Where the backend port comes from. */
export type PortSource =
  | { kind: "fixed"; nodePort: number }
  | { kind: "service"; namespace: string; name: string; port: IntOrString };

export interface Binding {
  /** Name of the LBRegistrar that asks for it. */
  lbr: string;
  loadBalancerId: string;
  backendSetName: string;
  port: PortSource;
  weight: number;
  filterByEndpoints: boolean;
  nodeSelector?: LabelSelector;
  addressType: AddressType;
  ipFamily: IpFamily;
  ownership: Ownership;
  drainSeconds: number;
  /** Path of the spec element this came from, for messages ("spec.services[1]", "spec"). */
  source: string;
}

/** Key of a backend set across all load balancers. */
export function backendSetKey(loadBalancerId: string, backendSetName: string): string {
  return `${loadBalancerId}/${backendSetName}`;
}
