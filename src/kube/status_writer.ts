/**
 * Writes LBRegistrar status with a merge patch on `/status`, only when the content changed. Merge
 * patches carry no resourceVersion precondition, so a concurrent spec edit never causes a conflict.
 */
import { createHash } from "node:crypto";
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

/**
 * What this writer last sent, until the reflector catches up with it: not the status itself (its
 * backend lists can hold thousands of ip:port), only what comparing with it and patching over it
 * need.
 */
interface Written {
  /** sha256 of the status as sent (JSON). */
  digest: string;
  /** Its top-level fields, which the next patch must null out if it drops them. */
  fields: string[];
  conditions: LBRegistrarStatus["conditions"];
  /** resourceVersion of the object the patch was based on. */
  basedOn: string | undefined;
}

/** The stored status to compare with and patch over. */
type Baseline =
  | { kind: "stored"; status: LBRegistrarStatus }
  | { kind: "written"; written: Written };

/** `patchStatus(name, status)`: a no-op when equal; a 404 (object deleted) is not an error. */
export function createStatusWriter(
  options: StatusWriterOptions,
): (name: string, status: LBRegistrarStatus) => Promise<void> {
  const { request, current, now = Date.now, logger = getLogger("kube") } = options;
  const written = new Map<string, Written>();

  /** The stored status to compare with: ours while the reflector has not seen our last patch. */
  function baseline(name: string, object: LBRegistrar | undefined): Baseline | undefined {
    const last = written.get(name);
    if (last && (!object || object.metadata.resourceVersion === last.basedOn)) {
      return { kind: "written", written: last };
    }
    written.delete(name);
    return object ? { kind: "stored", status: object.status ?? {} } : undefined;
  }

  return async (name, status) => {
    const object = current(name);
    const base = baseline(name, object);
    const baseConditions = base?.kind === "written"
      ? base.written.conditions
      : base?.status.conditions;
    const text = JSON.stringify({
      ...status,
      conditions: status.conditions && mergeConditions(baseConditions, status.conditions, now()),
    });
    const next: LBRegistrarStatus = JSON.parse(text);
    const digest = createHash("sha256").update(text).digest("base64");
    const unchanged = base?.kind === "written"
      ? base.written.digest === digest
      : base !== undefined && deepEqual(base.status, next);
    if (unchanged) {
      logger.debug("Status of {lbr} unchanged; not patched", { lbr: name });
      return;
    }
    // A merge patch keeps keys it does not mention: null out those the new status dropped.
    const patch: Record<string, unknown> = {};
    const baseFields = base?.kind === "written"
      ? base.written.fields
      : Object.keys(base?.status ?? {});
    for (const field of baseFields) patch[field] = null;
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
    written.set(name, {
      digest,
      fields: Object.keys(next),
      conditions: next.conditions,
      basedOn: object?.metadata.resourceVersion,
    });
  };
}
