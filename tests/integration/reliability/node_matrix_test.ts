/**
 * Bad-input matrix, Nodes: no addresses, IPv6 only under IPv4, duplicate IPs, unusable or garbled
 * addresses, garbled taints and conditions, a thousand addresses. A node without a usable address is
 * skipped (the others are registered), duplicates are registered once; when no node is left the row
 * ends NoEligibleNodes with no OCI write. Each row selects only its own nodes, and the control
 * LBRegistrar stays Ready throughout.
 */

import assert from "node:assert/strict";
import {
  expectProblem,
  expectReady,
  type MatrixRig,
  type Row,
  rowLb,
  runMatrix,
  startMatrixRig,
  WEB,
  WEB_NODE_PORT,
} from "./_rig.ts";

const SET = "s";
const ROW_LABEL = "matrix-row";

/** A Node object exactly as given (the simulator checks nothing of a Node), Ready unless told. */
function createNode(
  rig: MatrixRig,
  name: string,
  row: string,
  { addresses, conditions, taints }: {
    addresses?: unknown;
    conditions?: unknown;
    taints?: unknown;
  },
): void {
  rig.kube.sim.create({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { [ROW_LABEL]: row, "kubernetes.io/hostname": name } },
    spec: taints === undefined ? {} : { taints },
    status: {
      conditions: conditions ?? [{ type: "Ready", status: "True" }],
      addresses: addresses ?? [],
    },
  });
}

const internal = (address: string) => ({ type: "InternalIP", address });

interface Case {
  name: string;
  /** Nodes of the row: name suffix → what the Node holds. */
  nodes: Record<string, Parameters<typeof createNode>[3]>;
  /** Extra spec of the row's LBRegistrar. */
  spec?: Record<string, unknown>;
  /** Backends expected (ip:port[,drain]); absent when the row must end NoEligibleNodes. */
  backends?: string[];
  fragment?: string;
  /** A node that must be named by a warning (log, Warning event or status). */
  warnsAbout?: string;
}

const GOOD = { addresses: [internal("10.1.0.1")] };

