/** Open watches: fan-out of changes, bookmarks, timeouts and forced closes. */

import type { ChangeEvent } from "./event_ring.ts";
import { bookmarkLine, eventLine, type WatchScope } from "./watch_event.ts";

/** How one watch is opened. */
export interface WatchRequest extends WatchScope {
  storage: string;
  /** Changes with an RV at or below this are not sent (the watch starts after it). */
  fromRv: number;
  /** The RV the client knows it has seen (for deciding when a bookmark is due). */
  sentRv: number;
  /** Bytes to send first: synthetic ADDED lines, or replayed history. */
  first: Uint8Array[];
  /** BOOKMARK events were asked for and the watch is served from the cache (an RV was given). */
  bookmarks: boolean;
  timeoutMs: number;
}

interface Watcher extends WatchScope {
  storage: string;
  fromRv: number;
  /** Highest RV this watcher was told about, by an event or a bookmark. */
  sentRv: number;
  bookmarks: boolean;
  push(bytes: Uint8Array): void;
  close(): void;
}

/** The registry of open watches. */
export interface WatchHub {
  /** Opens a watch and returns its response body. */
  open(request: WatchRequest): ReadableStream<Uint8Array>;
  /** Delivers one change to every watch of its storage. */
  publish(storage: string, event: ChangeEvent): void;
  /** Sends a BOOKMARK at the current RV to every watch that asked for bookmarks. */
  bookmarkAll(): void;
  /** Ends every open watch cleanly (clients see the stream end). */
  closeAll(): void;
  /** Ends the watches of one storage (its resource stopped being served). */
  closeStorage(storage: string): void;
  readonly size: number;
}

/** Options of the hub. */
export interface WatchHubOptions {
  /** RV of the newest change in a storage, for periodic bookmarks. */
  lastRv: (storage: string) => number;
  /** The global RV, for bookmarks on request. */
  currentRv: () => number;
  bookmarkIntervalMs: number;
  /** Queued chunks a slow client may fall behind before its watch is closed. */
  queueLimit: number;
}

/** A hub with no open watches. */
export function createWatchHub(options: WatchHubOptions): WatchHub {
  const { lastRv, currentRv, bookmarkIntervalMs, queueLimit } = options;
  const byStorage = new Map<string, Set<Watcher>>();
  const all = new Set<Watcher>();

  const sendBookmark = (w: Watcher, rv: number) => {
    if (rv <= w.sentRv) return;
    w.sentRv = rv;
    w.push(bookmarkLine(w.rt, rv));
  };

  return {
    open(request) {
      let watcher: Watcher;
      const timers: ReturnType<typeof setTimeout>[] = [];
      let ticker: ReturnType<typeof setInterval> | undefined;
      let closed = false;
      const cleanup = () => {
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        clearInterval(ticker);
        byStorage.get(request.storage)?.delete(watcher);
        all.delete(watcher);
      };
      return new ReadableStream<Uint8Array>({
        start(controller) {
          const { first, ...rest } = request;
          watcher = {
            ...rest,
            push(bytes) {
              if (closed) return;
              // A client that stops reading is cut off, as the real watch cache does.
              if ((controller.desiredSize ?? 0) < -queueLimit) return watcher.close();
              controller.enqueue(bytes);
            },
            close() {
              if (closed) return;
              cleanup();
              controller.close();
            },
          };
          for (const bytes of first) if (bytes.length > 0) controller.enqueue(bytes);
          let set = byStorage.get(request.storage);
          if (!set) byStorage.set(request.storage, set = new Set());
          set.add(watcher);
          all.add(watcher);
          timers.push(setTimeout(() => watcher.close(), request.timeoutMs));
          if (request.bookmarks) {
            ticker = setInterval(
              () => sendBookmark(watcher, lastRv(request.storage)),
              bookmarkIntervalMs,
            );
            // The real server also bookmarks about 2 s before the deadline.
            if (request.timeoutMs > 2_000) {
              timers.push(
                setTimeout(
                  () => sendBookmark(watcher, lastRv(request.storage)),
                  request.timeoutMs - 2_000,
                ),
              );
            }
          }
        },
        cancel() {
          cleanup();
        },
      }, { highWaterMark: 1 });
    },
    publish(storage, event) {
      const set = byStorage.get(storage);
      if (!set) return;
      for (const w of set) {
        if (event.rv <= w.fromRv) continue;
        const line = eventLine(event, w);
        if (!line) continue;
        w.sentRv = event.rv;
        w.push(line);
      }
    },
    bookmarkAll() {
      const rv = currentRv();
      for (const w of all) if (w.bookmarks) sendBookmark(w, rv);
    },
    closeAll() {
      for (const w of [...all]) w.close();
    },
    closeStorage(storage) {
      for (const w of [...byStorage.get(storage) ?? []]) w.close();
    },
    get size() {
      return all.size;
    },
  };
}
