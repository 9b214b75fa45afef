/**
 * What each Binding wants in its backend set, and the merge of all Bindings (of all LBRegistrars)
 * that name the same set. Backends are keyed by `ipPort` so merging and diffing are Map lookups.
 * Merge rule (DESIGN §8): the same ip:port wanted with different weights gets the highest; it is
 * drained only if every Binding that wants it would drain it.
 */

import type { Binding } from "../api/binding.ts";
import type { ConditionReason } from "../api/conditions.ts";
import { MAX_WEIGHT, MIN_WEIGHT } from "../api/constants.ts";
import { ipPort } from "./model.ts";
import type { ClusterIndex } from "./cluster.ts";
import {
  type EligibleNode,
  eligibleNodes,
  type ExclusionCause,
  noExclusions,
  type SkippedNode,
} from "./eligible_nodes.ts";
import { resolveNodePort } from "./node_port.ts";

/** Why a desired backend has the drain flag it has. */
export type DesireRule = "wanted" | "notReady" | "terminating" | "failOpen";

/** One backend a Binding wants, keyed by `key` (= ipPort(ipAddress, port)). */
export interface DesiredBackend {
  key: string;
  ipAddress: string;
  port: number;
  weight: number;
  drain: boolean;
  rule: DesireRule;
  /** The node it stands for. */
  node: string;
}

/** Reasons a valid Binding wants nothing (fail static applies). */
export type EmptyReason = "NoEligibleNodes" | "NoReadyEndpoints";

/** Everything planning learned about one Binding. */
export interface BindingDesire {
  binding: Binding;
  /** The resolved backend port. */
  port?: number;
  /** "namespace/name" of the Service the port comes from. */
  service?: string;
  /** Its backends by ip:port, one per address (duplicates are in `skipped`). */
  wants: ReadonlyMap<string, DesiredBackend>;
  skipped: SkippedNode[];
  excluded: Record<ExclusionCause, number>;
  /** The Binding cannot be planned (InvalidSpec, ServiceNotFound, NodePortNotAllocated). */
  problem?: { reason: ConditionReason; message: string };
  /** The Binding is valid but wants no backend. */
  empty?: { reason: EmptyReason; message: string };
}

const NOTHING: ReadonlyMap<string, DesiredBackend> = new Map();

/**
 * The last few desires worked out, by Binding (replaced when its object changes) and cluster index
 * (a snapshot, rebuilt on every change). A write plans its set twice, before and against what it
 * wrote, and a 5,000-node desire is ~5,000 objects. Only a few are kept: keeping every set's would
 * hold them all in memory between changes. Read-only once made, so sharing one is safe.
 */
const recentDesires = new Map<Binding, { cluster: ClusterIndex; desire: BindingDesire }>();
const RECENT_DESIRES = 16;

/** Resolves the port of `binding`, picks its eligible nodes and turns them into backends. */
export function bindingDesire(cluster: ClusterIndex, binding: Binding): BindingDesire {
  const recent = recentDesires.get(binding);
  if (recent?.cluster === cluster) return recent.desire;
  const desire = computeDesire(cluster, binding);
  recentDesires.delete(binding);
  recentDesires.set(binding, { cluster, desire });
  if (recentDesires.size > RECENT_DESIRES) {
    recentDesires.delete(recentDesires.keys().next().value as Binding);
  }
  return desire;
}

