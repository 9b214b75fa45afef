/**
 * In-memory fakes of the engine's dependencies: the Kubernetes port (`Cluster`), the OCI port
 * (`LoadBalancers`) and a logger that records. The OCI fake keeps seeded backend sets, logs every
 * call, fails on demand, answers 409 like OCI while a work request runs on the LB, and counts the
 * mutations it saw overlap.
 */

import { FINALIZER } from "../../src/api/constants.ts";
import type { LBRegistrar, LBRegistrarSpec, LBRegistrarStatus } from "../../src/api/types.ts";
import type { Cluster, ClusterChange, EventRecord, SecretKeyRef } from "../../src/kube/port.ts";
import { KubeError } from "../../src/kube/errors.ts";
import type { Logger } from "../../src/log.ts";
import { OciError } from "../../src/oci/errors.ts";
import type { BackendSetSnapshot, LoadBalancers, WorkRequestStatus } from "../../src/oci/port.ts";
import type { Backend, EndpointSliceInfo, NodeInfo, ServiceInfo } from "../../src/plan/model.ts";

/** A fake cluster: mutate it with the methods below; each emits the change a reflector would. */
export interface FakeCluster extends Cluster {
  setNode(node: NodeInfo): void;
  removeNode(name: string): void;
  setService(service: ServiceInfo): void;
  setSlices(serviceKey: string, slices: EndpointSliceInfo[]): void;
  /**
   * Creates or replaces an LBRegistrar (finalizers and deletion kept); a spec change bumps its
   * generation. `annotations` replace the object's (none given: none kept).
   */
  applyLbr(name: string, spec: LBRegistrarSpec, annotations?: Record<string, string>): void;
  /** Deletes an LBRegistrar as the API server does: marked while it has finalizers, else gone. */
  deleteLbr(name: string): void;
  /** Every setFinalizer call that changed something, oldest first. */
  finalizerWrites: { name: string; present: boolean }[];
  /** Stores a Secret's keys (namespace/name). */
  setSecret(namespacedName: string, data: Record<string, string>): void;
  /** Every patchStatus call, oldest first. */
  statuses: { name: string; status: LBRegistrarStatus }[];
  events: ({ name: string } & EventRecord)[];
  /** The newest status written for `name`. */
  statusOf(name: string): LBRegistrarStatus | undefined;
}

/** Options of `createFakeCluster`. */
export interface FakeClusterOptions {
  /**
   * Store each written status on the object and emit the LBRegistrar change a watch would (as the
   * real adapter's reflector does), so a test can check that status writes cause no syncs.
   * @default true
   */
  echoStatus?: boolean;
  /** Stamps deletionTimestamp. @default Date.now */
  now?: () => number;
}

