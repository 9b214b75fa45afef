/** JSON merge patch (RFC 7386), as `application/merge-patch+json` applies it. */

import { isObject } from "./json_value.ts";

/** `target` with `patch` merged in: null deletes a key, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
