/**
 * What the demo shows, read from the simulators: each backend set's backends (with the node behind
 * each address), each LBRegistrar's status, and the OCI calls made so far.
 */

import { API_VERSION, KIND } from "../../api/constants.ts";
import type { LBRegistrarStatus } from "../../api/types.ts";
import type { KubeSim } from "../../sim/kube/kube_sim.ts";
import type { OciSim, RecordedRequest } from "../../sim/oci/types.ts";

/** A backend set the demo follows. */
export interface WatchedSet {
  readonly loadBalancerId: string;
  readonly name: string;
  /** "LB" or "NLB", for the header. */
  readonly kind: string;
}

/** One backend as OCI holds it. */
export interface BackendRow {
  readonly ipPort: string;
  /** The node with that InternalIP, or "?" for an address no node ever had. */
  readonly node: string;
  readonly weight: number;
  readonly drain: boolean;
}

/** One backend set and its backends, sorted by address. */
export interface SetView extends WatchedSet {
  readonly rows: readonly BackendRow[];
}

/** One LBRegistrar as its status says. */
export interface RegistrarView {
  readonly name: string;
  readonly phase: string;
  /** "True/BackendsRegistered"-style, or "-" before the first status. */
  readonly ready: string;
  readonly backendCount: number;
  /** Whether the status speaks of the current generation. */
  readonly current: boolean;
}

/** OCI requests by kind. */
export interface CallCounts {
  readonly get: number;
  readonly put: number;
  readonly polls: number;
  readonly other: number;
}

/** Everything on screen at one moment. */
export interface DemoView {
  readonly sets: readonly SetView[];
  readonly registrars: readonly RegistrarView[];
  /** Every OCI request recorded so far, in order. */
  readonly requests: readonly RecordedRequest[];
  readonly conflicts: number;
  readonly overlaps: number;
}

/** Reads views; remembers every node address it has seen, so a deleted node keeps its name. */
export function createViewReader(
  sims: { kube: KubeSim; oci: OciSim },
  watched: { sets: readonly WatchedSet[]; registrars: readonly string[] },
): () => Promise<DemoView> {
  const nodeByIp = new Map<string, string>();
  return async () => {
    for (const node of await sims.kube.list("v1", "Node")) {
      const ip = internalIp(node.status);
      if (ip && node.metadata.name) nodeByIp.set(ip, node.metadata.name);
    }
    const sets = watched.sets.map((set) => ({
      ...set,
      rows: backendsOf(sims.oci, set, nodeByIp),
    }));
    const registrars = watched.registrars.map((name) => {
      const object = sims.kube.get({ apiVersion: API_VERSION, kind: KIND, name });
      const status = (object?.status ?? {}) as LBRegistrarStatus;
      const ready = status.conditions?.find((c) => c.type === "Ready");
      return {
        name,
        phase: status.phase ?? "-",
        ready: ready ? `${ready.status}/${ready.reason}` : "-",
        backendCount: status.backendCount ?? 0,
        current: object !== undefined &&
          status.observedGeneration === object.metadata.generation,
      };
    });
    const { total } = sims.oci.counters();
    return {
      sets,
      registrars,
      requests: sims.oci.requests(),
      conflicts: total.conflicts,
      overlaps: total.overlaps,
    };
  };
}

/** OCI requests by kind: backend-set GETs, PUTs, work-request polls, and anything else. */
export function countCalls(requests: readonly RecordedRequest[]): CallCounts {
  let get = 0, put = 0, polls = 0, other = 0;
  for (const request of requests) {
    if (request.operation === "getBackendSet") get++;
    else if (request.operation === "updateBackendSet") put++;
    else if (request.operation === "getWorkRequest") polls++;
    else other++;
  }
  return { get, put, polls, other };
}

/** Whether nothing the demo shows differs between two views (request counts aside). */
export function sameState(a: DemoView, b: DemoView): boolean {
  return JSON.stringify([a.sets, a.registrars]) === JSON.stringify([b.sets, b.registrars]);
}

/** What changed in the backend sets between two views, one line per set that changed. */
export function describeChanges(before: DemoView, after: DemoView): string[] {
  const lines: string[] = [];
  for (const set of after.sets) {
    const old = before.sets.find((s) =>
      s.loadBalancerId === set.loadBalancerId &&
      s.name === set.name
    );
    const was = new Map((old?.rows ?? []).map((row) => [row.ipPort, row]));
    const now = new Map(set.rows.map((row) => [row.ipPort, row]));
    const parts: string[] = [];
    for (const row of set.rows) {
      const previous = was.get(row.ipPort);
      if (!previous) parts.push(`+ ${label(row)}${row.drain ? " (draining)" : ""}`);
      else if (row.drain && !previous.drain) parts.push(`drain ${label(row)}`);
      else if (!row.drain && previous.drain) parts.push(`undrain ${label(row)}`);
      else if (row.weight !== previous.weight) parts.push(`weight ${row.weight} ${label(row)}`);
    }
    for (const row of old?.rows ?? []) if (!now.has(row.ipPort)) parts.push(`- ${label(row)}`);
    if (parts.length > 0) lines.push(`${set.name}: ${parts.join(", ")}`);
  }
  return lines;
}

function label(row: BackendRow): string {
  return `${row.ipPort} (${row.node})`;
}

function backendsOf(
  oci: OciSim,
  set: WatchedSet,
  nodeByIp: ReadonlyMap<string, string>,
): BackendRow[] {
  const stored = oci.getBackendSet(set.loadBalancerId, set.name);
  const backends = Array.isArray(stored?.body.backends) ? stored.body.backends : [];
  return backends.map((raw): BackendRow => {
    const backend = raw as Record<string, unknown>;
    const ip = String(backend.ipAddress ?? "");
    return {
      ipPort: `${ip}:${backend.port}`,
      node: nodeByIp.get(ip) ?? "?",
      weight: typeof backend.weight === "number" ? backend.weight : 1,
      // Classic LBs say `drain`, NLBs `isDrain`.
      drain: backend.drain === true || backend.isDrain === true,
    };
  }).sort((a, b) => compareIpPort(a.ipPort, b.ipPort));
}

function compareIpPort(a: string, b: string): number {
  const key = (text: string) => text.split(/[.:]/).map((part) => part.padStart(5, "0")).join(".");
  return key(a).localeCompare(key(b));
}

function internalIp(status: unknown): string | undefined {
  const addresses = (status as { addresses?: { type?: string; address?: string }[] } | undefined)
    ?.addresses;
  return addresses?.find((address) => address.type === "InternalIP")?.address;
}
