/**
 * Which nodes a Binding puts behind its backend set (DESIGN §4). Checks run in this order and a node
 * is counted under the first one it fails:
 *
 * | check            | not eligible when                                                        |
 * |------------------|--------------------------------------------------------------------------|
 * | deleting         | the Node has a deletionTimestamp                                         |
 * | excludeLabel     | label node.kubernetes.io/exclude-from-external-load-balancers is not "false" |
 * | nodeSelector     | the binding's LabelSelector does not match                               |
 * | deletionTaint    | tainted ToBeDeletedByClusterAutoscaler or karpenter.sh/disrupted         |
 * | noReadyEndpoint  | filterByEndpoints, and no ready (or serving-terminating) endpoint on it  |
 * | noAddress        | no usable address of the wanted type and family: skipped, named, warned  |
 *
 * An eligible node that is NotReady, or whose endpoints are all serving-but-terminating, is kept with
 * a `drainReason` (DESIGN §8: never removed for readiness alone).
 */

import type { Binding } from "../api/binding.ts";
import { DELETION_TAINTS, EXCLUDE_FROM_LB_LABEL } from "../api/constants.ts";
import type { ClassifiedAddress, ClusterIndex, EndpointState } from "./cluster.ts";
import { compileSelector } from "./label_selector.ts";
import type { NodeInfo } from "./model.ts";

/** Why an eligible node takes no new connections. */
export type DrainReason = "NotReady" | "Terminating";

/** A node that belongs in the backend set, at `ipAddress` (canonical). */
export interface EligibleNode {
  node: string;
  ipAddress: string;
  ready: boolean;
  drainReason?: DrainReason;
}

/** A node that would be eligible but cannot be registered; `reason` completes "node "n1" ...". */
export interface SkippedNode {
  node: string;
  reason: string;
}

/** The checks a node can fail, in the order they run. */
export type ExclusionCause =
  | "deleting"
  | "excludeLabel"
  | "nodeSelector"
  | "deletionTaint"
  | "noReadyEndpoint"
  | "noAddress";

/** Result of `eligibleNodes`: nodes in, nodes skipped with a reason, and counts of the rest. */
export interface EligibleNodes {
  eligible: EligibleNode[];
  skipped: SkippedNode[];
  excluded: Record<ExclusionCause, number>;
  /** The binding cannot select nodes at all (invalid selector); `eligible` is then empty. */
  problem?: { reason: "InvalidSpec"; message: string };
}

/** The parts of a Binding that decide eligibility. */
export type EligibilityRules = Pick<
  Binding,
  "nodeSelector" | "addressType" | "ipFamily" | "filterByEndpoints" | "port" | "source"
>;

const DELETION_TAINT_SET: ReadonlySet<string> = new Set(DELETION_TAINTS);

