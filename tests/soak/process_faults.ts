/**
 * Faults of the operator process itself: SIGKILL of the writer while one of its work requests runs
 * (restarted at once in the same slot), and a leader handover (SIGTERM to the Lease holder, which
 * must finish its work requests, release the Lease and exit 0 while the follower takes over).
 */

import type { OciSim } from "../../src/sim/oci/oci_sim.ts";
import { preciseNow } from "../../src/sim/oci/recorder.ts";
import { type OperatorPool, sleep } from "./operator_pool.ts";
import type { WriteLedger } from "./write_ledger.ts";

/** What a SIGKILL hit. */
export interface KillResult {
  /** When the writer was killed (epoch ms); 0 when no process was leading. */
  killedAt: number;
  /** A work request of the writer was running at the kill. */
  midWrite: boolean;
}

/** SIGKILLs the writer, mid work request when one starts within 5 s, then starts a fresh process. */
export async function killWriterMidWrite(
  pool: OperatorPool,
  ledger: WriteLedger,
  oci: OciSim,
  progress: (line: string) => void,
): Promise<KillResult> {
  const deadline = Date.now() + 5_000;
  let inFlight = false;
  while (Date.now() < deadline) {
    ledger.absorb(oci.requests());
    if (ledger.inFlight(preciseNow()).length > 0 && pool.leader()) {
      inFlight = true;
      break;
    }
    await sleep(10);
  }
  const writer = pool.leader();
  const target = writer ?? pool.live()[0];
  if (!target) return { killedAt: 0, midWrite: false };
  // Only the writer's death can excuse a later overlap (its work request was left behind).
  if (writer) ledger.killed(preciseNow());
  const how = !writer
    ? "(no process was leading)"
    : inFlight
    ? "mid work request"
    : "(no work request started within 5 s)";
  progress(`SIGKILL ${target.name} (pid ${target.pid}) ${how}`);
  const killedAt = Date.now();
  const fresh = await pool.replace(target, "SIGKILL");
  progress(`started ${fresh.name} (pid ${fresh.pid})`);
  return { killedAt: writer ? killedAt : 0, midWrite: writer !== undefined && inFlight };
}

/** SIGTERMs the leader (it must hand the Lease over cleanly) and starts a fresh follower. */
export async function handOver(
  pool: OperatorPool,
  progress: (line: string) => void,
): Promise<void> {
  const leader = await pool.waitForLeader(30_000);
  progress(`SIGTERM ${leader.name} (pid ${leader.pid}): leader handover`);
  const fresh = await pool.replace(leader, "SIGTERM");
  progress(`started ${fresh.name} (pid ${fresh.pid})`);
}
