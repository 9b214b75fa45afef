/**
 * The Kubernetes API simulator: a loopback Deno.serve server (HTTP, or HTTPS with a generated CA)
 * speaking the real wire protocol for the kinds the operator uses, with a TypeScript and an HTTP
 * (`/_sim/...`) control surface for tests, the demo and benchmarks.
 */

import { createApiHandler } from "./api_handler.ts";
import { createControl } from "./control.ts";
import type { HttpControllable } from "./control_http.ts";
import { createControllers } from "./controllers.ts";
import type { ChangeEvent } from "./event_ring.ts";
import { createDiscoveryRoutes, type ServerVersion } from "./discovery_routes.ts";
import { createFaults, DroppedConnection, type FailureRule } from "./faults.ts";
import { kubeconfigYaml } from "./kubeconfig.ts";
import { lbRegistrarCrd } from "./lb_registrar_crd.ts";
import { createObjectStore } from "./object_store.ts";
import { createOperations, type Operations } from "./operations.ts";
import { createRequestLog, type RequestRecord } from "./request_log.ts";
import { createResourceRegistry } from "./resource_registry.ts";
import { apiVersionOf, type KubeObject } from "./resource_type.ts";
import { type DemoCluster, seedDemoCluster } from "./seed.ts";
import { createServerTls, type ServerTls } from "./tls.ts";
import { createWatchHub } from "./watch_hub.ts";
import type { ExpiredWatchMode } from "./watch_route.ts";

/** Options of `startKubeSim`; every field has a default. */
export interface KubeSimOptions {
  /** Serve HTTPS with a generated CA (default false: plain HTTP). */
  tls?: boolean;
  /** @default "127.0.0.1" */
  hostname?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Bearer token clients must send; default a random one. */
  token?: string;
  /** Accept requests without an Authorization header (kubectl sends none over plain HTTP). @default false */
  anonymous?: boolean;
  /** Change events kept per resource for watch replay. @default 10000 */
  historyWindow?: number;
  /** Period of BOOKMARK events on watches that allow them. @default 60000 */
  bookmarkIntervalMs?: number;
  /** How a watch from a too-old resourceVersion fails. @default "event" */
  expiredWatch?: ExpiredWatchMode;
  /** CRDs installed at start. @default [the minimal LBRegistrar CRD] */
  crds?: KubeObject[];
  /** Namespaces created at start. @default ["default", "kube-system", "kube-public", "kube-node-lease"] */
  namespaces?: string[];
  /** Seed the demo cluster (3 nodes, Service default/web, its EndpointSlice). @default false */
  seedDemo?: boolean;
  /** What `/version` reports. @default v1.32.4 */
  version?: ServerVersion;
  /** @default [30000, 32767] */
  nodePortRange?: [number, number];
  /** Clock for timestamps and Table ages. @default Date.now */
  now?: () => number;
  /** Requests kept in the log. @default 10000 */
  requestLogLimit?: number;
  /** How long a list waits for a future resourceVersion before 504. @default 3000 */
  tooLargeRvWaitMs?: number;
  /** Queued chunks a slow watch client may fall behind before it is cut off. @default 100000 */
  watchQueueLimit?: number;
}

/** A running simulator. */
export interface KubeSim extends HttpControllable {
  /** Base URL, e.g. `https://127.0.0.1:41234`. */
  readonly url: string;
  readonly token: string;
  /** The CA that signed the server certificate (HTTPS only). */
  readonly caPem?: string;
  /** The newest resourceVersion. */
  readonly resourceVersion: number;
  /** Open watches. */
  readonly watchCount: number;
  /** A kubeconfig for this simulator (certificate-authority-data over HTTPS, insecure-skip-tls-verify over HTTP). */
  kubeconfigYaml(options?: { namespace?: string }): string;
  /** Writes the kubeconfig to a file. */
  writeKubeconfig(path: string, options?: { namespace?: string }): Promise<void>;
  seedDemo(): DemoCluster;
  /** The API verbs with full server semantics (for advanced tests). */
  readonly operations: Operations;
  /** Closes the listener and every watch, then listens again on the same port with the same data. */
  restart(): Promise<void>;
  /** Closes the listener and every watch. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Starts a simulator and resolves once it listens. */
export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const {
    hostname = "127.0.0.1",
    token = crypto.randomUUID().replaceAll("-", ""),
    anonymous = false,
    historyWindow = 10_000,
    bookmarkIntervalMs = 60_000,
    crds = [lbRegistrarCrd()],
    namespaces = DEFAULT_NAMESPACES,
    version = { major: "1", minor: "32", gitVersion: "v1.32.4" },
    nodePortRange = [30000, 32767],
    now = Date.now,
    requestLogLimit = 10_000,
    tooLargeRvWaitMs = 3_000,
    watchQueueLimit = 100_000,
  } = options;
  let expiredMode: ExpiredWatchMode = options.expiredWatch ?? "event";
  const tls: ServerTls | undefined = options.tls ? await createServerTls() : undefined;

