/**
 * The random but seeded stream of faults: OCI 429/500/409 answers, failed and never-finishing work
 * requests, dropped connections and failed work-request polls; Kubernetes watch closes, 410 Gone
 * (history compacted under open watches), 500 on list and a restart of the API server with the same
 * data. Process faults (SIGKILL mid work request, leader handover) are scheduled by the soak itself.
 */

import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { OciSim, SimOperation } from "../../src/sim/oci/oci_sim.ts";
import { preciseNow } from "../../src/sim/oci/recorder.ts";
import type { Random } from "./random.ts";
import type { WriteLedger } from "./write_ledger.ts";

/** Kinds of fault, with their relative frequency. */
export const FAULT_WEIGHTS = {
  "oci-429": 3,
  "oci-500": 3,
  "oci-409": 2,
  "oci-drop": 3,
  "oci-poll-fail": 1,
  "wr-failed": 3,
  "wr-hang": 1,
  "wr-hang-late-success": 1,
  "kube-watch-close": 3,
  "kube-410": 2,
  "kube-list-500": 2,
  "kube-restart": 1,
} as const;

export type FaultKind = keyof typeof FAULT_WEIGHTS | "sigkill" | "handover";

/** What the fault stream works on. */
export interface FaultDeps {
  kube: KubeSim;
  oci: OciSim;
  random: Random;
  ledger: WriteLedger;
  lbIds: readonly string[];
  /** Kinds never drawn (e.g. one whose finding is still open). */
  exclude?: readonly FaultKind[];
}

/** Cluster-wide lists of the kinds the operator watches (not watches, not single GETs). */
const LIST_PATHS =
  /^\/(api\/v1\/(nodes|services)|apis\/discovery\.k8s\.io\/v1\/endpointslices|apis\/nodes\.peppy-ratio\.dev\/v1alpha1\/lbregistrars)(\?|$)/;

/** Injects one random fault per call. */
export function createFaultStream(deps: FaultDeps) {
  const { kube, oci, random, ledger, lbIds, exclude = [] } = deps;
  const weights = Object.fromEntries(
    Object.entries(FAULT_WEIGHTS).filter(([kind]) => !exclude.includes(kind as FaultKind)),
  ) as Record<keyof typeof FAULT_WEIGHTS, number>;
  const hungDue = new Map<string, number>();

  const faults: Record<keyof typeof FAULT_WEIGHTS, (lbId: string) => Promise<string>> = {
    "oci-429": (lbId) => {
      const op = random.pick<SimOperation>(["updateBackendSet", "getBackendSet"]);
      const count = random.int(1, 3);
      oci.inject({ op, lbId, status: 429, count });
      return done(`429 on the next ${count} ${op} of ${short(lbId)}`);
    },
    "oci-500": (lbId) => {
      const op = random.pick<SimOperation>(["updateBackendSet", "getBackendSet"]);
      oci.inject({ op, lbId, status: 500, count: 1 });
      return done(`500 on the next ${op} of ${short(lbId)}`);
    },
    "oci-409": (lbId) => {
      const count = random.int(1, 2);
      oci.inject({ op: "updateBackendSet", lbId, status: 409, code: "Conflict", count });
      return done(`409 on the next ${count} PUTs of ${short(lbId)}`);
    },
    "oci-drop": (lbId) => {
      const op = random.pick<SimOperation>(["getBackendSet", "updateBackendSet"]);
      oci.dropNextConnections({ op, lbId });
      return done(`dropped connection on the next ${op} of ${short(lbId)}`);
    },
    "oci-poll-fail": (lbId) => {
      if (random.chance(0.5)) {
        oci.inject({ op: "getWorkRequest", lbId, status: 500, count: 1 });
        return done(`500 on the next work-request poll of ${short(lbId)}`);
      }
      oci.dropNextConnections({ op: "getWorkRequest", lbId });
      return done(`dropped connection on the next work-request poll of ${short(lbId)}`);
    },
    "wr-failed": (lbId) => {
      oci.failNextWorkRequests({ lbId });
      ledger.expectOutcome(lbId, "FAILED", preciseNow());
      return done(`next work request of ${short(lbId)} fails`);
    },
    "wr-hang": (lbId) => {
      oci.hangNextWorkRequests({ lbId });
      ledger.expectOutcome(lbId, "HANG", preciseNow(), "FAILED");
      return done(`next work request of ${short(lbId)} hangs, then fails`);
    },
    "wr-hang-late-success": (lbId) => {
      oci.hangNextWorkRequests({ lbId });
      ledger.expectOutcome(lbId, "HANG", preciseNow(), "SUCCEEDED");
      return done(
        `next work request of ${short(lbId)} hangs, then succeeds late (a stale write lands)`,
      );
    },
    "kube-watch-close": () => {
      kube.closeAllWatches();
      return done("every watch closed");
    },
    "kube-410": () => {
      kube.compact();
      kube.closeAllWatches();
      return done("history compacted and watches closed (410 Gone on resume)");
    },
    "kube-list-500": () => {
      const count = random.int(1, 3);
      kube.injectFailure({
        method: "GET",
        pathPattern: LIST_PATHS,
        watch: false,
        status: 500,
        count,
      });
      kube.compact();
      kube.closeAllWatches();
      return done(`500 on the next ${count} lists, watches closed after a compaction`);
    },
    "kube-restart": async () => {
      await kube.restart();
      return "Kubernetes API server restarted (same data, same port)";
    },
  };

  return {
    /** Injects one fault of a random kind. */
    async inject(): Promise<{ kind: FaultKind; text: string }> {
      const kind = random.weighted(weights);
      const text = await faults[kind](random.pick(lbIds));
      return { kind, text };
    },
    /**
     * Ends hung work requests a while after the operator gave up on them, as their fault said: a late
     * success lands a stale write, which the operator must then correct. `all` ends every one now.
     */
    endHung(timeoutMs: number, all = false): number {
      let ended = 0;
      for (const wr of ledger.hung()) {
        const due = hungDue.get(wr.id) ?? wr.acceptedAt + timeoutMs + random.int(500, 4000);
        hungDue.set(wr.id, due);
        if (!all && preciseNow() < due) continue;
        try {
          oci.completeWorkRequest(wr.id, wr.lateEnd ?? "FAILED");
        } catch {
          // It was not hung after all (the fault went to another work request): it ended by itself.
        }
        ledger.ended(wr.id, preciseNow());
        hungDue.delete(wr.id);
        ended++;
      }
      return ended;
    },
  };
}

function done(text: string): Promise<string> {
  return Promise.resolve(text);
}

function short(lbId: string): string {
  return lbId.slice(lbId.lastIndexOf(".") + 1);
}
