/**
 * Adds or removes the operator's finalizer on an LBRegistrar with a merge patch that carries the
 * resourceVersion it was computed from, so a concurrent change answers 409 and the list is
 * recomputed from a fresh GET instead of clobbering another controller's finalizer.
 */
import { FINALIZER, GROUP, PLURAL, VERSION } from "../api/constants.ts";
import type { LBRegistrar } from "../api/types.ts";
import { errorFromResponse, errorFromThrown, isSuccess } from "./_classify.ts";
import type { KubeRequest } from "./_http.ts";
import { KubeError } from "./errors.ts";
import { MERGE_PATCH } from "./status_writer.ts";

/** Options of `createFinalizerWriter`. */
export interface FinalizerWriterOptions {
  request: KubeRequest;
  /** The reflector's current object, tried first to save a GET. */
  current: (name: string) => LBRegistrar | undefined;
  /** Attempts on 409 Conflict before giving up. @default 5 */
  attempts?: number;
}

interface Versioned {
  resourceVersion?: string;
  finalizers?: string[];
}

/** `setFinalizer(name, present)`: no request when already so; removing from a gone object is a no-op. */
export function createFinalizerWriter(
  options: FinalizerWriterOptions,
): (name: string, present: boolean) => Promise<void> {
  const { request, current, attempts = 5 } = options;

  return async (name, present) => {
    const path = `/apis/${GROUP}/${VERSION}/${PLURAL}/${encodeURIComponent(name)}`;
    const action = `${present ? "add" : "remove"} finalizer of LBRegistrar "${name}"`;
    const call = async (method: "GET" | "PATCH", body?: unknown) => {
      try {
        return await request(method, path, body ? { body, contentType: MERGE_PATCH } : {});
      } catch (error) {
        throw errorFromThrown(action, error);
      }
    };
    const cached = current(name)?.metadata;
    let state: Versioned | undefined = cached;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (!state) {
        const response = await call("GET");
        if (response.status === 404) return notFound(present, action);
        if (!isSuccess(response.status)) throw errorFromResponse(action, response);
        state = (JSON.parse(response.text) as { metadata?: Versioned }).metadata ?? {};
      }
      const finalizers = state.finalizers ?? [];
      if (finalizers.includes(FINALIZER) === present) return;
      const wanted = present
        ? [...finalizers, FINALIZER]
        : finalizers.filter((f) => f !== FINALIZER);
      const response = await call("PATCH", {
        metadata: {
          resourceVersion: state.resourceVersion,
          // null, not [], is what releases a terminating object on every server (kube-wire-notes §3).
          finalizers: wanted.length > 0 ? wanted : null,
        },
      });
      if (isSuccess(response.status)) return;
      if (response.status === 404) return notFound(present, action);
      if (response.status !== 409) throw errorFromResponse(action, response);
      state = undefined; // Stale: re-read and recompute.
    }
    throw new KubeError(`Cannot ${action}: still conflicting after ${attempts} attempts`, {
      kind: "conflict",
      status: 409,
    });
  };
}

function notFound(present: boolean, action: string): void {
  if (!present) return;
  throw new KubeError(`Cannot ${action}: not found`, { kind: "not-found", status: 404 });
}