  const registry = createResourceRegistry();
  // The hub and store refer to each other: the store publishes changes, the hub asks for RVs.
  let publish: (storage: string, event: ChangeEvent) => void = () => {};
  const store = createObjectStore(historyWindow, (storage, event) => publish(storage, event));
  const hub = createWatchHub({
    lastRv: (storage) => store.lastRv(storage),
    currentRv: () => store.rv,
    bookmarkIntervalMs,
    queueLimit: watchQueueLimit,
  });
  publish = hub.publish;
  // The controllers write through the operations, which call the controllers after each write.
  const afterWrite = createControllers({
    store,
    registry,
    ops: () => ops,
    now,
    closeWatches: (storage) => hub.closeStorage(storage),
  });
  const ops: Operations = createOperations({ store, now, nodePortRange, afterWrite });
  const control = createControl({ ops, store, registry, now });
  const faults = createFaults();
  const log = createRequestLog(requestLogLimit);

  const namespaceType = registry.byPath("", "v1", "namespaces")!;
  for (const name of namespaces) ops.create(namespaceType, undefined, { metadata: { name } });
  for (const crd of crds) control.create(crd);

  let server: Deno.HttpServer<Deno.NetAddr> | undefined;
  let port = options.port ?? 0;
  const scheme = tls ? "https" : "http";

  const sim: KubeSim = {
    ...control,
    get url() {
      return `${scheme}://${hostname}:${port}`;
    },
    token,
    caPem: tls?.caPem,
    get resourceVersion() {
      return store.rv;
    },
    get watchCount() {
      return hub.size;
    },
    operations: ops,
    kubeconfigYaml: (opts = {}) =>
      kubeconfigYaml({ server: sim.url, token, caPem: tls?.caPem, namespace: opts.namespace }),
    writeKubeconfig: (path, opts = {}) => Deno.writeTextFile(path, sim.kubeconfigYaml(opts)),
    compact: () => store.compact(),
    closeAllWatches: () => hub.closeAll(),
    sendBookmarks: () => hub.bookmarkAll(),
    setExpiredWatchMode: (mode) => {
      expiredMode = mode;
    },
    injectFailure: (rule: FailureRule) => faults.inject(rule),
    clearFailures: () => faults.clear(),
    injectLatency: (ms) => {
      faults.latencyMs = ms;
    },
    get requests(): readonly RequestRecord[] {
      return log.entries;
    },
    clearRequests: () => log.clear(),
    seedDemo: () => seedDemoCluster(control),
    state: () => ({
      url: sim.url,
      resourceVersion: store.rv,
      watches: hub.size,
      resources: registry.all().map((rt) => ({
        apiVersion: apiVersionOf(rt),
        kind: rt.kind,
        count: store.count(rt.storage),
      })),
    }),
    async restart() {
      await close();
      listen();
    },
    stop: () => close(),
    [Symbol.asyncDispose]: () => close(),
  };

  const discovery = createDiscoveryRoutes({
    registry,
    version,
    serverAddress: () => `${hostname}:${port}`,
  });
  const handler = createApiHandler({
    token,
    anonymous,
    registry,
    discovery,
    resources: { store, hub, ops, now, tooLargeRvWaitMs, expiredMode: () => expiredMode },
    faults,
    log,
    control: sim,
  });

  const listen = () => {
    const serveOptions = {
      hostname,
      port,
      onListen: () => {},
      // Injected dropped connections fail their body on purpose; anything else is a simulator bug.
      onError: (error: unknown) => {
        if (!(error instanceof DroppedConnection)) console.error("kube-sim:", error);
        return new Response(null, { status: 500 });
      },
      ...(tls ? { cert: tls.certPem, key: tls.keyPem } : {}),
    };
    server = Deno.serve(serveOptions, handler);
    port = server.addr.port;
  };

  const close = async () => {
    if (!server) return;
    const current = server;
    server = undefined;
    hub.closeAll();
    store.close();
    await current.shutdown();
  };

  if (options.seedDemo) seedDemoCluster(control);
  listen();
  return sim;
}
