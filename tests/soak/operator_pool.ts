/**
 * The operator under test as real subprocesses (`deno run … main.ts run …`), so SIGKILL and SIGTERM
 * are real. One process, or two with `--leader-elect` (a leader and a warm follower). Each process's
 * output goes to its own log file and through the log scanner; an exit nobody asked for, or a
 * SIGTERM that does not end in a clean exit 0, is a violation. Every wait is bounded, and
 * `killAll()` (also run on failure and on Ctrl-C) leaves no process behind.
 */

import type { KubeSim } from "../../src/sim/kube/kube_sim.ts";
import { LEASE_NAME } from "../../src/api/constants.ts";
import type { createLogScanner } from "./log_scan.ts";
import { START_FLAGS } from "../support/start_flags.ts";

/** Flags of every operator process; durations as the CLI takes them. */
export interface OperatorFlags {
  kubeconfig: string;
  ociEndpoint: string;
  namespace: string;
  debounce: string;
  resync: string;
  workRequestPoll: string;
  workRequestTimeout: string;
  leaderElect: boolean;
}

/** One process, from spawn to exit. */
export interface OperatorInstance {
  /** "op1#2": slot 1, second process in that slot. */
  readonly name: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly logPath: string;
  /** Set when the soak sent the signal that ends it. */
  expectedEnd?: "SIGKILL" | "SIGTERM";
  status?: Deno.CommandStatus;
  /** Resolves once the process has ended and its output is drained. */
  readonly ended: Promise<Deno.CommandStatus>;
}

/** What the pool reports as broken. */
export type ViolationSink = (message: string) => void;

/** How the pool is built. */
export interface PoolOptions {
  /** The checkout whose main.ts runs. */
  root: string;
  flags: OperatorFlags;
  /** 1, or 2 with --leader-elect. */
  processes: 1 | 2;
  logDir: string;
  scanner: ReturnType<typeof createLogScanner>;
  violation: ViolationSink;
  kube: KubeSim;
  /** Longest wait for a SIGTERM'd process to exit (its shutdown grace plus margin). */
  stopTimeoutMs: number;
}

/** The running operator processes. */
export interface OperatorPool {
  readonly instances: readonly OperatorInstance[];
  /** Live instance per slot. */
  live(): OperatorInstance[];
  /** The instance that may write: the Lease holder with --leader-elect, else the only one. */
  leader(): OperatorInstance | undefined;
  /** Waits (bounded) until some live instance leads; returns it. */
  waitForLeader(timeoutMs: number): Promise<OperatorInstance>;
  /** Sends `signal` to `instance`, waits for its end (bounded), then starts a fresh one in its slot. */
  replace(instance: OperatorInstance, signal: "SIGKILL" | "SIGTERM"): Promise<OperatorInstance>;
  /** Starts a process in every empty slot. */
  fill(): void;
  /** SIGTERM to all, bounded wait, SIGKILL to stragglers (a straggler is a violation). */
  stopAll(): Promise<void>;
  /** SIGKILL to every live process at once (failure paths); no process starts after it. */
  killAll(): void;
  /** Waits (bounded) until every process ever started has ended and its output is drained. */
  settled(timeoutMs: number): Promise<boolean>;
}

/**
 * Extra Deno flags for every operator process after those of `deno task start`, opt-in, split on
 * whitespace; a later `--v8-flags` replaces the task's, e.g.
 * `SOAK_DENO_FLAGS="--v8-flags=--max-semi-space-size=32"` to try other V8 settings under the soak.
 */
function extraDenoFlags(): string[] {
  return (Deno.env.get("SOAK_DENO_FLAGS") ?? "").split(/\s+/).filter((flag) => flag !== "");
}