const CASES: Case[] = [
  {
    name: "a node without addresses is skipped",
    nodes: { a: GOOD, b: { addresses: [] } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
  },
  {
    name: "a node without addresses is named by a warning",
    nodes: { a: GOOD, b: { addresses: [] } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
    warnsAbout: "b",
  },
  {
    name: "an IPv6-only node under ipFamily IPv4 is skipped",
    nodes: { a: GOOD, b: { addresses: [internal("fd00::b")] } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
  },
  {
    name: "an IPv6-only node under ipFamily IPv4 is named by a warning",
    nodes: { a: GOOD, b: { addresses: [internal("fd00::b")] } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
    warnsAbout: "b",
  },
  {
    name: "two nodes with one IP are registered once",
    nodes: { a: { addresses: [internal("10.1.0.5")] }, b: { addresses: [internal("10.1.0.5")] } },
    backends: [`10.1.0.5:${WEB_NODE_PORT}`],
  },
  {
    name: "a node with only unusable addresses is skipped",
    nodes: {
      a: GOOD,
      b: {
        addresses: [
          internal("127.0.0.1"),
          internal("169.254.1.1"),
          internal("not-an-ip"),
          internal("10.0.0.256"),
          internal(""),
          { type: "Hostname", address: "b" },
        ],
      },
    },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
  },
  {
    name: "a node whose addresses are not a list is skipped",
    nodes: { a: GOOD, b: { addresses: "10.1.0.9" }, c: { addresses: [null, 7, "x"] } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`],
  },
  {
    name: "a node whose taints are not a list reads as untainted",
    nodes: { a: { addresses: [internal("10.1.0.7")], taints: "NoSchedule" } },
    backends: [`10.1.0.7:${WEB_NODE_PORT}`],
  },
  {
    name: "a node whose conditions are garbled reads as NotReady and is drained",
    nodes: { a: GOOD, b: { addresses: [internal("10.1.0.2")], conditions: { Ready: true } } },
    backends: [`10.1.0.1:${WEB_NODE_PORT}`, `10.1.0.2:${WEB_NODE_PORT},drain`],
  },
  {
    name: "the first usable of a thousand addresses is used",
    nodes: {
      a: {
        addresses: [
          ...Array.from({ length: 999 }, (_, i) => internal(`junk-${i}`)),
          internal("10.1.3.3"),
        ],
      },
    },
    backends: [`10.1.3.3:${WEB_NODE_PORT}`],
  },
  {
    name: "an IPv6 address spelt in capitals with zeros registers in canonical form",
    spec: { ipFamily: "IPv6" },
    nodes: { a: { addresses: [internal("10.1.0.8"), internal("FD00:0:0:0:0:0:0:0A")] } },
    backends: [`fd00::a:${WEB_NODE_PORT}`],
  },
  {
    name: "no node of the row has an address",
    nodes: { a: { addresses: [] }, b: { addresses: [internal("fd00::c")] } },
    fragment: "without a usable address",
  },
  {
    name: "ipFamily IPv6 while the row's nodes are IPv4 only",
    spec: { ipFamily: "IPv6" },
    nodes: { a: GOOD },
    fragment: 'Cannot find an eligible node for backend set "s" (spec.services[0])',
  },
  {
    name: "addressType ExternalIP while the row's nodes have none",
    spec: { addressType: "ExternalIP" },
    nodes: { a: GOOD },
    fragment: "without a usable address",
  },
];

/** True when a warning-level log line, a Warning event or the status names `node`. */
async function warned(rig: MatrixRig, lbr: string, node: string): Promise<boolean> {
  const quoted = `"${node}"`;
  if (
    rig.logs.some((l) =>
      (l.level === "warn" || l.level === "warning") && JSON.stringify(l).includes(node)
    )
  ) return true;
  const events = await rig.kube.sim.list("v1", "Event", { namespace: "default" });
  if (
    events.some((e) =>
      e.type === "Warning" && (e.involvedObject as { name?: string })?.name === lbr &&
      String(e.message).includes(quoted)
    )
  ) return true;
  return JSON.stringify(rig.lbr(lbr)?.status ?? {}).includes(node);
}

const ROWS: Row[] = CASES.map((c, n) => {
  const lbr = `node-${String(n).padStart(2, "0")}`;
  const lbId = rowLb("node", n);
  return {
    name: c.backends
      ? `${c.name} (the others are registered)`
      : `${c.name}: NoEligibleNodes, nothing written`,
    lbr,
    ...(c.backends ? {} : { noWritesTo: [lbId] }),
    arrange(rig) {
      rig.addLoadBalancer(lbId, [SET]);
      for (const [suffix, node] of Object.entries(c.nodes)) {
        createNode(rig, `${lbr}-${suffix}`, lbr, node);
      }
      rig.createLbr(lbr, {
        loadBalancerId: lbId,
        backendSetName: SET,
        services: [WEB],
        nodeSelector: { matchLabels: { [ROW_LABEL]: lbr } },
        ...c.spec,
      });
    },
    async verify(rig) {
      if (!c.backends) {
        await expectProblem(rig, lbr, "NoEligibleNodes", c.fragment!, { stalled: false });
        assert.deepEqual(rig.backends(lbId, SET), []);
        return;
      }
      await expectReady(rig, lbr, lbId, SET, () => [...c.backends!].sort());
      assert.equal(rig.writes(lbId), 1);
      if (c.warnsAbout) {
        const node = `${lbr}-${c.warnsAbout}`;
        assert.ok(await warned(rig, lbr, node), `a warning names node "${node}"`);
      }
    },
  };
});

Deno.test("createEngine() skips, dedupes or refuses odd and broken Nodes, one row each", async (t) => {
  await using rig = await startMatrixRig();
  await runMatrix(t, rig, ROWS);
});
