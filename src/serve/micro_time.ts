/**
 * metav1.MicroTime on the wire: RFC 3339 in UTC with exactly six fractional digits. The API server
 * answers 400 to `toISOString()`'s three digits (kube-wire-notes §4, Lease).
 */

/** `ms` since the epoch as MicroTime, e.g. "2026-11-23T21:40:03.123000Z" (JS time has whole ms). */
export function microTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
