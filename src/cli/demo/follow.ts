/**
 * `demo --follow`, after the story: everything keeps running, a kubeconfig lets a person change the
 * cluster with kubectl, and every change the operator makes in OCI is shown.
 */

import { join } from "node:path";
import { EXCLUDE_FROM_LB_LABEL } from "../../api/constants.ts";
import type { KubeSim } from "../../sim/kube/kube_sim.ts";
import type { Screen } from "./screen.ts";
import { sleep } from "./settle.ts";
import { renderTable } from "./table.ts";
import { type DemoView, describeChanges, sameState } from "./view.ts";

/** What following needs. */
export interface FollowOptions {
  readonly kube: KubeSim;
  readonly read: () => Promise<DemoView>;
  readonly screen: Screen;
  /** Terminal width for the table, 0 when not a terminal. */
  readonly width: () => number;
  /** The view the story ended with. */
  readonly start: DemoView;
  /** Following ends when this aborts (rejecting with its reason). */
  readonly signal: AbortSignal;
}

/** Shows changes until the signal aborts. */
export async function follow(options: FollowOptions): Promise<void> {
  const { kube, read, screen, width, start, signal } = options;
  const dir = await writableTempDir();
  try {
    screen.log("");
    screen.log("Following: change the cluster and watch the backend sets (Ctrl-C stops).");
    if (dir) {
      const kubeconfig = join(dir, "kubeconfig");
      // The kubeconfig carries the simulator's bearer token: readable by its owner only.
      await Deno.writeTextFile(kubeconfig, kube.kubeconfigYaml(), { mode: 0o600 });
      const k = `kubectl --kubeconfig ${kubeconfig}`;
      screen.log(`  ${k} get nodes,lbr`);
      screen.log(`  ${k} label node node-4 ${EXCLUDE_FROM_LB_LABEL}=true`);
      screen.log(`  ${k} delete node node-1`);
    } else {
      screen.log("  (no kubeconfig for kubectl: that needs --allow-write for the temp directory)");
    }
    let view = start;
    let sinceSeq = view.requests.at(-1)?.seq ?? 0;
    let changed = false;
    let movedAt = Date.now();
    for (;;) {
      await sleep(200, signal);
      const next = await read();
      for (const line of describeChanges(view, next)) {
        screen.log(`      ${new Date().toTimeString().slice(0, 8)} ${line}`);
      }
      // Resyncs only read; a table is worth printing when backends or statuses changed.
      if (!sameState(view, next)) changed = true;
      if (changed || next.requests.length !== view.requests.length) movedAt = Date.now();
      view = next;
      screen.live(
        renderTable(view, { width: width(), sinceSeq, sinceLabel: "since the last table" }),
      );
      if (changed && Date.now() - movedAt >= 800) {
        screen.commit();
        changed = false;
        sinceSeq = view.requests.at(-1)?.seq ?? 0;
      }
    }
  } finally {
    if (dir) await Deno.remove(dir, { recursive: true });
  }
}

/** A new temporary directory, or undefined when this process may not write one. */
async function writableTempDir(): Promise<string | undefined> {
  try {
    return await Deno.makeTempDir({ prefix: "lb-registrar-demo-" });
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return undefined;
    throw error;
  }
}
