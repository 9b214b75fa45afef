/**
 * Leader election on a coordination.k8s.io/v1 Lease (DESIGN §5, §8), the way client-go does it:
 * followers GET the Lease every retry period and take it once it is free or expired; the leader
 * renews it every retry period with a conditional PUT, and stops leading the moment no renewal has
 * succeeded for renewDeadline, before a follower can see the Lease expire (leaseDuration).
 */

import type { Clock } from "../engine/clock.ts";
import { systemClock } from "../engine/clock.ts";
import { errorFromResponse, errorFromThrown, isSuccess } from "../kube/_classify.ts";
import { getLogger, type Logger } from "../log.ts";
import {
  decide,
  type LeaseRecord,
  leaseRecordOf,
  nextRecord,
  releasedRecord,
  sameRecord,
} from "./lease_decision.ts";

/**
 * The raw JSON requests the elector sends: `createKubeRequest(kubeConfig)` from src/kube/_http.ts
 * has this shape (resolves with any HTTP status, rejects on transport errors).
 */
export type LeaseRequest = (
  method: "GET" | "POST" | "PUT",
  path: string,
  options?: { body?: unknown; signal?: AbortSignal },
) => Promise<{ status: number; text: string }>;

/** Options of `createLeaderElector`. */
export interface LeaderElectorOptions {
  request: LeaseRequest;
  /** The operator's namespace, where the Lease lives. */
  namespace: string;
  /** @default "oci-lb-registrar" */
  name?: string;
  /** Unique per process: `holderIdentity(podNameOrHostname, pid)`. */
  identity: string;
  /** How long a follower waits for an unchanged Lease before taking it. @default 15000 */
  leaseDurationMs?: number;
  /** How long the leader keeps leading without a successful renewal. @default 10000 */
  renewDeadlineMs?: number;
  /** Pause between attempts (followers wait 80–100 % of it, at random). @default 2000 */
  retryPeriodMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default getLogger("leader") */
  logger?: Logger;
  /** @default Math.random */
  random?: () => number;
  /** Called when this process starts leading; it may write from now on. */
  onStartedLeading?: () => void;
  /** Called when this process stops leading, before the elector does anything else. */
  onStoppedLeading?: () => void;
}

/** A candidate for the leader Lease. */
export interface LeaderElector {
  /**
   * Campaigns (and, once leading, renews) until `signal` aborts or `release()` is called. An abort
   * stops leading without touching the Lease, as a crash would: followers wait for it to expire.
   */
  run(signal: AbortSignal): Promise<void>;
  /** True between onStartedLeading and onStoppedLeading. */
  isLeader(): boolean;
  /**
   * Stops leading at once, ends `run`, and hands the Lease back (holder cleared) if it still names
   * this process, so a follower takes over within about one retry period. For SIGTERM.
   */
  release(): Promise<void>;
}

/** The holder identity of this process: `<POD_NAME or hostname>_<pid>` (DESIGN §8). */
export function holderIdentity(podNameOrHostname: string, pid: number): string {
  return `${podNameOrHostname}_${pid}`;
}

/** Followers spread their attempts over one retry period plus this fraction of it. */
const JITTER = 0.2;

interface LeaseObject {
  metadata?: { resourceVersion?: string };
  spec?: Record<string, unknown>;
}

type Attempt = { ok: true } | { ok: false; heldBy?: string };

