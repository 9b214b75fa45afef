/** A small demo cluster: three nodes, the NodePort Service `default/web` and its EndpointSlice. */

import type { SimNodes, SimObjects } from "./control.ts";
import type { KubeObject } from "./resource_type.ts";

/** Names and ports of the demo cluster, for callers that print or check them. */
export const DEMO = {
  nodes: ["node-1", "node-2", "node-3"],
  namespace: "default",
  service: "web",
  ports: {
    http: { port: 80, nodePort: 30080, targetPort: 8080 },
    https: { port: 443, nodePort: 30443, targetPort: 8443 },
  },
} as const;

/** What seeding created. */
export interface DemoCluster {
  nodes: KubeObject[];
  service: KubeObject;
  endpointSlice: KubeObject;
}

/** Seeds the demo cluster through the control surface (watchers see ordinary ADDED events). */
export function seedDemoCluster(sim: SimObjects & SimNodes): DemoCluster {
  const nodes = DEMO.nodes.map((name, i) =>
    sim.addNode(name, { labels: { "topology.kubernetes.io/zone": `zone-${i + 1}` } })
  );
  const { http, https } = DEMO.ports;
  const service = sim.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: DEMO.service, namespace: DEMO.namespace, labels: { app: "web" } },
    spec: {
      type: "NodePort",
      selector: { app: "web" },
      ports: [
        {
          name: "http",
          protocol: "TCP",
          port: http.port,
          targetPort: http.targetPort,
          nodePort: http.nodePort,
        },
        {
          name: "https",
          protocol: "TCP",
          port: https.port,
          targetPort: https.targetPort,
          nodePort: https.nodePort,
        },
      ],
    },
  });
  const endpointSlice = sim.create({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: `${DEMO.service}-demo`,
      namespace: DEMO.namespace,
      labels: {
        "kubernetes.io/service-name": DEMO.service,
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      },
      ownerReferences: [{
        apiVersion: "v1",
        kind: "Service",
        name: DEMO.service,
        uid: service.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    addressType: "IPv4",
    endpoints: nodes.slice(0, 2).map((node, i) => ({
      addresses: [`10.244.${i + 1}.5`],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: node.metadata.name,
      targetRef: { kind: "Pod", namespace: DEMO.namespace, name: `web-${i + 1}` },
    })),
    ports: [
      { name: "http", protocol: "TCP", port: http.targetPort },
      { name: "https", protocol: "TCP", port: https.targetPort },
    ],
  });
  return { nodes, service, endpointSlice };
}