function computeDesire(cluster: ClusterIndex, binding: Binding): BindingDesire {
  const base = { binding, wants: NOTHING, skipped: [], excluded: noExclusions() };
  const invalid = invalidSetting(binding);
  if (invalid) return { ...base, problem: { reason: "InvalidSpec", message: invalid } };
  const resolved = resolveNodePort(cluster.services, binding.port);
  const service = resolved.service;
  if (!resolved.ok) {
    return {
      ...base,
      ...(service ? { service } : {}),
      problem: { reason: resolved.reason, message: resolved.message },
    };
  }
  const port = resolved.port;
  const found = eligibleNodes(cluster, binding);
  const located = { ...base, port, ...(service ? { service } : {}), excluded: found.excluded };
  if (found.problem) return { ...located, problem: found.problem };
  const skipped = [...found.skipped];
  const wants = new Map<string, DesiredBackend>();
  for (const eligible of found.eligible) {
    const backend = toBackend(eligible, port, binding.weight);
    const other = wants.get(backend.key);
    if (!other) {
      wants.set(backend.key, backend);
      continue;
    }
    // Two nodes with one address: register it once, for the smaller name, and name the other.
    const [kept, dropped] = other.node < backend.node ? [other, backend] : [backend, other];
    wants.set(kept.key, kept);
    skipped.push({
      node: dropped.node,
      reason:
        `has address "${dropped.ipAddress}" like node "${kept.node}": registered once, for "${kept.node}"`,
    });
  }
  const desire = { ...located, wants, skipped };
  if (wants.size > 0) return desire;
  return { ...desire, empty: emptyReason(binding, service, found.excluded, cluster.nodes.size) };
}

/** The merged backends wanted by `desires` (Bindings of one backend set), keyed by ip:port. */
export function desiredBackends(
  desires: readonly BindingDesire[],
): ReadonlyMap<string, DesiredBackend> {
  const wanting = desires.filter((d) => d.wants.size > 0);
  if (wanting.length === 1 && wanting[0]) return wanting[0].wants;
  const merged = new Map<string, DesiredBackend>();
  for (const { wants } of desires) {
    for (const [key, backend] of wants) {
      const other = merged.get(key);
      if (!other) {
        merged.set(key, backend);
        continue;
      }
      const drain = other.drain && backend.drain;
      merged.set(key, {
        ...other,
        weight: Math.max(other.weight, backend.weight),
        drain,
        rule: drain ? other.rule : "wanted",
      });
    }
  }
  return merged;
}

function toBackend(eligible: EligibleNode, port: number, weight: number): DesiredBackend {
  const { node, ipAddress, drainReason } = eligible;
  const rule: DesireRule = drainReason === "NotReady"
    ? "notReady"
    : drainReason === "Terminating"
    ? "terminating"
    : "wanted";
  return {
    key: ipPort(ipAddress, port),
    ipAddress,
    port,
    weight,
    drain: rule !== "wanted",
    rule,
    node,
  };
}

/** Settings normalise should have caught; checked again so no bad value ever reaches OCI. */
function invalidSetting(binding: Binding): string | undefined {
  const { weight, drainSeconds, source } = binding;
  if (!Number.isInteger(weight) || weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
    return `Cannot use weight ${
      JSON.stringify(weight)
    } in ${source}: wanted a whole number from ${MIN_WEIGHT} to ${MAX_WEIGHT}`;
  }
  if (!Number.isFinite(drainSeconds) || drainSeconds < 0) {
    return `Cannot use drainSeconds ${
      JSON.stringify(drainSeconds)
    } in ${source}: wanted a number of seconds, 0 or more`;
  }
  return undefined;
}

const CAUSE_TEXT: Record<ExclusionCause, string> = {
  deleting: "being deleted",
  excludeLabel: "labelled node.kubernetes.io/exclude-from-external-load-balancers",
  nodeSelector: "not matching the nodeSelector",
  deletionTaint: "tainted for deletion",
  noReadyEndpoint: "without a ready endpoint",
  noAddress: "without a usable address",
};

function emptyReason(
  binding: Binding,
  service: string | undefined,
  excluded: Record<ExclusionCause, number>,
  nodeCount: number,
): { reason: EmptyReason; message: string } {
  const target = `backend set "${binding.backendSetName}" (${binding.source})`;
  const counts = Object.entries(excluded)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${n} ${CAUSE_TEXT[cause as ExclusionCause]}`);
  const detail = nodeCount === 0
    ? "the cluster has no nodes"
    : `of ${nodeCount} nodes, ${counts.join(", ")}`;
  if (excluded.noReadyEndpoint > 0) {
    return {
      reason: "NoReadyEndpoints",
      message:
        `Cannot find a ready endpoint of service "${service}" on an eligible node for ${target}: ${detail}`,
    };
  }
  return {
    reason: "NoEligibleNodes",
    message: `Cannot find an eligible node for ${target}: ${detail}`,
  };
}
