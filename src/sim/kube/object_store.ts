/**
 * Object storage with one global resourceVersion counter (the etcd revision), per-storage maps keyed
 * by `namespace/name`, and a bounded change history per storage. Stored objects are never mutated:
 * every write stores a new object, so readers and watch events can share them.
 */

import { type ChangeEvent, createEventRing, type EventRing } from "./event_ring.ts";
import type { KubeObject } from "./resource_type.ts";

interface Bucket {
  objects: Map<string, KubeObject>;
  sorted: string[] | null;
  ring: EventRing;
  lastRv: number;
}

/** What a snapshot at an old RV returns when history no longer reaches back that far. */
export const EXPIRED = Symbol("expired");

/** The low-level store the API semantics are built on. */
export interface ObjectStore {
  /** The newest resourceVersion handed out. */
  readonly rv: number;
  get(storage: string, key: string): KubeObject | undefined;
  /** Keys of one storage in list order (sorted, as etcd returns them). */
  keys(storage: string): readonly string[];
  /** Number of objects in one storage. */
  count(storage: string): number;
  /** Stores an object under a fresh RV and records the change; returns the stored object. */
  put(storage: string, key: string, obj: KubeObject): KubeObject;
  /** Removes an object; the DELETED event carries its last state under a fresh RV, which is returned. */
  remove(storage: string, key: string): KubeObject | undefined;
  /** The storage as it was at `rv`, or EXPIRED when the history is too short. */
  snapshotAt(storage: string, rv: number): ReadonlyMap<string, KubeObject> | typeof EXPIRED;
  /** Changes after `rv`, or EXPIRED when `rv` is older than the retained window. */
  since(storage: string, rv: number): ChangeEvent[] | typeof EXPIRED;
  /** The oldest RV a watch may still resume from for this storage. */
  floor(storage: string): number;
  /** The RV of the newest change in one storage (0 if none). */
  lastRv(storage: string): number;
  /** Drops all history, so every RV older than now is expired. */
  compact(): void;
  /** Resolves true once the counter reaches `rv`, false after `timeoutMs`. */
  waitForRv(rv: number, timeoutMs: number): Promise<boolean>;
  /** Cancels pending waits (used on shutdown). */
  close(): void;
}

/** A store whose per-storage history holds `historyWindow` events. */
export function createObjectStore(
  historyWindow: number,
  onChange: (storage: string, event: ChangeEvent) => void,
): ObjectStore {
  const buckets = new Map<string, Bucket>();
  let rv = 0;
  let compactedAt = 0;
  const waiters = new Set<{ rv: number; done: (ok: boolean) => void }>();

  const bucket = (storage: string): Bucket => {
    let b = buckets.get(storage);
    if (!b) {
      b = {
        objects: new Map(),
        sorted: null,
        ring: createEventRing(historyWindow, compactedAt),
        lastRv: 0,
      };
      buckets.set(storage, b);
    }
    return b;
  };

  const stamp = (obj: KubeObject, at: number): KubeObject => ({
    ...obj,
    metadata: { ...obj.metadata, resourceVersion: String(at) },
  });

  const record = (storage: string, b: Bucket, event: ChangeEvent) => {
    b.ring.push(event);
    b.lastRv = event.rv;
    onChange(storage, event);
    for (const waiter of waiters) {
      if (waiter.rv <= rv) {
        waiters.delete(waiter);
        waiter.done(true);
      }
    }
  };

  return {
    get rv() {
      return rv;
    },
    get: (storage, key) => buckets.get(storage)?.objects.get(key),
    keys(storage) {
      const b = bucket(storage);
      b.sorted ??= [...b.objects.keys()].sort();
      return b.sorted;
    },
    count: (storage) => buckets.get(storage)?.objects.size ?? 0,
    put(storage, key, obj) {
      const b = bucket(storage);
      const previous = b.objects.get(key);
      const stored = stamp(obj, ++rv);
      if (!previous) b.sorted = null;
      b.objects.set(key, stored);
      record(
        storage,
        b,
        previous
          ? { type: "MODIFIED", rv, object: stored, previous }
          : { type: "ADDED", rv, object: stored },
      );
      return stored;
    },
    remove(storage, key) {
      const b = bucket(storage);
      const previous = b.objects.get(key);
      if (!previous) return undefined;
      b.objects.delete(key);
      b.sorted = null;
      const last = stamp(previous, ++rv);
      record(storage, b, { type: "DELETED", rv, object: last, previous });
      return last;
    },
    snapshotAt(storage, at) {
      const b = bucket(storage);
      if (at < b.ring.floor) return EXPIRED;
      const events = b.ring.since(at);
      if (events.length === 0) return b.objects;
      const snapshot = new Map(b.objects);
      for (let i = events.length - 1; i >= 0; i--) {
        const event = events[i]!;
        const key = objectKeyOf(event.object);
        if (event.type === "ADDED") snapshot.delete(key);
        else snapshot.set(key, event.previous!);
      }
      return snapshot;
    },
    since(storage, at) {
      const b = bucket(storage);
      return at < b.ring.floor ? EXPIRED : b.ring.since(at);
    },
    floor: (storage) => bucket(storage).ring.floor,
    lastRv: (storage) => buckets.get(storage)?.lastRv ?? 0,
    compact() {
      compactedAt = rv;
      for (const b of buckets.values()) b.ring.clear(rv);
    },
    waitForRv(target, timeoutMs) {
      if (target <= rv) return Promise.resolve(true);
      return new Promise((resolve) => {
        const waiter = {
          rv: target,
          done: (ok: boolean) => {
            clearTimeout(timer);
            resolve(ok);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          resolve(false);
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      for (const waiter of waiters) waiter.done(false);
      waiters.clear();
    },
  };
}

/** The storage key of a stored object. */
export function objectKeyOf(obj: KubeObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name ?? "";
}
