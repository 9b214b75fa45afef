/**
 * Intake: which backend sets a change of a Node, Service or EndpointSlice can affect. It never calls
 * OCI; the engine enqueues what it returns. Reflectors already drop changes that leave a projection
 * equal (heartbeats), so here a change only needs mapping to the Bindings that read the changed
 * object. LBRegistrar changes carry a lifecycle (finalizer, deletion) and are the engine's own.
 */

import type { Binding } from "../api/binding.ts";
import type { ClusterChange } from "../kube/port.ts";
import { compileSelector } from "../plan/label_selector.ts";
import type { NodeInfo } from "../plan/model.ts";
import type { BindingsIndex } from "./bindings_index.ts";

/** A change of something Bindings read. */
export type IntakeChange = Exclude<ClusterChange, { kind: "LBRegistrar" }>;

/** The keys of the backend sets one change can affect. */
export function intake(change: IntakeChange, index: BindingsIndex): string[] {
  switch (change.kind) {
    case "Node":
      return setsWhere(index, (b) => nodeMatters(b, change.before, change.after));
    case "Service": {
      const key = change.key;
      return setsWhere(index, (b) => serviceKeyOf(b) === key);
    }
    case "EndpointSlice": {
      const key = change.key;
      return setsWhere(index, (b) => b.filterByEndpoints && serviceKeyOf(b) === key);
    }
  }
}

/** A node matters to a Binding unless the Binding's selector excludes it before and after. */
function nodeMatters(binding: Binding, before?: NodeInfo, after?: NodeInfo): boolean {
  if (!binding.nodeSelector) return true;
  const selector = compileSelector(binding.nodeSelector);
  if (!selector.ok) return false;
  return (before !== undefined && selector.matches(before.labels)) ||
    (after !== undefined && selector.matches(after.labels));
}

function serviceKeyOf(binding: Binding): string | undefined {
  return binding.port.kind === "service"
    ? `${binding.port.namespace}/${binding.port.name}`
    : undefined;
}

function setsWhere(index: BindingsIndex, test: (binding: Binding) => boolean): string[] {
  const sets = new Set<string>();
  for (const object of index.objects()) {
    for (const [key, binding] of object.bindings) if (test(binding)) sets.add(key);
  }
  return [...sets];
}
