/**
 * The demo's story: what happens to the simulated cluster, step by step, and for each step the
 * state of the backend sets that shows the operator has done its part.
 */

import { EXCLUDE_FROM_LB_LABEL } from "../../api/constants.ts";
import type { LBRegistrar } from "../../api/types.ts";
import type { KubeSim } from "../../sim/kube/kube_sim.ts";
import { createRegistrars, DEMO } from "../../sim/run_sims.ts";
import type { BackendRow, DemoView } from "./view.ts";

/** One step: the narration, the change to the cluster, and what settles it. */
export interface StoryStep {
  readonly title: string;
  act(kube: KubeSim): void;
  /** Said while waiting, and in the error when the step does not settle. */
  readonly awaiting: string;
  done(view: DemoView): boolean;
}

/** Backend sets of the story, by name. */
const HTTP = "web-http";
const HTTPS = "web-https";
const TCP = "web-tcp";

/** The http NodePort the Service is moved to. */
export const NEW_HTTP_NODE_PORT = DEMO.ports.http.nodePort + 1;

/** The steps, for the two sample LBRegistrars (`web` on the classic LB, `web-tcp` on the NLB). */
export function demoStory(
  registrars: readonly LBRegistrar[],
  { drainSeconds }: { drainSeconds: number },
): StoryStep[] {
  const [first, second, third] = DEMO.nodes;
  return [
    {
      title: `LBRegistrars ${registrars.map((r) => r.metadata.name).join(" and ")} are created: ` +
        `${HTTP} and ${HTTPS} get every node, ${TCP} only nodes running a ready pod of ` +
        `${DEMO.namespace}/${DEMO.service} (filterByEndpoints)`,
      act: (kube) => createRegistrars(kube, registrars),
      awaiting: `${DEMO.nodes.join(", ")} in ${HTTP} and ${HTTPS}; ${first}, ${second} in ${TCP}`,
      done: (view) =>
        nodesOf(view, HTTP).join() === DEMO.nodes.join() &&
        nodesOf(view, HTTPS).join() === DEMO.nodes.join() &&
        nodesOf(view, TCP).join() === [first, second].join(),
    },
    {
      title: `node-4 and node-5 join the cluster: added to ${HTTP} and ${HTTPS} in one write ` +
        `each (no pod of web runs there, so ${TCP} stays as it is)`,
      act: (kube) => {
        kube.addNode("node-4", { labels: { "topology.kubernetes.io/zone": "zone-1" } });
        kube.addNode("node-5", { labels: { "topology.kubernetes.io/zone": "zone-2" } });
      },
      awaiting: `node-4 and node-5 in ${HTTP} and ${HTTPS}`,
      done: (view) =>
        [HTTP, HTTPS].every((set) =>
          ["node-4", "node-5"].every((node) => rowOf(view, set, node)?.drain === false)
        ),
    },
    {
      title: `${second} goes NotReady: drained (kept, no new connections), not removed`,
      act: (kube) => void kube.setNodeReady(second, false),
      awaiting: `${second} draining in ${HTTP}, ${HTTPS} and ${TCP}`,
      done: (view) => [HTTP, HTTPS, TCP].every((set) => rowOf(view, set, second)?.drain === true),
    },
    {
      title: `${third} is labelled ${EXCLUDE_FROM_LB_LABEL}=true: drained, then removed ` +
        `after drainSeconds (${drainSeconds}s)`,
      act: (kube) =>
        void kube.patch(
          { apiVersion: "v1", kind: "Node", name: third },
          { metadata: { labels: { [EXCLUDE_FROM_LB_LABEL]: "true" } } },
        ),
      awaiting: `${third} drained, then gone from ${HTTP} and ${HTTPS}`,
      done: (view) => [HTTP, HTTPS].every((set) => rowOf(view, set, third) === undefined),
    },
    {
      title: `Service ${DEMO.namespace}/${DEMO.service} moves its http NodePort ` +
        `${DEMO.ports.http.nodePort} -> ${NEW_HTTP_NODE_PORT}: new port added and old one ` +
        `removed in the same write`,
      act: (kube) => moveHttpNodePort(kube, NEW_HTTP_NODE_PORT),
      awaiting: `every backend of ${HTTP} and ${TCP} on port ${NEW_HTTP_NODE_PORT}`,
      done: (view) =>
        [HTTP, TCP].every((set) => {
          const rows = rowsOf(view, set);
          return rows.length > 0 &&
            rows.every((row) => row.ipPort.endsWith(`:${NEW_HTTP_NODE_PORT}`));
        }),
    },
    {
      title: "node-5 is deleted: its backends go at once, without draining",
      act: (kube) => kube.removeNode("node-5"),
      awaiting: `node-5 gone from ${HTTP} and ${HTTPS}`,
      done: (view) => [HTTP, HTTPS].every((set) => rowOf(view, set, "node-5") === undefined),
    },
    {
      title: `${second} is Ready again: undrained with one write per backend set`,
      act: (kube) => void kube.setNodeReady(second, true),
      awaiting: `${second} serving (not draining) in ${HTTP}, ${HTTPS} and ${TCP}`,
      done: (view) => [HTTP, HTTPS, TCP].every((set) => rowOf(view, set, second)?.drain === false),
    },
  ];
}

function rowsOf(view: DemoView, set: string): readonly BackendRow[] {
  return view.sets.find((s) => s.name === set)?.rows ?? [];
}

function rowOf(view: DemoView, set: string, node: string): BackendRow | undefined {
  return rowsOf(view, set).find((row) => row.node === node);
}

function nodesOf(view: DemoView, set: string): string[] {
  return rowsOf(view, set).filter((row) => !row.drain).map((row) => row.node).sort();
}

function moveHttpNodePort(kube: KubeSim, nodePort: number): void {
  const ref = { apiVersion: "v1", kind: "Service", namespace: DEMO.namespace, name: DEMO.service };
  const service = kube.get(ref);
  if (!service) throw new Error(`Cannot find Service "${DEMO.namespace}/${DEMO.service}"`);
  const spec = service.spec as { ports: { name?: string; nodePort?: number }[] };
  spec.ports = spec.ports.map((port) => port.name === "http" ? { ...port, nodePort } : port);
  kube.update(service);
}
