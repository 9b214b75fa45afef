/** Node objects with the defaults a kubelet would report, for tests and the demo cluster. */

import { formatTime } from "./kube_time.ts";
import type { KubeObject } from "./resource_type.ts";

/** What a test may choose about a node; everything has a default. */
export interface NodeOptions {
  /** InternalIP; defaults to 10.0.x.y from the node's sequence number. */
  ip?: string;
  externalIp?: string;
  /** Ready condition; default true. */
  ready?: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  providerID?: string;
  kubeletVersion?: string;
}

/** The n-th default InternalIP (0 → 10.0.0.5, 250 → 10.0.1.5), unique for the first 64,000 nodes. */
export function defaultNodeIp(sequence: number): string {
  return `10.0.${Math.floor(sequence / 250)}.${(sequence % 250) + 5}`;
}

/** The Ready condition as a kubelet writes it. */
export function readyCondition(ready: boolean, at: string): Record<string, unknown> {
  return {
    type: "Ready",
    status: ready ? "True" : "False",
    lastHeartbeatTime: at,
    lastTransitionTime: at,
    reason: ready ? "KubeletReady" : "KubeletNotReady",
    message: ready ? "kubelet is posting ready status" : "container runtime network not ready",
  };
}

/** A Node named `name` (status included; node creates keep status). */
export function nodeObject(
  name: string,
  options: NodeOptions,
  sequence: number,
  now: number,
): KubeObject {
  const at = formatTime(now);
  const addresses = [{ type: "InternalIP", address: options.ip ?? defaultNodeIp(sequence) }];
  if (options.externalIp) addresses.push({ type: "ExternalIP", address: options.externalIp });
  addresses.push({ type: "Hostname", address: name });
  const spec: Record<string, unknown> = {};
  if (options.providerID) spec.providerID = options.providerID;
  if (options.unschedulable) spec.unschedulable = true;
  if (options.taints && options.taints.length > 0) spec.taints = options.taints;
  const metadata: KubeObject["metadata"] = {
    name,
    labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", ...options.labels },
  };
  if (options.annotations) metadata.annotations = options.annotations;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata,
    spec,
    status: {
      capacity: { cpu: "4", memory: "8Gi", pods: "110" },
      allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
      conditions: [readyCondition(options.ready ?? true, at)],
      addresses,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: "6.1.0-sim",
        osImage: "Kube Simulator",
        containerRuntimeVersion: "containerd://1.7.0",
        kubeletVersion: options.kubeletVersion ?? "v1.32.4",
        kubeProxyVersion: "",
        operatingSystem: "linux",
        architecture: "amd64",
      },
    },
  };
}
