/**
 * What each Binding holds in the next backend list, for `status.backendSets[]`. Besides the backends
 * a Binding wants, an LBRegistrar keeps in its records the backends it registered earlier that are
 * still in the list though nobody wants them any more (draining before removal, kept by fail static
 * or while unresolved): in Shared mode these records are the only proof of ownership, so dropping
 * them would strand those backends as foreign. They are listed on the LBRegistrar's first Binding of
 * the set, or as an orphan when it has no Binding on the set any more. In Exclusive mode a backend
 * nobody recorded but at a Binding's port (the first sync, or a set taken over from the original
 * operator) is listed on the staying Bindings of that port, so its drain shows in status at once.
 */

import type { Binding } from "../api/binding.ts";
import type { BindingDesire } from "./desired_backends.ts";
import type { DiffEntry } from "./diff.ts";

/** One Binding's share of the next list. */
export interface BindingOutcome {
  binding: Binding;
  /** The resolved backend port. */
  port?: number;
  /** "namespace/name" of the Service the port came from. */
  service?: string;
  /** ip:port present and active (drain=false) in the next list. */
  registered: string[];
  /** ip:port present and drained in the next list. */
  draining: string[];
}

/** Records of an LBRegistrar that has no Binding on this set any more, still present in it. */
export interface OrphanOutcome {
  lbr: string;
  registered: string[];
  draining: string[];
}

/** Inputs of `bindingOutcomes`. */
export interface OutcomeInput {
  /** One per Binding of the set, in input order, leaving ones included. */
  desires: readonly BindingDesire[];
  /** Names of LBRegistrars being deregistered: their wants count as records, not as wants. */
  leaving: ReadonlySet<string>;
  /** The final decisions; their `next` backends form the next list. */
  entries: readonly DiffEntry[];
  /** Merged wants of the Bindings that stay, by ip:port. */
  wanted: ReadonlyMap<string, unknown>;
  /** Status records per LBRegistrar. */
  owned: ReadonlyMap<string, ReadonlySet<string>>;
  /** Exclusive: unrecorded backends at a Binding's port are that Binding's. */
  ownership: "Exclusive" | "Shared";
}

/** Per-Binding registered/draining lists in next-list order, and orphaned records. */
export function bindingOutcomes(
  input: OutcomeInput,
): { bindings: BindingOutcome[]; orphans: OrphanOutcome[] } {
  const { desires, leaving, entries, wanted, owned, ownership } = input;
  const bindings: BindingOutcome[] = desires.map(({ binding, port, service }) => ({
    binding,
    ...(port === undefined ? {} : { port }),
    ...(service === undefined ? {} : { service }),
    registered: [],
    draining: [],
  }));
  const wantedBy = new Map<string, number[]>();
  const firstOf = new Map<string, number>();
  // Records per LBRegistrar, without copying the (possibly large) status sets.
  const records = new Map<string, ReadonlySet<string>[]>();
  for (const [lbr, keys] of owned) records.set(lbr, [keys]);
  desires.forEach(({ binding, wants }, i) => {
    if (!firstOf.has(binding.lbr)) firstOf.set(binding.lbr, i);
    if (!leaving.has(binding.lbr)) {
      for (const key of wants.keys()) push(wantedBy, key, i);
      return;
    }
    const sets = records.get(binding.lbr);
    const keys = new Set(wants.keys());
    if (sets) sets.push(keys);
    else records.set(binding.lbr, [keys]);
  });
  const orphans = new Map<string, OrphanOutcome>();
  const listed = new Set<string>();
  for (const { key, next: backend } of entries) {
    if (!backend || listed.has(key)) continue;
    listed.add(key);
    const list = backend.drain ? "draining" : "registered";
    if (wanted.has(key)) {
      for (const i of wantedBy.get(key) ?? []) bindings[i]?.[list].push(key);
      continue;
    }
    let claimed = false;
    const holders = [...records].filter(([, sets]) => sets.some((keys) => keys.has(key)));
    // A leaving LBRegistrar lets go of what a staying one also holds, so its cleanup can finish.
    const heldByStaying = holders.some(([lbr]) => !leaving.has(lbr));
    for (const [lbr] of holders) {
      if (heldByStaying && leaving.has(lbr)) continue;
      claimed = true;
      const first = firstOf.get(lbr);
      if (first !== undefined) bindings[first]?.[list].push(key);
      else orphanOf(orphans, lbr)[list].push(key);
    }
    if (claimed || ownership !== "Exclusive") continue;
    desires.forEach(({ binding, port }, i) => {
      if (port === backend.port && !leaving.has(binding.lbr)) bindings[i]?.[list].push(key);
    });
  }
  return { bindings, orphans: [...orphans.values()] };
}

function push(map: Map<string, number[]>, key: string, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

function orphanOf(orphans: Map<string, OrphanOutcome>, lbr: string): OrphanOutcome {
  let orphan = orphans.get(lbr);
  if (!orphan) orphans.set(lbr, orphan = { lbr, registered: [], draining: [] });
  return orphan;
}