/** Creates an empty fake cluster. */
export function createFakeCluster(options: FakeClusterOptions = {}): FakeCluster {
  const { echoStatus = true, now = Date.now } = options;
  const nodes = new Map<string, NodeInfo>();
  const services = new Map<string, ServiceInfo>();
  const endpointSlices = new Map<string, readonly EndpointSliceInfo[]>();
  const lbRegistrars = new Map<string, LBRegistrar>();
  const secrets = new Map<string, Record<string, string>>();
  const listeners = new Set<(change: ClusterChange) => void>();
  const statuses: FakeCluster["statuses"] = [];
  const events: FakeCluster["events"] = [];
  const finalizerWrites: FakeCluster["finalizerWrites"] = [];
  let resourceVersion = 0;

  const emit = (change: ClusterChange) => {
    for (const listener of listeners) listener(change);
  };

  function store(next: LBRegistrar) {
    const before = lbRegistrars.get(next.metadata.name);
    next.metadata.resourceVersion = String(++resourceVersion);
    if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
      lbRegistrars.delete(next.metadata.name);
      emit({ kind: "LBRegistrar", name: next.metadata.name, before });
      return;
    }
    lbRegistrars.set(next.metadata.name, next);
    emit({ kind: "LBRegistrar", name: next.metadata.name, before, after: next });
  }

  return {
    start() {},
    hasSynced: () => true,
    waitForSync: () => Promise.resolve(),
    view: () => ({ nodes, services, endpointSlices, lbRegistrars }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readSecretKey(ref: SecretKeyRef) {
      const data = secrets.get(`${ref.namespace}/${ref.name}`);
      if (!data) {
        return Promise.reject(
          new KubeError(`Cannot read secret "${ref.namespace}/${ref.name}": not found`, {
            kind: "not-found",
          }),
        );
      }
      const value = data[ref.key];
      if (value === undefined) {
        return Promise.reject(
          new KubeError(
            `Cannot read key "${ref.key}" of secret "${ref.namespace}/${ref.name}": no such key`,
            { kind: "key-missing" },
          ),
        );
      }
      return Promise.resolve(value);
    },
    patchStatus(name, status) {
      statuses.push({ name, status: structuredClone(status) });
      const current = lbRegistrars.get(name);
      if (echoStatus && current) store({ ...structuredClone(current), status });
      return Promise.resolve();
    },
    setFinalizer(name, present) {
      const current = lbRegistrars.get(name);
      if (!current) return Promise.resolve();
      const finalizers = current.metadata.finalizers ?? [];
      if (finalizers.includes(FINALIZER) === present) return Promise.resolve();
      finalizerWrites.push({ name, present });
      const next = structuredClone(current);
      next.metadata.finalizers = present
        ? [...finalizers, FINALIZER]
        : finalizers.filter((f) => f !== FINALIZER);
      if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
      store(next);
      return Promise.resolve();
    },
    recordEvent(lbr, event) {
      events.push({ name: lbr.metadata.name, ...event });
      return Promise.resolve();
    },
    setNode(node) {
      const before = nodes.get(node.name);
      nodes.set(node.name, node);
      emit({ kind: "Node", name: node.name, before, after: node });
    },
    removeNode(name) {
      const before = nodes.get(name);
      nodes.delete(name);
      emit({ kind: "Node", name, before });
    },
    setService(service) {
      const key = `${service.namespace}/${service.name}`;
      const before = services.get(key);
      services.set(key, service);
      emit({ kind: "Service", key, before, after: service });
    },
    setSlices(serviceKey, slices) {
      endpointSlices.set(serviceKey, slices);
      emit({ kind: "EndpointSlice", key: serviceKey });
    },
    applyLbr(name, spec, annotations) {
      const current = lbRegistrars.get(name);
      const changed = !current || JSON.stringify(current.spec) !== JSON.stringify(spec);
      const generation = (current?.metadata.generation ?? 0) + (changed ? 1 : 0);
      const { finalizers, deletionTimestamp } = current?.metadata ?? {};
      store({
        apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
        kind: "LBRegistrar",
        metadata: {
          name,
          uid: `uid-${name}`,
          generation,
          ...(annotations ? { annotations } : {}),
          ...(finalizers ? { finalizers: [...finalizers] } : {}),
          ...(deletionTimestamp ? { deletionTimestamp } : {}),
        },
        spec: structuredClone(spec),
        ...(current?.status ? { status: current.status } : {}),
      });
    },
    deleteLbr(name) {
      const current = lbRegistrars.get(name);
      if (!current || current.metadata.deletionTimestamp) return;
      const next = structuredClone(current);
      next.metadata.deletionTimestamp = new Date(now()).toISOString();
      store(next);
    },
    finalizerWrites,
    setSecret(namespacedName, data) {
      secrets.set(namespacedName, data);
    },
    statuses,
    events,
    statusOf: (name) => statuses.findLast((s) => s.name === name)?.status,
  };
}

/** The operations of the OCI port, as `failNext` and the call log name them. */
export type OciOperation = "getBackendSet" | "replaceBackends" | "getWorkRequest";

