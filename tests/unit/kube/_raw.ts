/** Builders of raw API objects (plain JSON as the server sends it) for the kube adapter's tests. */

export interface RawNodeOptions {
  ready?: "True" | "False" | "Unknown" | null;
  labels?: Record<string, string>;
  taints?: string[];
  addresses?: { type: string; address: string }[];
  resourceVersion?: string;
  heartbeat?: string;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}

/** A Node as a real API server returns it, with the fields a projection ignores filled in too. */
export function rawNode(name: string, options: RawNodeOptions = {}) {
  const {
    ready = "True",
    labels = { "kubernetes.io/hostname": name },
    taints = [],
    addresses = [{ type: "InternalIP", address: "10.0.0.5" }, { type: "Hostname", address: name }],
    resourceVersion = "100",
    heartbeat = "2026-11-23T19:34:14Z",
    annotations,
    deletionTimestamp,
  } = options;
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion,
      creationTimestamp: "2026-11-23T19:00:00Z",
      labels,
      ...(annotations ? { annotations } : {}),
      ...(deletionTimestamp ? { deletionTimestamp } : {}),
    },
    spec: { taints: taints.map((key) => ({ key, effect: "NoSchedule" })) },
    status: {
      capacity: { cpu: "4" },
      conditions: ready === null ? [] : [
        { type: "MemoryPressure", status: "False", lastHeartbeatTime: heartbeat },
        { type: "Ready", status: ready, lastHeartbeatTime: heartbeat, reason: "KubeletReady" },
      ],
      addresses,
      nodeInfo: { kubeletVersion: "v1.32.0" },
    },
  };
}
