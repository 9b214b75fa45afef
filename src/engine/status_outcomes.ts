/**
 * The backend-set outcomes an object's status is built from: those this process recorded, plus one
 * for each set the object targets that it has not synced yet.
 */

import type { BackendSetOutcome } from "../api/status.ts";
import type { LBRegistrar } from "../api/types.ts";
import { parseSetKey } from "./bindings_index.ts";

/**
 * `known` plus an entry per targeted set without one: what the object's status already says of that
 * set when it is Ready at this generation (a restart must not flip Ready objects to REGISTERING and
 * back), else a pending one, so one set in sync never makes the object Ready while another still
 * waits. With nothing known the list stays empty: the PENDING of "no attempt yet" (DESIGN §8).
 */
export function outcomesForStatus(
  known: ReadonlyMap<string, BackendSetOutcome> | undefined,
  targeted: Iterable<string>,
  lbr: LBRegistrar,
): BackendSetOutcome[] {
  if (!known || known.size === 0) return [];
  const result = [...known.values()];
  const status = lbr.status;
  const trusted = status?.observedGeneration === lbr.metadata.generation &&
    status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  for (const key of targeted) {
    if (known.has(key)) continue;
    const { loadBalancerId, backendSetName } = parseSetKey(key);
    const written = trusted
      ? status?.backendSets?.find((s) =>
        s.loadBalancerId === loadBalancerId && s.name === backendSetName
      )
      : undefined;
    result.push(
      written ? { ...written } : {
        loadBalancerId,
        name: backendSetName,
        reason: "WorkRequestPending",
        message: "Waiting for the first sync",
        registered: [],
        draining: [],
      },
    );
  }
  return result;
}