/** A leader elector for the Lease `namespace/name`; nothing happens until `run`. */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const {
    request,
    namespace,
    name = "oci-lb-registrar",
    identity,
    leaseDurationMs = 15_000,
    renewDeadlineMs = 10_000,
    retryPeriodMs = 2_000,
    clock = systemClock,
    logger = getLogger("leader"),
    random = Math.random,
    onStartedLeading = () => {},
    onStoppedLeading = () => {},
  } = options;
  checkDurations(leaseDurationMs, renewDeadlineMs, retryPeriodMs);
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${
    encodeURIComponent(namespace)
  }/leases`;
  const path = `${collection}/${encodeURIComponent(name)}`;
  const lease = `${namespace}/${name}`;
  const log = logger.with({ lease, identity });

  let leading = false;
  let everLed = false;
  /** The Lease as this process last wrote it: the leader renews on top of it without a GET. */
  let written: LeaseObject | undefined;
  /** The record last seen and when it was first seen unchanged (local clock). */
  let observed: { record: LeaseRecord; at: number } | undefined;
  let lastHolder: string | undefined;
  let lastProblem: string | undefined;
  const stop = new AbortController();
  let campaign: Promise<void> | undefined;

  const startLeading = () => {
    leading = true;
    everLed = true;
    log.info("Leading: acquired Lease {lease}", { lease });
    callback("onStartedLeading", onStartedLeading);
  };
  const stopLeading = (reason: string, level: "info" | "warn" = "warn") => {
    if (!leading) return;
    leading = false;
    written = undefined;
    log[level]("Stopped leading: {reason}", { reason });
    callback("onStoppedLeading", onStoppedLeading);
  };
  const callback = (which: string, fn: () => void) => {
    try {
      fn();
    } catch (error) {
      log.error("{which} failed: {error}", { which, error });
    }
  };

  const observe = (record: LeaseRecord) => {
    if (!observed || !sameRecord(observed.record, record)) observed = { record, at: clock.now() };
    if (record.holderIdentity !== lastHolder) {
      lastHolder = record.holderIdentity;
      // A released Lease ("") is taken at the next attempt; that acquisition is what gets logged.
      if (record.holderIdentity !== identity && record.holderIdentity !== "") {
        log.info("Lease {lease} is held by {holder}", { lease, holder: record.holderIdentity });
      }
    }
  };

  /** The Lease, or undefined when it does not exist. */
  const read = async (signal: AbortSignal): Promise<LeaseObject | undefined> => {
    const response = await request("GET", path, { signal });
    if (response.status === 404) return undefined;
    if (!isSuccess(response.status)) throw errorFromResponse(`get Lease "${lease}"`, response);
    const object = JSON.parse(response.text) as LeaseObject;
    observe(leaseRecordOf(object.spec));
    return object;
  };

  /** Writes `record` over `current` (PUT) or as a new Lease (POST); false when another write won. */
  const write = async (
    current: LeaseObject | undefined,
    record: LeaseRecord,
    signal: AbortSignal,
  ): Promise<boolean> => {
    const body = current ? { ...current, spec: { ...current.spec, ...record } } : {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace },
      spec: record,
    };
    const response = current
      ? await request("PUT", path, { body, signal })
      : await request("POST", collection, { body, signal });
    // 409: a stale resourceVersion (PUT) or a Lease created meanwhile (POST): someone else wrote.
    if (response.status === 409) return false;
    if (!isSuccess(response.status)) {
      throw errorFromResponse(`${current ? "update" : "create"} Lease "${lease}"`, response);
    }
    written = JSON.parse(response.text) as LeaseObject;
    observe(leaseRecordOf(written.spec));
    return true;
  };

  /** One look at the Lease, and a write when it is ours to take or renew; never throws. */
  const attempt = (signal: AbortSignal, deadline: number): Promise<Attempt> =>
    withDeadline(deadline, signal, async (bounded): Promise<Attempt> => {
      try {
        const now = clock.now();
        if (leading && written) {
          const renewal = nextRecord(
            "renew",
            leaseRecordOf(written.spec),
            identity,
            now,
            leaseDurationMs,
          );
          if (await write(written, renewal, bounded)) return done({ ok: true });
        }
        const current = await read(bounded);
        if (!current) {
          const record = nextRecord("acquire", undefined, identity, now, leaseDurationMs);
          return done({ ok: await write(undefined, record, bounded) });
        }
        const record = leaseRecordOf(current.spec);
        const action = decide(record, identity, {
          now: clock.now(),
          observedAt: observed?.at ?? now,
          leaseDurationMs,
        });
        if (action === "follow") return done({ ok: false, heldBy: record.holderIdentity });
        const next = nextRecord(action, record, identity, clock.now(), leaseDurationMs);
        return done({ ok: await write(current, next, bounded) });
      } catch (error) {
        if (!signal.aborted) problem(error);
        return { ok: false };
      }
    });
  const done = (result: Attempt): Attempt => {
    lastProblem = undefined;
    return result;
  };
  // A follower retrying every 2 s against a broken API server would log the same line forever.
  const problem = (error: unknown) => {
    const { message } = errorFromThrown(`use Lease "${lease}"`, error);
    if (message === lastProblem) {
      log.debug("Leader election failed again: {error}", { error: message });
    } else log.warn("Leader election failed: {error}", { error: message });
    lastProblem = message;
  };

  /** Bounds one attempt by `at` on the injected clock, so a hung request cannot outlive it. */
  const withDeadline = async <T>(
    at: number,
    signal: AbortSignal,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    const timer = new AbortController();
    const expired = new AbortController();
    clock.sleep(Math.max(0, at - clock.now()), timer.signal).then(
      () => expired.abort(new Error(`Lease request did not finish within ${renewDeadlineMs} ms`)),
      () => {},
    );
    try {
      return await fn(AbortSignal.any([signal, expired.signal]));
    } finally {
      timer.abort();
    }
  };

  /** Renews every retry period until a renewal deadline passes or another holder shows up. */
  const hold = async (renewedAt: number, signal: AbortSignal) => {
    for (;;) {
      const deadline = renewedAt + renewDeadlineMs;
      await clock.sleep(Math.max(0, Math.min(retryPeriodMs, deadline - clock.now())), signal);
      if (clock.now() >= deadline) {
        return stopLeading(`no renewal of Lease ${lease} succeeded within ${renewDeadlineMs} ms`);
      }
      const started = clock.now();
      const result = await attempt(signal, deadline);
      if (result.ok) renewedAt = started;
      else if (result.heldBy !== undefined) {
        return stopLeading(`Lease ${lease} is now held by ${result.heldBy}`);
      }
    }
  };

  const loop = async (signal: AbortSignal) => {
    while (!signal.aborted) {
      const started = clock.now();
      // A hung request must not stall a follower either: it gets the same deadline as a renewal.
      // The write may land just as release() aborts: leading then would be after the fact.
      if ((await attempt(signal, started + renewDeadlineMs)).ok && !signal.aborted) {
        startLeading();
        await hold(started, signal);
      }
      // Jitter only shortens the pause, so a released Lease is taken within one retry period.
      await clock.sleep(retryPeriodMs * (1 - JITTER * random()), signal);
    }
  };

  return {
    run(signal) {
      if (campaign) throw new Error("BUG: LeaderElector.run() called twice");
      const both = AbortSignal.any([signal, stop.signal]);
      log.info("Campaigning for Lease {lease} as {identity}", { lease, identity });
      campaign = loop(both).catch((error) => {
        if (!both.aborted) throw error;
      }).finally(() => stopLeading("stopping", "info"));
      return campaign;
    },
    isLeader: () => leading,
    async release() {
      stopLeading("releasing the Lease", "info");
      stop.abort();
      await campaign?.catch(() => {});
      if (!everLed) return;
      try {
        await withDeadline(
          clock.now() + renewDeadlineMs,
          new AbortController().signal,
          async (s) => {
            // A write may have raced ours; three tries settle it, and then the Lease is someone else's.
            for (let tries = 0; tries < 3; tries++) {
              const current = await read(s);
              const record = leaseRecordOf(current?.spec);
              if (!current || record.holderIdentity !== identity) return;
              if (await write(current, releasedRecord(record, clock.now()), s)) {
                log.info("Released Lease {lease}", { lease });
                return;
              }
            }
          },
        );
      } catch (error) {
        log.warn("Cannot release Lease {lease}: {error}", {
          lease,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}

function checkDurations(leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number) {
  if (!(retryPeriodMs > 0)) {
    throw new Error(
      `Cannot use a leader-election retry period of ${retryPeriodMs} ms: wanted more than 0`,
    );
  }
  if (!(renewDeadlineMs > retryPeriodMs * (1 + JITTER))) {
    throw new Error(
      `Cannot use a leader-election renew deadline of ${renewDeadlineMs} ms: wanted more than ` +
        `${retryPeriodMs * (1 + JITTER)} ms (retry period plus jitter)`,
    );
  }
  if (!(leaseDurationMs > renewDeadlineMs)) {
    throw new Error(
      `Cannot use a leader-election lease duration of ${leaseDurationMs} ms: wanted more than the ` +
        `renew deadline (${renewDeadlineMs} ms)`,
    );
  }
}
