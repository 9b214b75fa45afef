/**
 * Lanes own all write concurrency (DESIGN §5): one lane per load balancer OCID, strictly one batch in
 * flight per lane (OCI answers 409 while a work request runs on that LB), different LBs in parallel up
 * to a bound. Every wake-up (debounce, retry, drain expiry, resync) is an `enqueue` with a delay, so a
 * burst of changes becomes one batch per load balancer. A batch waiting on OCI (a work request) may
 * hand its parallel slot to another load balancer meanwhile; its own lane stays busy, so one load
 * balancer still never has two batches, and so never two mutations, at once.
 */

import type { Clock } from "./clock.ts";

export interface LanesOptions {
  clock: Clock;
  /** Syncs the given backend sets of one load balancer, one after the other. Must not throw. */
  work: (loadBalancerId: string, backendSetNames: string[], batch: Batch) => Promise<void>;
  /** Delay of an `enqueue` without one. @default 1000 */
  debounceMs?: number;
  /** Load balancers synced at the same time. @default 4 */
  maxParallel?: number;
  /** Called when `work` throws despite its contract. */
  onError?: (loadBalancerId: string, error: unknown) => void;
}

export interface Lanes {
  /** Marks a backend set due after `delayMs` (default: the debounce). An earlier due time wins. */
  enqueue(loadBalancerId: string, backendSetName: string, delayMs?: number): void;
  /** Backend sets waiting in all lanes. */
  depth(): number;
  /** True while some lane is running a batch. */
  busy(): boolean;
  /** Cancels every timer and waits for running batches to end. Later enqueues are ignored. */
  close(): Promise<void>;
}

/** What a running batch may ask of its lane. */
export interface Batch {
  /**
   * Awaits `promise` without holding a parallel slot (a hung work request must not hold up other
   * load balancers for up to --work-request-timeout), then takes a slot again.
   */
  idle<T>(promise: Promise<T>): Promise<T>;
}

interface Lane {
  loadBalancerId: string;
  /** Backend set name -> time it is due. */
  due: Map<string, number>;
  running: Promise<void> | undefined;
  timer: AbortController | undefined;
  timerAt: number;
}

/** Creates the lanes; see the module comment. */
export function createLanes(options: LanesOptions): Lanes {
  const { clock, work, debounceMs = 1000, maxParallel = 4, onError = () => {} } = options;
  const lanes = new Map<string, Lane>();
  const slots = createSemaphore(maxParallel);
  let closed = false;

  function laneFor(loadBalancerId: string): Lane {
    let lane = lanes.get(loadBalancerId);
    if (!lane) {
      lane = { loadBalancerId, due: new Map(), running: undefined, timer: undefined, timerAt: 0 };
      lanes.set(loadBalancerId, lane);
    }
    return lane;
  }

  function schedule(lane: Lane): void {
    if (closed || lane.running || lane.due.size === 0) return;
    const at = Math.min(...lane.due.values());
    if (lane.timer && lane.timerAt <= at) return;
    lane.timer?.abort();
    lane.timer = undefined;
    if (at <= clock.now()) return start(lane);
    const timer = new AbortController();
    lane.timer = timer;
    lane.timerAt = at;
    clock.sleep(at - clock.now(), timer.signal).then(() => {
      if (lane.timer === timer) lane.timer = undefined;
      start(lane);
    }, () => {/* replaced by an earlier timer, or closed */});
  }

  function start(lane: Lane): void {
    if (lane.running) return;
    lane.running = run(lane).finally(() => {
      lane.running = undefined;
      schedule(lane);
    });
  }

  async function run(lane: Lane): Promise<void> {
    await slots.acquire();
    let holding = true;
    const batch: Batch = {
      async idle(promise) {
        if (!holding) return await promise;
        holding = false;
        slots.release();
        try {
          return await promise;
        } finally {
          await slots.acquire();
          holding = true;
        }
      },
    };
    try {
      if (closed) return;
      const now = clock.now();
      const names = [...lane.due].filter(([, at]) => at <= now).map(([name]) => name).sort();
      for (const name of names) lane.due.delete(name);
      if (names.length > 0) await work(lane.loadBalancerId, names, batch);
    } catch (error) {
      onError(lane.loadBalancerId, error);
    } finally {
      if (holding) slots.release();
    }
  }

  return {
    enqueue(loadBalancerId, backendSetName, delayMs = debounceMs) {
      if (closed) return;
      const lane = laneFor(loadBalancerId);
      const at = clock.now() + Math.max(0, delayMs);
      const current = lane.due.get(backendSetName);
      if (current === undefined || at < current) lane.due.set(backendSetName, at);
      schedule(lane);
    },
    depth: () => [...lanes.values()].reduce((sum, lane) => sum + lane.due.size, 0),
    busy: () => [...lanes.values()].some((lane) => lane.running !== undefined),
    async close() {
      closed = true;
      for (const lane of lanes.values()) lane.timer?.abort();
      await Promise.all([...lanes.values()].map((lane) => lane.running));
    },
  };
}

/** A counting semaphore with a FIFO queue. */
function createSemaphore(size: number) {
  let free = Math.max(1, size);
  const waiting: (() => void)[] = [];
  return {
    acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}
