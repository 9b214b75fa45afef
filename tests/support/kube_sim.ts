/** Test helpers around the Kubernetes API simulator: start one, write its kubeconfig, build a client config. */

import "../../src/kube/_quiet_deprecations.ts";
import * as k8s from "@kubernetes/client-node";
import YAML from "yaml";
import { type KubeSim, type KubeSimOptions, startKubeSim } from "../../src/sim/kube/kube_sim.ts";
import type { KubeObject } from "../../src/sim/kube/resource_type.ts";

/** A running simulator with a client config and a kubeconfig file; dispose to stop both. */
export interface TestKubeSim extends AsyncDisposable {
  sim: KubeSim;
  kc: k8s.KubeConfig;
  /** Path of the written kubeconfig (inside `dir`). */
  kubeconfigPath: string;
  /** A temporary directory removed on dispose. */
  dir: string;
}

/** Starts a simulator, writes its kubeconfig to a temp dir and loads it into a KubeConfig. */
export async function startTestKubeSim(options: KubeSimOptions = {}): Promise<TestKubeSim> {
  const sim = await startKubeSim(options);
  const dir = await Deno.makeTempDir({ prefix: "kube-sim-" });
  const kubeconfigPath = `${dir}/kubeconfig`;
  await sim.writeKubeconfig(kubeconfigPath);
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return {
    sim,
    kc,
    kubeconfigPath,
    dir,
    async [Symbol.asyncDispose]() {
      await sim.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** The repository's LBRegistrar CRD (crds/), or undefined when the file is not there. */
export async function repoCrd(): Promise<KubeObject | undefined> {
  const path = new URL("../../crds/lbregistrars.nodes.peppy-ratio.dev.yaml", import.meta.url);
  try {
    return YAML.parse(await Deno.readTextFile(path)) as KubeObject;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Waits until `check` returns true, polling every 10 ms, failing after `timeoutMs`. */
export async function eventually(
  check: () => boolean,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A raw request to a plain-HTTP simulator; `token: null` sends no Authorization header. */
export async function apiFetch(
  sim: KubeSim,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; accept?: string; token?: string | null } = {},
): Promise<
  { status: number; headers: Headers; text: string; json: () => Record<string, unknown> }
> {
  const headers = new Headers();
  const token = options.token === undefined ? sim.token : options.token;
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  if (options.accept) headers.set("Accept", options.accept);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers.set("Content-Type", options.contentType ?? "application/json");
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}
