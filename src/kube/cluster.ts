/**
 * The Kubernetes adapter: `Cluster` over raw JSON requests and watches. Four reflectors (Nodes,
 * Services, EndpointSlices, LBRegistrars) keep small projections and emit a `ClusterChange` only when
 * a projection really changed; Secrets are read by single GETs; status, finalizers and events are
 * written with merge patches.
 */
import "./_quiet_deprecations.ts";
import { getLogger, type Logger } from "../log.ts";
import { COMPONENT, GROUP, PLURAL, VERSION } from "../api/constants.ts";
import type { LBRegistrar } from "../api/types.ts";
import type { EndpointSliceInfo } from "../plan/model.ts";
import { createBackoff, type KubeClock, realClock } from "./_backoff.ts";
import { closeConnection } from "./_connection.ts";
import { createKubeRequest } from "./_http.ts";
import { createOpenWatch } from "./_watch.ts";
import { createEventRecorder } from "./event_recorder.ts";
import { createFinalizerWriter } from "./finalizer_writer.ts";
import type { KubeConfigLike } from "./kubeconfig.ts";
import type { Cluster, ClusterChange, ClusterView } from "./port.ts";
import {
  projectEndpointSlice,
  projectLBRegistrar,
  projectNode,
  projectService,
} from "./projections.ts";
import { createReflector } from "./reflector.ts";
import { createSecretReader } from "./secret_reader.ts";
import { createStatusWriter } from "./status_writer.ts";

/** Options of `createCluster`; only `kubeConfig` and `secretNamespaces` are required. */
export interface ClusterOptions {
  /** A loaded kubeconfig (`loadKubeConfig`) or client-node's `KubeConfig`. */
  kubeConfig: KubeConfigLike;
  /** `--secret-namespaces`, already resolved (the operator namespace by default). */
  secretNamespaces: "*" | readonly string[];
  /** @default getLogger("kube") */
  logger?: Logger;
  /** Timestamps and backoff waits; the engine's Clock fits. @default realClock */
  clock?: KubeClock;
  /** Jitter source for the reflectors' backoff. @default Math.random */
  random?: () => number;
  /** Server-side timeout of every watch. @default 300 */
  watchTimeoutSeconds?: number;
  /** First and longest delay between reflector restarts. @default { initialMs: 500, maxMs: 30_000 } */
  backoff?: { initialMs?: number; maxMs?: number };
  /** List page size. @default 500 */
  pageSize?: number;
  /** `reportingInstance` of Events. @default the host name */
  instance?: string;
  /** Identical events within this window are aggregated. @default 600_000 */
  eventAggregateWindowMs?: number;
  /** Called with the resource ("nodes", ...) each time one of its watches ends and restarts. */
  onWatchRestart?: (resource: string) => void;
}

