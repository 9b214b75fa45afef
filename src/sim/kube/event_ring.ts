/** The bounded history of one resource's changes, kept for watch replay and consistent lists. */

import type { KubeObject } from "./resource_type.ts";

/** One change, as a watch reports it (before any selector filtering). */
export interface ChangeEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  rv: number;
  /** The stored object in storage form; for DELETED the last state stamped with the deletion's RV. */
  object: KubeObject;
  /** The state before the change (MODIFIED and DELETED). */
  previous?: KubeObject;
  /** Encoded watch lines, shared by every watcher that gets the same bytes. */
  lines?: Map<string, Uint8Array>;
}

/** A fixed-capacity ring of change events ordered by RV. */
export interface EventRing {
  push(event: ChangeEvent): void;
  /** Events with rv greater than `rv`, oldest first. */
  since(rv: number): ChangeEvent[];
  /** Every event with rv greater than this is still held (0 until something was dropped). */
  readonly floor: number;
  /** Drops every event and moves the floor to `rv`. */
  clear(rv: number): void;
  readonly size: number;
}

/** A ring holding at most `capacity` events. */
export function createEventRing(capacity: number, floor = 0): EventRing {
  const slots: (ChangeEvent | undefined)[] = new Array(capacity);
  let start = 0;
  let size = 0;
  let lowest = floor;

  const at = (i: number) => slots[(start + i) % capacity]!;

  return {
    push(event) {
      if (size === capacity) {
        lowest = at(0).rv;
        slots[start] = undefined;
        start = (start + 1) % capacity;
        size--;
      }
      slots[(start + size) % capacity] = event;
      size++;
    },
    since(rv) {
      // Binary search for the first event newer than rv; RVs only grow.
      let lo = 0;
      let hi = size;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (at(mid).rv <= rv) lo = mid + 1;
        else hi = mid;
      }
      const out: ChangeEvent[] = [];
      for (let i = lo; i < size; i++) out.push(at(i));
      return out;
    },
    get floor() {
      return lowest;
    },
    clear(rv) {
      slots.fill(undefined);
      start = 0;
      size = 0;
      lowest = Math.max(lowest, rv);
    },
    get size() {
      return size;
    },
  };
}
