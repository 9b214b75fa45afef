/**
 * Intake: which backend sets a cluster change can affect. It never calls OCI; the engine enqueues
 * what it returns. Reflectors already drop changes that leave a projection equal (heartbeats), so
 * here a change only needs mapping to the Bindings that read the changed object.
 */

import type { Binding } from "../api/binding.ts";
import type { ClusterChange } from "../kube/port.ts";
import { lbrChangeMatters } from "../kube/relevance.ts";
import { compileSelector } from "../plan/label_selector.ts";
import type { NodeInfo } from "../plan/model.ts";
import type { BindingsIndex } from "./bindings_index.ts";

/** What a change means for the engine. */
export interface IntakeResult {
  /** Backend sets to sync. */
  sets: string[];
  /** LBRegistrars whose status should be rewritten without a sync (invalid spec, deletion). */
  objects: string[];
}

const NOTHING: IntakeResult = { sets: [], objects: [] };

/** Maps one change to the backend sets it can affect, updating the index for LBRegistrar changes. */
export function intake(change: ClusterChange, index: BindingsIndex): IntakeResult {
  switch (change.kind) {
    case "Node":
      return {
        sets: setsWhere(index, (b) => nodeMatters(b, change.before, change.after)),
        objects: [],
      };
    case "Service": {
      const key = change.key;
      return { sets: setsWhere(index, (b) => serviceKeyOf(b) === key), objects: [] };
    }
    case "EndpointSlice": {
      const key = change.key;
      return {
        sets: setsWhere(index, (b) => b.filterByEndpoints && serviceKeyOf(b) === key),
        objects: [],
      };
    }
    case "LBRegistrar": {
      const { name, before, after } = change;
      if (!after) {
        const sets = index.remove(name);
        return { sets, objects: [] };
      }
      if (before && !lbrChangeMatters(before, after)) return NOTHING;
      const { before: old, after: now } = index.upsert(after);
      return { sets: [...new Set([...old, ...now])], objects: [name] };
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