/** A `Cluster` that talks to the API server of `kubeConfig`'s current context. */
export function createCluster(options: ClusterOptions): Cluster & { stopped(): Promise<void> } {
  const {
    kubeConfig,
    secretNamespaces,
    logger = getLogger("kube"),
    clock = realClock,
    random = Math.random,
    watchTimeoutSeconds = 300,
    backoff: backoffOptions = {},
    pageSize = 500,
    instance = hostName(),
    eventAggregateWindowMs,
    onWatchRestart,
  } = options;
  const request = createKubeRequest(kubeConfig);
  const openWatch = createOpenWatch(kubeConfig);
  const listeners = new Set<(change: ClusterChange) => void>();
  const backoff = createBackoff({ ...backoffOptions, random });

  function emit(change: ClusterChange): void {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        logger.error("A cluster change listener threw: {error}", { error: String(error) });
      }
    }
  }

  const syncWaiters = new Set<() => void>();
  function onSynced(): void {
    if (!hasSynced()) return;
    for (const waiter of syncWaiters) waiter();
    syncWaiters.clear();
  }

  const common = {
    request,
    onSynced,
    openWatch,
    timeoutSeconds: watchTimeoutSeconds,
    pageSize,
    backoff,
    clock,
    logger,
    ...(onWatchRestart ? { onWatchRestart } : {}),
  };

  const nodes = createReflector({
    ...common,
    resource: "nodes",
    listPath: "/api/v1/nodes",
    project: projectNode,
    onChange: (name, before, after) => emit({ kind: "Node", name, before, after }),
  });
  const services = createReflector({
    ...common,
    resource: "services",
    listPath: "/api/v1/services",
    project: projectService,
    onChange: (key, before, after) => emit({ kind: "Service", key, before, after }),
  });

  // Slices are stored per slice ("ns/slice") and indexed per Service ("ns/service") for the view.
  const slicesByService = new Map<string, readonly EndpointSliceInfo[]>();
  const sliceIndex = new Map<string, Map<string, EndpointSliceInfo>>();
  function indexSlice(
    sliceKey: string,
    before?: EndpointSliceInfo,
    after?: EndpointSliceInfo,
  ): void {
    const touched = new Set<string>();
    if (before) {
      const serviceKey = `${before.namespace}/${before.serviceName}`;
      sliceIndex.get(serviceKey)?.delete(sliceKey);
      touched.add(serviceKey);
    }
    if (after) {
      const serviceKey = `${after.namespace}/${after.serviceName}`;
      const slices = sliceIndex.get(serviceKey) ?? new Map<string, EndpointSliceInfo>();
      sliceIndex.set(serviceKey, slices.set(sliceKey, after));
      touched.add(serviceKey);
    }
    for (const serviceKey of touched) {
      const slices = sliceIndex.get(serviceKey);
      if (slices && slices.size > 0) slicesByService.set(serviceKey, [...slices.values()]);
      else {
        sliceIndex.delete(serviceKey);
        slicesByService.delete(serviceKey);
      }
      emit({ kind: "EndpointSlice", key: serviceKey });
    }
  }
  const endpointSlices = createReflector({
    ...common,
    resource: "endpointslices",
    listPath: "/apis/discovery.k8s.io/v1/endpointslices",
    project: projectEndpointSlice,
    onChange: indexSlice,
  });
  const lbRegistrars = createReflector({
    ...common,
    resource: PLURAL,
    listPath: `/apis/${GROUP}/${VERSION}/${PLURAL}`,
    project: projectLBRegistrar,
    onChange: (name, before, after) => emit({ kind: "LBRegistrar", name, before, after }),
  });

  const reflectors = [nodes, services, endpointSlices, lbRegistrars];
  function hasSynced(): boolean {
    return reflectors.every((r) => r.hasSynced());
  }
  const view: ClusterView = {
    nodes: nodes.store,
    services: services.store,
    endpointSlices: slicesByService,
    lbRegistrars: lbRegistrars.store,
  };
  const current = (name: string): LBRegistrar | undefined => lbRegistrars.store.get(name);
  let running: Promise<void> = Promise.resolve();

  return {
    start(signal) {
      // Once every watch has ended, the fetch client (CA, client certificate) is released; a later
      // status write or event opens a new one.
      running = Promise.all(reflectors.map((r) => r.run(signal))).then(() =>
        closeConnection(kubeConfig)
      );
    },
    stopped: () => running,
    hasSynced,
    waitForSync(signal) {
      if (hasSynced()) return Promise.resolve();
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        const waiter = () => {
          signal?.removeEventListener("abort", abort);
          resolve();
        };
        const abort = () => {
          syncWaiters.delete(waiter);
          reject(signal?.reason);
        };
        syncWaiters.add(waiter);
        signal?.addEventListener("abort", abort, { once: true });
      });
    },
    view: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readSecretKey: createSecretReader({ request, secretNamespaces }),
    patchStatus: createStatusWriter({ request, current, now: () => clock.now(), logger }),
    setFinalizer: createFinalizerWriter({ request, current }),
    recordEvent: createEventRecorder({
      request,
      instance,
      now: () => clock.now(),
      logger,
      aggregateWindowMs: eventAggregateWindowMs,
    }),
  };
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return COMPONENT; // No --allow-sys=hostname: still a valid reportingInstance.
  }
}
