/**
 * One API request, end to end: route → record → latency → signature → dropped connection →
 * injected error → the operation. Every answer carries `opc-request-id`; errors are `{ code, message }`.
 */
import { createApiHandlers, NLB_BUSY_MESSAGE } from "./api_handlers.ts";
import { SimApiError } from "./api_error.ts";
import type { Faults } from "./faults.ts";
import { preciseNow, type Recorder } from "./recorder.ts";
import { matchApiRoute } from "./router.ts";
import type { SignatureVerifier } from "./signature.ts";
import type { Store } from "./store.ts";
import type { WorkRequests } from "./work_requests.ts";

const AUTH_MESSAGE =
  "The required information to complete authentication was not provided or was incorrect";

interface PipelineDeps {
  store: Store;
  workRequests: WorkRequests;
  faults: Faults;
  recorder: Recorder;
  verifier: SignatureVerifier;
  /** Closes the client connection behind this upstream port (see tcp_front.ts). */
  cut: (upstreamPort: number) => void;
  /** Aborts latency waits when the simulator stops. */
  signal: AbortSignal;
}

/** A handler for requests under `/20170115` and `/20200501`. */
export function createApiPipeline(deps: PipelineDeps) {
  const { store, workRequests, faults, recorder, verifier, cut, signal } = deps;
  const handlers = createApiHandlers({ store, workRequests, faults, recorder });

  const isBusy = (lbId: string, now: number) => {
    const lb = store.get(lbId);
    return lb !== undefined && workRequests.unfinished(lb, now) !== undefined;
  };

  return async function serveApi(request: Request, url: URL, upstreamPort: number) {
    const clientRequestId = request.headers.get("opc-request-id");
    const serverId = crypto.randomUUID().replaceAll("-", "").toUpperCase();
    const opcRequestId = clientRequestId ? `${clientRequestId}/${serverId}` : serverId;
    const route = matchApiRoute(request.method, url.pathname);
    const matched = typeof route === "number" ? undefined : route;
    const lbId = matched && handlers.lbIdOf(matched, Date.now());
    const entry = recorder.begin({
      method: request.method,
      path: url.pathname + url.search,
      operation: matched?.operation ?? "unknown",
      lbId,
      backendSetName: matched?.backendSetName,
      startedAt: preciseNow(),
      opcRequestId,
    });
    const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      recorder.finish(entry, status);
      const json = body === undefined ? null : JSON.stringify(body);
      return new Response(json, {
        status,
        headers: {
          ...headers,
          "opc-request-id": opcRequestId,
          ...(json === null ? {} : { "content-type": "application/json" }),
        },
      });
    };
    const fail = (error: SimApiError) => {
      entry.code = error.code;
      return answer(error.status, { code: error.code, message: error.message });
    };

    if (route === 404) {
      return fail(new SimApiError(404, "NotFound", `No operation at ${url.pathname}`));
    }
    if (route === 405) {
      return fail(
        new SimApiError(405, undefined, `${request.method} is not allowed on ${url.pathname}`),
      );
    }
    const mutation = route.operation === "updateBackendSet" && lbId !== undefined;
    if (mutation) recorder.putArrived(lbId, isBusy(lbId, Date.now()));
    try {
      const latency = faults.takeLatency(route.operation, lbId);
      if (latency > 0) await sleep(latency, signal);
      const bytes = request.method === "GET" ? null : new Uint8Array(await request.arrayBuffer());
      const refusal = verifier.refusal({ request, url, body: bytes, now: Date.now() });
      if (refusal !== null) {
        return fail(new SimApiError(401, undefined, `${AUTH_MESSAGE}: ${refusal}`));
      }
      if (faults.takeDrop(route.operation, lbId, clientRequestId)) {
        entry.fault = "drop";
        recorder.finish(entry, 0);
        cut(upstreamPort);
        return new Response(null, { status: 500 });
      }
      const injected = faults.takeStatus(route.operation, lbId);
      if (injected) {
        entry.fault = "status";
        if (injected.body !== undefined) {
          recorder.finish(entry, injected.status);
          return new Response(injected.body, {
            status: injected.status,
            headers: { "opc-request-id": opcRequestId, "content-type": "application/json" },
          });
        }
        const busy = injected.status === 409 && route.kind === "nlb";
        const message = injected.message ?? (busy ? NLB_BUSY_MESSAGE : "Injected by the simulator");
        return fail(new SimApiError(injected.status, injected.code, message));
      }
      const body = bytes === null ? "" : new TextDecoder().decode(bytes);
      const reply = handlers.handle({ route, request, url, body, now: Date.now() });
      entry.workRequestId = reply.workRequestId;
      return answer(reply.status, reply.body, reply.headers);
    } catch (error) {
      if (error instanceof SimApiError) return fail(error);
      // A bug in the simulator: answer it visibly rather than let the connection fail.
      return fail(new SimApiError(500, undefined, `Simulator error: ${String(error)}`));
    } finally {
      if (mutation) recorder.putDone(lbId);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
