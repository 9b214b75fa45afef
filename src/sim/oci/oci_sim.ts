/**
 * Loopback simulator of the OCI classic Load Balancer (`/20170115`) and Network Load Balancer
 * (`/20200501`) APIs for backend sets and work requests, driven by the real OCI SDK in tests, the
 * demo and the benchmark (DESIGN §7). Control it through the returned object or over HTTP at `/_sim`.
 */
import { createApiPipeline } from "./api_pipeline.ts";
import { classicBackendSet } from "./classic_rules.ts";
import { CONTROL_PREFIX, serveControl } from "./control_http.ts";
import { createFaults } from "./faults.ts";
import { nlbBackendSet, nlbUpdatedBackendSet } from "./nlb_rules.ts";
import { createRecorder } from "./recorder.ts";
import { createSignatureVerifier } from "./signature.ts";
import { createStore } from "./store.ts";
import { startTcpFront } from "./tcp_front.ts";
import type { OciSim, OciSimControl, SimLoadBalancer, StoredBackendSet } from "./types.ts";
import { createWorkRequests } from "./work_requests.ts";

export type * from "./types.ts";

/** How to start the simulator. */
export interface OciSimOptions {
  /** @default "127.0.0.1" */
  hostname?: string;
  /** @default 0 (any free port) */
  port?: number;
  /** Time from accept to SUCCEEDED/FAILED of a work request, unless an LB overrides it. @default 100 */
  workRequestDelayMs?: number;
  /** Largest accepted difference between a request's x-date and the server clock. @default 300000 */
  maxClockSkewMs?: number;
}

/** Starts the simulator; it listens until `stop()`. */
export function startOciSim(options: OciSimOptions = {}): OciSim {
  const {
    hostname = "127.0.0.1",
    port = 0,
    workRequestDelayMs = 100,
    maxClockSkewMs = 5 * 60_000,
  } = options;
  const store = createStore();
  const workRequests = createWorkRequests(store, { defaultDelayMs: workRequestDelayMs });
  const faults = createFaults();
  const recorder = createRecorder();
  const verifier = createSignatureVerifier({ maxSkewMs: maxClockSkewMs });
  const stopping = new AbortController();

  const needLb = (lbId: string): SimLoadBalancer => {
    const lb = store.get(lbId);
    if (!lb) throw new Error(`Cannot find load balancer "${lbId}": add it first`);
    return lb;
  };
  const needSet = (lbId: string, name: string): [SimLoadBalancer, StoredBackendSet] => {
    const lb = needLb(lbId);
    workRequests.unfinished(lb, Date.now());
    const stored = lb.backendSets.get(name);
    if (!stored) throw new Error(`Cannot find backend set "${name}" in "${lbId}": add it first`);
    return [lb, stored];
  };

  const control: OciSimControl = {
    registerKey: (keyId, publicPem) => verifier.registerKey(keyId, publicPem),
    addLoadBalancer: (spec) => void store.add(spec),
    addBackendSet(lbId, name, attrs) {
      const lb = needLb(lbId);
      if (lb.backendSets.has(name)) {
        throw new Error(`Cannot add backend set "${name}": it exists already`);
      }
      store.commit(
        lb,
        lb.kind === "lb" ? classicBackendSet(name, attrs) : nlbBackendSet(name, attrs),
      );
    },
    getBackendSet(lbId, name) {
      const lb = store.get(lbId);
      if (!lb) return undefined;
      workRequests.unfinished(lb, Date.now());
      const stored = lb.backendSets.get(name);
      return stored && structuredClone(stored);
    },
    setBackends(lbId, name, backends) {
      const [lb, stored] = needSet(lbId, name);
      store.commit(
        lb,
        lb.kind === "lb"
          ? classicBackendSet(name, { ...stored.body, backends })
          : nlbUpdatedBackendSet(stored.body, { backends }),
      );
    },
    inject: (faultOptions) => faults.inject(faultOptions),
    dropNextConnections: (faultOptions) => faults.dropNextConnections(faultOptions),
    addLatency: (faultOptions) => faults.addLatency(faultOptions),
    failNextWorkRequests: (faultOptions) => faults.failNextWorkRequests(faultOptions),
    hangNextWorkRequests: (faultOptions) => faults.hangNextWorkRequests(faultOptions),
    completeWorkRequest: (id, outcome = "SUCCEEDED") =>
      workRequests.complete(id, { outcome, now: Date.now() }),
    requests: () => recorder.requests(),
    counters: () => recorder.counters(),
    reset() {
      recorder.reset();
      faults.clear();
    },
  };

  // Clients reach the HTTP server through the TCP front, which can drop a connection on demand.
  const serveApi = createApiPipeline({
    store,
    workRequests,
    faults,
    recorder,
    verifier,
    cut: (upstreamPort) => front.cut(upstreamPort),
    signal: stopping.signal,
  });
  const server = Deno.serve(
    { hostname, port: 0, onListen: () => {} },
    (request, info) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith(CONTROL_PREFIX)) return serveControl(request, url, control);
      return serveApi(request, url, info.remoteAddr.port);
    },
  );
  const front = startTcpFront({ hostname, port, upstreamPort: server.addr.port });
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;

  return {
    ...control,
    url: `http://${host}:${front.port}`,
    async stop() {
      stopping.abort();
      await front.close();
      await server.shutdown();
    },
  };
}