/** One call to the fake OCI port. */
export interface OciCall {
  op: OciOperation;
  loadBalancerId: string;
  backendSetName?: string;
  /** The fake's clock reading when the call arrived. */
  at: number;
}

/** A fake of both load balancer APIs. */
export interface FakeLoadBalancers extends LoadBalancers {
  /** Adds a backend set holding `backends`. */
  seed(loadBalancerId: string, backendSetName: string, backends?: Backend[]): void;
  /** The backends a backend set holds now. */
  backends(loadBalancerId: string, backendSetName: string): Backend[];
  calls: OciCall[];
  /** Calls of one operation, optionally on one backend set. */
  count(op: OciOperation, backendSetName?: string): number;
  /** The next `count` calls of `op` (on `backendSetName` when given) throw `error`. */
  failNext(op: OciOperation, error: Error, count?: number, backendSetName?: string): void;
  /** Work requests stay IN_PROGRESS until `finishWorkRequests()`. */
  holdWorkRequests(): void;
  /** Ends every running work request (SUCCEEDED, or FAILED without applying it); stops holding. */
  finishWorkRequests(state?: "SUCCEEDED" | "FAILED"): void;
  /** Replaces that arrived while another mutation of the same LB was unfinished (OCI's 409). */
  overlaps(): number;
}

interface WorkRequest {
  loadBalancerId: string;
  backendSetName: string;
  backends: Backend[];
  done: boolean;
  failed?: boolean;
}

/** Creates the fake; `now` stamps the call log (pass the test's clock). */
export function createFakeLoadBalancers(now: () => number = Date.now): FakeLoadBalancers {
  const sets = new Map<string, { backends: Backend[]; etag: number }>();
  const workRequests = new Map<string, WorkRequest>();
  const failures: { op: OciOperation; set?: string; error: Error; left: number }[] = [];
  const calls: OciCall[] = [];
  let holding = false;
  let overlaps = 0;
  let sequence = 0;

  const keyOf = (lbId: string, set: string) => `${lbId}/${set}`;

  function enter(op: OciOperation, loadBalancerId: string, backendSetName?: string) {
    calls.push({ op, loadBalancerId, ...(backendSetName ? { backendSetName } : {}), at: now() });
    const index = failures.findIndex((f) =>
      f.op === op && (f.set === undefined || f.set === backendSetName)
    );
    if (index < 0) return;
    const failure = failures[index]!;
    if (--failure.left <= 0) failures.splice(index, 1);
    throw failure.error;
  }

  function finish(wr: WorkRequest) {
    wr.done = true;
    const stored = sets.get(keyOf(wr.loadBalancerId, wr.backendSetName));
    if (stored) [stored.backends, stored.etag] = [structuredClone(wr.backends), stored.etag + 1];
  }

  function unfinishedOn(loadBalancerId: string): boolean {
    return [...workRequests.values()].some((wr) =>
      !wr.done && wr.loadBalancerId === loadBalancerId
    );
  }

  return {
    seed(loadBalancerId, backendSetName, backends = []) {
      sets.set(keyOf(loadBalancerId, backendSetName), {
        backends: structuredClone(backends),
        etag: 1,
      });
    },
    backends: (lbId, set) => structuredClone(sets.get(keyOf(lbId, set))?.backends ?? []),
    calls,
    count: (op, set) =>
      calls.filter((c) => c.op === op && (set === undefined || c.backendSetName === set)).length,
    failNext(op, error, count = 1, backendSetName) {
      failures.push({ op, ...(backendSetName ? { set: backendSetName } : {}), error, left: count });
    },
    holdWorkRequests() {
      holding = true;
    },
    finishWorkRequests(state = "SUCCEEDED") {
      holding = false;
      for (const wr of workRequests.values()) {
        if (wr.done) continue;
        if (state === "FAILED") [wr.done, wr.failed] = [true, true];
        else finish(wr);
      }
    },
    overlaps: () => overlaps,

    getBackendSet(ref) {
      try {
        enter("getBackendSet", ref.loadBalancerId, ref.backendSetName);
      } catch (error) {
        return Promise.reject(error);
      }
      const stored = sets.get(keyOf(ref.loadBalancerId, ref.backendSetName));
      if (!stored) {
        return Promise.reject(
          new OciError(
            `Cannot read backend set "${ref.backendSetName}" of load balancer "${ref.loadBalancerId}": not found`,
            { kind: "backend-set-not-found", status: 404 },
          ),
        );
      }
      const snapshot: BackendSetSnapshot = {
        ref,
        backends: structuredClone(stored.backends),
        etag: String(stored.etag),
        attributes: { policy: "ROUND_ROBIN" },
      };
      return Promise.resolve(snapshot);
    },

    replaceBackends(snapshot, backends) {
      const { loadBalancerId, backendSetName } = snapshot.ref;
      try {
        enter("replaceBackends", loadBalancerId, backendSetName);
      } catch (error) {
        return Promise.reject(error);
      }
      if (unfinishedOn(loadBalancerId)) {
        overlaps++;
        return Promise.reject(
          new OciError(`Cannot update backend set "${backendSetName}": load balancer is busy`, {
            kind: "conflict",
            status: 409,
          }),
        );
      }
      const stored = sets.get(keyOf(loadBalancerId, backendSetName));
      if (stored && String(stored.etag) !== snapshot.etag) {
        return Promise.reject(
          new OciError(`Cannot update backend set "${backendSetName}": etag changed`, {
            kind: "precondition",
            status: 412,
          }),
        );
      }
      const workRequestId = `wr-${++sequence}`;
      const wr: WorkRequest = {
        loadBalancerId,
        backendSetName,
        backends: structuredClone([...backends]),
        done: false,
      };
      workRequests.set(workRequestId, wr);
      return Promise.resolve({ workRequestId });
    },

    getWorkRequest(loadBalancerId, workRequestId) {
      try {
        enter("getWorkRequest", loadBalancerId);
      } catch (error) {
        return Promise.reject(error);
      }
      const wr = workRequests.get(workRequestId);
      if (!wr) {
        return Promise.reject(
          new OciError(`Cannot read work request "${workRequestId}": not found`, {
            kind: "work-request-failed",
            status: 404,
          }),
        );
      }
      // Without holding, a work request ends at its first poll.
      if (!wr.done && !holding) finish(wr);
      const status: WorkRequestStatus = {
        state: wr.failed ? "FAILED" : wr.done ? "SUCCEEDED" : "IN_PROGRESS",
      };
      return Promise.resolve(status);
    },
  };
}