/** The nodes eligible for `binding`, the ones skipped for want of an address, and why others are out. */
export function eligibleNodes(cluster: ClusterIndex, binding: EligibilityRules): EligibleNodes {
  const excluded = noExclusions();
  const selector = compileSelector(binding.nodeSelector);
  if (!selector.ok) {
    return {
      eligible: [],
      skipped: [],
      excluded,
      problem: { reason: "InvalidSpec", message: selector.message },
    };
  }
  let endpoints: ReadonlyMap<string, EndpointState> | undefined;
  if (binding.filterByEndpoints) {
    if (binding.port.kind !== "service") {
      const message =
        `Cannot filter by endpoints for ${binding.source}: filterByEndpoints needs a service`;
      return { eligible: [], skipped: [], excluded, problem: { reason: "InvalidSpec", message } };
    }
    endpoints = cluster.endpointStates(binding.port.namespace, binding.port.name);
  }
  const eligible: EligibleNode[] = [];
  const skipped: SkippedNode[] = [];
  const selected = selectedNodes(cluster, binding.nodeSelector, selector.matches);
  excluded.deleting = selected.deleting;
  excluded.excludeLabel = selected.excludeLabel;
  excluded.nodeSelector = selected.nodeSelector;
  for (const node of selected.nodes) {
    let cause: ExclusionCause | undefined;
    if (node.taints.some((taint) => DELETION_TAINT_SET.has(taint))) cause = "deletionTaint";
    else if (endpoints && !endpoints.has(node.name)) cause = "noReadyEndpoint";
    if (cause) {
      excluded[cause]++;
      continue;
    }
    const addresses = cluster.addressesOf(node.name);
    const address = addresses.find((a) =>
      a.type === binding.addressType && a.family === binding.ipFamily && !a.unusable
    );
    if (!address?.canonical) {
      excluded.noAddress++;
      skipped.push({ node: node.name, reason: noAddressReason(binding, addresses) });
      continue;
    }
    const drainReason = !node.ready
      ? "NotReady"
      : endpoints?.get(node.name) === "terminating"
      ? "Terminating"
      : undefined;
    eligible.push({
      node: node.name,
      ipAddress: address.canonical,
      ready: node.ready,
      ...(drainReason ? { drainReason } : {}),
    });
  }
  return { eligible, skipped, excluded };
}

/** Nodes past the first three checks (they depend on the selector alone); counts of the rest. */
interface SelectedNodes {
  nodes: readonly NodeInfo[];
  deleting: number;
  excludeLabel: number;
  nodeSelector: number;
}

/**
 * Per cluster index and selector, the nodes past the deleting, exclude-label and selector checks.
 * Backend sets sharing a selector (all the sets of one LBRegistrar, and every resync) then walk
 * only their own nodes instead of the whole cluster: the index is a snapshot, rebuilt on change.
 */
const selections = new WeakMap<ClusterIndex, Map<string, SelectedNodes>>();

function selectedNodes(
  cluster: ClusterIndex,
  nodeSelector: EligibilityRules["nodeSelector"],
  matches: (labels: Readonly<Record<string, string>>) => boolean,
): SelectedNodes {
  let bySelector = selections.get(cluster);
  if (!bySelector) selections.set(cluster, bySelector = new Map());
  const key = nodeSelector ? JSON.stringify(nodeSelector) : "";
  let selected = bySelector.get(key);
  if (selected) return selected;
  const nodes: NodeInfo[] = [];
  selected = { nodes, deleting: 0, excludeLabel: 0, nodeSelector: 0 };
  for (const node of cluster.nodes.values()) {
    if (node.deleting) selected.deleting++;
    else if (isExcludedByLabel(node.labels)) selected.excludeLabel++;
    else if (!matches(node.labels)) selected.nodeSelector++;
    else nodes.push(node);
  }
  bySelector.set(key, selected);
  return selected;
}

/** Counts of zero for every exclusion cause. */
export function noExclusions(): Record<ExclusionCause, number> {
  return {
    deleting: 0,
    excludeLabel: 0,
    nodeSelector: 0,
    deletionTaint: 0,
    noReadyEndpoint: 0,
    noAddress: 0,
  };
}

function isExcludedByLabel(labels: Readonly<Record<string, string>>): boolean {
  return Object.hasOwn(labels, EXCLUDE_FROM_LB_LABEL) && labels[EXCLUDE_FROM_LB_LABEL] !== "false";
}

function noAddressReason(
  binding: EligibilityRules,
  addresses: readonly ClassifiedAddress[],
): string {
  const wanted = `has no usable ${binding.addressType} ${binding.ipFamily} address`;
  if (addresses.length === 0) return `${wanted}: it has no addresses`;
  const listed = addresses.map((a) => {
    const text = `${a.type} "${a.address}"`;
    const matters = a.type === binding.addressType && a.family === binding.ipFamily;
    return matters && a.unusable ? `${text} (${a.unusable.replace(/^is /, "")})` : text;
  });
  return `${wanted}: it has ${listed.join(", ")}`;
}