/** Starts `processes` operator processes. */
export function startOperatorPool(options: PoolOptions): OperatorPool {
  const { root, flags, processes, logDir, scanner, violation, kube, stopTimeoutMs } = options;
  const instances: OperatorInstance[] = [];
  const slots: (OperatorInstance | undefined)[] = Array.from({ length: processes });
  const children = new Map<OperatorInstance, Deno.ChildProcess>();
  const generation = Array.from({ length: processes }, () => 0);
  let closed = false;

  const args = [
    "run",
    "--frozen",
    ...START_FLAGS,
    ...extraDenoFlags(),
    `${root}/main.ts`,
    "run",
    "--kubeconfig",
    flags.kubeconfig,
    "--namespace",
    flags.namespace,
    "--secret-namespaces",
    flags.namespace,
    "--oci-endpoint",
    flags.ociEndpoint,
    "--debounce",
    flags.debounce,
    "--resync",
    flags.resync,
    "--work-request-poll",
    flags.workRequestPoll,
    "--work-request-timeout",
    flags.workRequestTimeout,
    "--metrics-addr",
    "off",
    "--health-addr",
    "off",
    "--log-format",
    "json",
    ...(flags.leaderElect ? ["--leader-elect"] : []),
  ];

  function start(slot: number): OperatorInstance {
    // After killAll nothing may start again: a replace still waiting would leave an orphan.
    if (closed) throw new Error("Cannot start an operator process: the pool was killed");
    const name = `op${slot + 1}#${++generation[slot]!}`;
    const logPath = `${logDir}/${name.replace("#", "-")}.log`;
    const child = new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      env: { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const file = Deno.openSync(logPath, { create: true, write: true, truncate: true });
    const drains = [child.stdout, child.stderr].map((stream) => drain(stream, file, name));
    const instance: OperatorInstance = {
      name,
      pid: child.pid,
      startedAt: Date.now(),
      logPath,
      ended: Promise.all([child.status, ...drains]).then(([status]) => {
        file.close();
        return status;
      }),
    };
    children.set(instance, child);
    instances.push(instance);
    slots[slot] = instance;
    void instance.ended.then((status) => {
      instance.status = status;
      children.delete(instance);
      if (slots[slot] === instance) slots[slot] = undefined;
      if (!instance.expectedEnd) {
        violation(
          `operator ${name} (pid ${instance.pid}) exited by itself: code ${status.code}` +
            `${status.signal ? `, signal ${status.signal}` : ""} (log ${logPath})`,
        );
      } else if (instance.expectedEnd === "SIGTERM" && status.code !== 0) {
        violation(
          `operator ${name} (pid ${instance.pid}) ended with code ${status.code}` +
            `${
              status.signal ? ` (${status.signal})` : ""
            } after SIGTERM, expected a clean exit 0 (log ${logPath})`,
        );
      }
    });
    return instance;
  }

  async function drain(stream: ReadableStream<Uint8Array>, file: Deno.FsFile, name: string) {
    const decoder = new TextDecoder();
    let rest = "";
    for await (const chunk of stream) {
      file.writeSync(chunk);
      const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) if (line.trim() !== "") scanner.scan(line, name);
    }
    if (rest.trim() !== "") scanner.scan(rest, name);
  }

  const live = () => slots.filter((s): s is OperatorInstance => s !== undefined);

  function leader(): OperatorInstance | undefined {
    if (!flags.leaderElect) return live()[0];
    const lease = kube.get({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      namespace: flags.namespace,
      name: LEASE_NAME,
    });
    const spec = (lease?.spec ?? {}) as { holderIdentity?: string; renewTime?: string };
    const holder = spec.holderIdentity ?? "";
    return live().find((instance) => holder.endsWith(`_${instance.pid}`));
  }

  async function endOf(instance: OperatorInstance, signal: "SIGKILL" | "SIGTERM") {
    instance.expectedEnd = signal;
    const child = children.get(instance);
    if (!child) return;
    try {
      child.kill(signal);
    } catch {
      return; // already gone
    }
    const limit = signal === "SIGKILL" ? 10_000 : stopTimeoutMs;
    const ended = await within(instance.ended, limit);
    if (ended) return;
    violation(`operator ${instance.name} did not exit within ${limit} ms of ${signal}`);
    instance.expectedEnd = "SIGKILL";
    try {
      children.get(instance)?.kill("SIGKILL");
    } catch { /* gone meanwhile */ }
    if (!(await within(instance.ended, 10_000))) {
      throw new Error(
        `Cannot stop operator ${instance.name} (pid ${instance.pid}): SIGKILL ignored`,
      );
    }
  }

  for (let slot = 0; slot < processes; slot++) start(slot);

  return {
    instances,
    live,
    leader,
    async waitForLeader(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = leader();
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`Timed out after ${timeoutMs} ms waiting for an operator to lead`);
        }
        await sleep(100);
      }
    },
    async replace(instance, signal) {
      const slot = slots.indexOf(instance);
      await endOf(instance, signal);
      const index = slot >= 0 ? slot : slots.findIndex((s) => s === undefined);
      return start(index >= 0 ? index : 0);
    },
    fill() {
      slots.forEach((s, slot) => {
        if (!s) start(slot);
      });
    },
    async stopAll() {
      await Promise.all(live().map((instance) => endOf(instance, "SIGTERM")));
    },
    killAll() {
      closed = true;
      for (const [instance, child] of children) {
        // The soak is failing or stopping: whatever signal was sent before, this one ends it.
        instance.expectedEnd = "SIGKILL";
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
    },
    settled: (timeoutMs) => within(Promise.all(instances.map((i) => i.ended)), timeoutMs),
  };
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
