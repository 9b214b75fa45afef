/** The annotations that change how the operator treats one LBRegistrar (DESIGN §3, §8). */

import { PAUSED_ANNOTATION, SKIP_CLEANUP_ANNOTATION } from "./constants.ts";
import type { LBRegistrar } from "./types.ts";

/** The object is paused: `nodes.peppy-ratio.dev/paused: "true"` stops every OCI write for it. */
export function isPaused(lbr: Pick<LBRegistrar, "metadata">): boolean {
  return annotationIsTrue(lbr, PAUSED_ANNOTATION);
}

/** `nodes.peppy-ratio.dev/skip-cleanup: "true"`: release a Deregister object without touching OCI. */
export function skipCleanup(lbr: Pick<LBRegistrar, "metadata">): boolean {
  return annotationIsTrue(lbr, SKIP_CLEANUP_ANNOTATION);
}

/** The annotation's value is "true" (exactly, as Kubernetes' own boolean annotations are read). */
function annotationIsTrue(lbr: Pick<LBRegistrar, "metadata">, name: string): boolean {
  const annotations: unknown = lbr.metadata?.annotations;
  if (typeof annotations !== "object" || annotations === null) return false;
  return Object.hasOwn(annotations, name) &&
    (annotations as Record<string, unknown>)[name] === "true";
}