/** One message a recording logger received. */
export interface LogEntry {
  level: string;
  message: string;
  properties?: Record<string, unknown>;
}

/** A logger that keeps what it is told and can react to a message (e.g. the resync's). */
export interface RecordingLogger {
  logger: Logger;
  entries: LogEntry[];
  /** Calls `listener` synchronously for every message whose template starts with `prefix`. */
  on(prefix: string, listener: (entry: LogEntry) => void): void;
}

/** Creates a recording logger; `with` and `getChild` return the same recorder. */
export function createRecordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const listeners: { prefix: string; listener: (entry: LogEntry) => void }[] = [];
  const levels = ["trace", "debug", "info", "warn", "warning", "error", "fatal"];
  const logger: Logger = new Proxy({} as Logger, {
    get(_target, property) {
      if (property === "with" || property === "getChild") return () => logger;
      if (typeof property === "string" && levels.includes(property)) {
        return (message: unknown, properties?: Record<string, unknown>) => {
          const entry: LogEntry = {
            level: property,
            message: String(message),
            ...(properties ? { properties } : {}),
          };
          entries.push(entry);
          for (const { prefix, listener } of listeners) {
            if (entry.message.startsWith(prefix)) listener(entry);
          }
        };
      }
      return undefined;
    },
  });
  return {
    logger,
    entries,
    on(prefix, listener) {
      listeners.push({ prefix, listener });
    },
  };
}
