/** PATCH bodies by content type: merge, JSON, strategic merge and server-side apply. */

import YAML from "yaml";
import { jsonPatch } from "./json_patch.ts";
import { isObject } from "./json_value.ts";
import { mergePatch } from "./merge_patch.ts";
import type { KubeObject, ResourceType } from "./resource_type.ts";
import { badRequest, unsupportedPatch } from "./status_error.ts";
import { strategicMergePatch } from "./strategic_merge_patch.ts";

const MERGE = "application/merge-patch+json";
const JSON_PATCH = "application/json-patch+json";
const STRATEGIC = "application/strategic-merge-patch+json";
const APPLY = "application/apply-patch+yaml";

/** The patched object; `createIfMissing` for server-side apply, which creates a missing object. */
export interface PatchOutcome {
  object: KubeObject;
  createIfMissing: boolean;
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const goText = /end of (JSON|data)|Unexpected end/i.test(message) || text.trim() === ""
      ? "unexpected end of JSON input"
      : `invalid character looking for beginning of value`;
    throw badRequest(`error decoding patch: ${goText}`);
  }
}

/** Applies a PATCH body to the current object (served form); throws 415, 400 or 422 as the real server. */
export function applyPatch(
  rt: ResourceType,
  current: KubeObject | undefined,
  contentType: string,
  body: string,
): PatchOutcome {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  const accepted = rt.custom ? [JSON_PATCH, MERGE, APPLY] : [JSON_PATCH, MERGE, STRATEGIC, APPLY];
  if (!accepted.includes(type)) throw unsupportedPatch(accepted);
  const base: KubeObject = current ?? { metadata: {} };
  switch (type) {
    case MERGE:
      return { object: asObject(mergePatch(base, decode(body))), createIfMissing: false };
    case JSON_PATCH:
      return { object: asObject(jsonPatch(base, decode(body))), createIfMissing: false };
    case STRATEGIC:
      return {
        object: asObject(strategicMergePatch(base, decode(body), rt.kind)),
        createIfMissing: false,
      };
    default: {
      let applied: unknown;
      try {
        applied = YAML.parse(body);
      } catch (error) {
        throw badRequest(
          `error decoding YAML: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      if (!isObject(applied)) throw badRequest("error decoding YAML: the body is not an object");
      // Without field ownership tracking, apply sets the fields it names (a merge without deletions).
      return { object: asObject(mergePatch(base, withoutNulls(applied))), createIfMissing: true };
    }
  }
}

function withoutNulls(value: unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]),
  );
}

function asObject(value: unknown): KubeObject {
  if (!isObject(value)) throw badRequest("error decoding patch: the result is not an object");
  return { ...value, metadata: isObject(value.metadata) ? value.metadata : {} } as KubeObject;
}
