/**
 * Writes LBRegistrar status with a merge patch on `/status`, only when the content changed. Merge
 * patches carry no resourceVersion precondition, so a concurrent spec edit never causes a conflict.
 */
import { getLogger, type Logger } from "../log.ts";
import { GROUP, PLURAL, VERSION } from "../api/constants.ts";
import type { LBRegistrar, LBRegistrarStatus } from "../api/types.ts";
import { errorFromResponse, errorFromThrown, isSuccess } from "./_classify.ts";
import { deepEqual } from "./_equal.ts";
import type { KubeRequest } from "./_http.ts";
import { mergeConditions } from "./merge_conditions.ts";

/** Content type of a JSON merge patch (RFC 7386). */
export const MERGE_PATCH = "application/merge-patch+json";

/** Options of `createStatusWriter`. */
export interface StatusWriterOptions {
  request: KubeRequest;
  /** The reflector's current object, or undefined when it has none. */
  current: (name: string) => LBRegistrar | undefined;
  /** @default Date.now */
  now?: () => number;
  /** @default getLogger("kube") */
  logger?: Logger;
}

/** What this writer last sent, until the reflector catches up with it. */
interface Written {
  status: LBRegistrarStatus;
  /** resourceVersion of the object the patch was based on. */
  basedOn: string | undefined;
}

/** `patchStatus(name, status)`: a no-op when equal; a 404 (object deleted) is not an error. */
export function createStatusWriter(
  options: StatusWriterOptions,
): (name: string, status: LBRegistrarStatus) => Promise<void> {
  const { request, current, now = Date.now, logger = getLogger("kube") } = options;
  const written = new Map<string, Written>();

  /** The stored status to compare with: ours while the reflector has not seen our last patch. */
  function baseline(name: string, object: LBRegistrar | undefined): LBRegistrarStatus | undefined {
    const last = written.get(name);
    if (last && (!object || object.metadata.resourceVersion === last.basedOn)) return last.status;
    written.delete(name);
    return object ? object.status ?? {} : undefined;
  }

  return async (name, status) => {
    const object = current(name);
    const base = baseline(name, object);
    const next: LBRegistrarStatus = JSON.parse(JSON.stringify({
      ...status,
      conditions: status.conditions &&
        mergeConditions(base?.conditions, status.conditions, now()),
    }));
    if (base && deepEqual(base, next)) {
      logger.debug("Status of {lbr} unchanged; not patched", { lbr: name });
      return;
    }
    // A merge patch keeps keys it does not mention: null out those the new status dropped.
    const patch: Record<string, unknown> = {};
    for (const field of Object.keys(base ?? {})) patch[field] = null;
    Object.assign(patch, next);
    const action = `patch status of LBRegistrar "${name}"`;
    const path = `/apis/${GROUP}/${VERSION}/${PLURAL}/${encodeURIComponent(name)}/status`;
    let response;
    try {
      response = await request("PATCH", path, {
        body: { status: patch },
        contentType: MERGE_PATCH,
      });
    } catch (error) {
      throw errorFromThrown(action, error);
    }
    if (response.status === 404) {
      written.delete(name);
      logger.debug("LBRegistrar {lbr} is gone; status not written", { lbr: name });
      return;
    }
    if (!isSuccess(response.status)) throw errorFromResponse(action, response);
    written.set(name, { status: next, basedOn: object?.metadata.resourceVersion });
  };
}
