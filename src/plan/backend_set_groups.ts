/** Grouping of Bindings by the backend set they fill, the unit the planner works on. */

import { backendSetKey, type Binding } from "../api/binding.ts";

/** Bindings by backendSetKey(loadBalancerId, backendSetName), groups and members in input order. */
export function bindingsByBackendSet(bindings: readonly Binding[]): Map<string, Binding[]> {
  const groups = new Map<string, Binding[]>();
  for (const binding of bindings) {
    const key = backendSetKey(binding.loadBalancerId, binding.backendSetName);
    const group = groups.get(key);
    if (group) group.push(binding);
    else groups.set(key, [binding]);
  }
  return groups;
}
