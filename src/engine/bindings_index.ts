/**
 * Which backend sets each LBRegistrar targets, from its normalised spec. Normalising happens once per
 * object generation, not per sync; the reverse index answers "who targets this backend set".
 */

import { backendSetKey, type Binding } from "../api/binding.ts";
import { normalise, type Normalised } from "../api/normalise.ts";
import type { LBRegistrar } from "../api/types.ts";

/** One object's normalised spec, cached by generation. */
export interface IndexedObject {
  name: string;
  generation: number | undefined;
  normalised: Normalised;
  /** backendSetKey → the object's Binding of that set (CEL rule 7: at most one per set). */
  bindings: ReadonlyMap<string, Binding>;
}

export interface BindingsIndex {
  /**
   * Re-normalises `lbr` if its spec may have changed; returns the set keys it targeted and targets,
   * and whether it was (re-)normalised (new object, or new generation or spec).
   */
  upsert(lbr: LBRegistrar): { before: string[]; after: string[]; changed: boolean };
  /** Forgets an object; returns the set keys it targeted. */
  remove(name: string): string[];
  get(name: string): IndexedObject | undefined;
  /** Names of the objects with a Binding on the set, sorted. */
  targeting(setKey: string): string[];
  /** Every set key some object targets. */
  setKeys(): string[];
  /** Every indexed object. */
  objects(): IterableIterator<IndexedObject>;
}

/** Creates an empty index; `operatorNamespace` defaults the API key Secret namespace. */
export function createBindingsIndex(operatorNamespace: string): BindingsIndex {
  const byName = new Map<string, IndexedObject & { specJson: string }>();
  const bySet = new Map<string, Set<string>>();

  function link(name: string, keys: Iterable<string>, add: boolean) {
    for (const key of keys) {
      let names = bySet.get(key);
      if (add) {
        if (!names) bySet.set(key, names = new Set());
        names.add(name);
      } else if (names) {
        names.delete(name);
        if (names.size === 0) bySet.delete(key);
      }
    }
  }

  return {
    upsert(lbr) {
      const name = lbr.metadata.name;
      const old = byName.get(name);
      const before = old ? [...old.bindings.keys()] : [];
      // Generation is absent on objects from servers without it; the spec text decides then.
      const specJson = JSON.stringify(lbr.spec ?? null);
      if (old && old.generation === lbr.metadata.generation && old.specJson === specJson) {
        return { before, after: before, changed: false };
      }
      const normalised = normalise(lbr, { operatorNamespace });
      const bindings = new Map<string, Binding>();
      for (const binding of normalised.bindings) {
        bindings.set(backendSetKey(binding.loadBalancerId, binding.backendSetName), binding);
      }
      if (old) link(name, old.bindings.keys(), false);
      byName.set(name, {
        name,
        generation: lbr.metadata.generation,
        normalised,
        bindings,
        specJson,
      });
      link(name, bindings.keys(), true);
      return { before, after: [...bindings.keys()], changed: true };
    },
    remove(name) {
      const old = byName.get(name);
      if (!old) return [];
      byName.delete(name);
      link(name, old.bindings.keys(), false);
      return [...old.bindings.keys()];
    },
    get: (name) => byName.get(name),
    targeting: (setKey) => [...(bySet.get(setKey) ?? [])].sort(),
    setKeys: () => [...bySet.keys()],
    objects: () => byName.values(),
  };
}

/** Splits a set key back into its load balancer and backend set name. */
export function parseSetKey(key: string): { loadBalancerId: string; backendSetName: string } {
  const slash = key.indexOf("/");
  return { loadBalancerId: key.slice(0, slash), backendSetName: key.slice(slash + 1) };
}
