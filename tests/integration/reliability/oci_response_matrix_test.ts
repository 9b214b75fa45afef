/**
 * Bad-input matrix, OCI responses: malformed JSON, bodies of the wrong type, missing fields, unusable
 * backends, error pages, unknown enum values, answers without a work request id, and huge backend
 * lists (600 and 1,024 backends, a 20,000-backend answer, 600 nodes). A read the operator cannot
 * use ends OciError with no write; odd but usable answers are used; every row has its own load
 * balancer, so faults injected for one never reach another, and the control stays Ready.
 */

import assert from "node:assert/strict";
import {
  CLASSIC_SET,
  DEMO_NODE_SELECTOR,
  DEMO_NODES,
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
/** Keeps a fault in place for the whole test: retries back off from a second, so few are used. */
const ALWAYS = 1000;

/** The body of a classic backend set answer, with `backends` and any attribute overridden. */
function setBody(backends: unknown[], change: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...CLASSIC_SET, name: SET, backends, ...change });
}

/** `count` foreign backends 192.168.x.y:8080 in the wire shape. */
function foreign(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    ipAddress: `192.168.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    port: 8080,
    weight: 1,
    backup: false,
    drain: false,
    offline: false,
  }));
}

interface Case {
  name: string;
  kind?: "lb" | "nlb";
  /** Sets faults or contents up for the row's load balancer. */
  arrange: (rig: MatrixRig, lbId: string) => void;
  /** OciError fragment of a row whose answer cannot be used; absent for a usable one. */
  fragment?: string;
  /** For a usable answer: the nodes registered, and how many PUTs it takes. */
  nodes?: () => string[];
  writes?: number;
}

const CASES: Case[] = [
  {
    name: "a backend set answer that is not JSON",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: "this is not json",
        count: ALWAYS,
      }),
    fragment: "OCI answered with a body that is not JSON",
  },
  {
    name: "an NLB backend set answer that is not JSON",
    kind: "nlb",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "getBackendSet", lbId, status: 200, body: "<html>", count: ALWAYS }),
    fragment: "OCI answered with a body that is not JSON",
  },
  {
    name: "a backend set answer cut short",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody(foreign(3)).slice(0, 80),
        count: ALWAYS,
      }),
    fragment: "OCI answered with a body that is not JSON",
  },
  {
    name: "a backend set answer that is null",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "getBackendSet", lbId, status: 200, body: "null", count: ALWAYS }),
    fragment: "has no policy",
  },
  {
    name: "a backend set answer that is a list",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "getBackendSet", lbId, status: 200, body: "[1,2,3]", count: ALWAYS }),
    fragment: "has no policy",
  },
  {
    name: "a backend set answer without policy or health checker",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: JSON.stringify({ name: SET, backends: [] }),
        count: ALWAYS,
      }),
    fragment: "the backend set as read has no policy",
  },
  {
    name: "a backend set answer whose health checker has no protocol",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody([], { healthChecker: { port: 10256 } }),
        count: ALWAYS,
      }),
    fragment: "the backend set as read has no health checker protocol",
  },
  {
    name: "backends without an IP address or port",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody([{ port: 8080 }, { ipAddress: "192.168.0.9" }, null, "10.0.0.1:80"]),
        count: ALWAYS,
      }),
    fragment: "it holds 4 backends the operator cannot read",
  },
  {
    name: "a backend whose port is a string",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody([{ ipAddress: "192.168.0.9", port: "8080" }]),
        count: ALWAYS,
      }),
    fragment: "has no valid port",
  },
  {
    name: "a 502 with an HTML error page",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 502,
        body: "<html><body>502 Bad Gateway</body></html>",
        count: ALWAYS,
      }),
    fragment: "502",
  },
  {
    name: "a 500 with an empty body",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "getBackendSet", lbId, status: 500, body: "", count: ALWAYS }),
    fragment: "500",
  },
  {
    name: "unknown enum values in a backend set already in sync",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody(
          DEMO_NODES.map((node) => ({
            ipAddress: rig.nodeIp(node),
            port: WEB_NODE_PORT,
            weight: 1,
            drain: false,
            backup: false,
            offline: false,
            healthStatus: "SOMEWHAT_OK",
          })),
          {
            policy: "QUANTUM_ROBIN",
            healthChecker: { protocol: "QUIC", port: 10256 },
            sslConfiguration: { serverOrderPreference: "SOMETIMES" },
          },
        ),
        count: ALWAYS,
      }),
    nodes: () => [],
    writes: 0,
  },
  {
    name: "a work request in an unknown state",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getWorkRequest",
        lbId,
        status: 200,
        body: JSON.stringify({ id: "x", lifecycleState: "PAUSED_BY_OCI", errorDetails: "none" }),
        count: 2,
      }),
    nodes: () => [...DEMO_NODES],
    writes: 1,
  },
  {
    name: "a work request answer without fields",
    kind: "nlb",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "getWorkRequest", lbId, status: 200, body: "{}", count: 2 }),
    nodes: () => [...DEMO_NODES],
    writes: 1,
  },
  {
    name: "an update answered without a work request id",
    arrange: (rig, lbId) =>
      rig.oci.inject({ op: "updateBackendSet", lbId, status: 200, body: "{}", count: 1 }),
    nodes: () => [...DEMO_NODES],
    writes: 2,
  },
  {
    name: "600 foreign backends are replaced in one write",
    arrange: (rig, lbId) => rig.oci.setBackends(lbId, SET, foreign(600)),
    nodes: () => [...DEMO_NODES],
    writes: 1,
  },
  {
    name: "1,024 foreign backends on an NLB are replaced in one write",
    kind: "nlb",
    arrange: (rig, lbId) =>
      rig.oci.setBackends(
        lbId,
        SET,
        foreign(1024).map(({ ipAddress, port }) => ({ ipAddress, port, weight: 1 })),
      ),
    nodes: () => [...DEMO_NODES],
    writes: 1,
  },
  {
    name: "an answer of 20,000 backends is read and replaced in one write",
    arrange: (rig, lbId) =>
      rig.oci.inject({
        op: "getBackendSet",
        lbId,
        status: 200,
        body: setBody(foreign(20_000)),
        count: 1,
      }),
    nodes: () => [...DEMO_NODES],
    writes: 1,
  },
];

/** Nodes of the 600-node row, created before its LBRegistrar. */
const BULK = Array.from({ length: 600 }, (_, i) => `bulk-${i}`);

const ROWS: Row[] = CASES.map((c, n) => {
  const lbr = `oci-${String(n).padStart(2, "0")}`;
  const lbId = rowLb("oci", n, c.kind);
  return {
    name: c.fragment
      ? `${c.name}: OciError, nothing written`
      : `an odd but usable answer is used: ${c.name}`,
    lbr,
    ...(c.fragment || c.writes === 0 ? { noWritesTo: [lbId] } : {}),
    arrange(rig) {
      rig.addLoadBalancer(lbId, [SET]);
      c.arrange(rig, lbId);
      rig.createLbr(lbr, {
        loadBalancerId: lbId,
        backendSetName: SET,
        services: [WEB],
        nodeSelector: DEMO_NODE_SELECTOR,
      });
    },
    async verify(rig) {
      if (c.fragment) {
        const ready = await expectProblem(rig, lbr, "OciError", c.fragment, { stalled: false });
        assert.equal(rig.condition(lbr, "Reconciling")?.status, "True");
        assert.ok(ready.message.includes(`backend set "${SET}"`), ready.message);
        return;
      }
      const nodes = c.nodes!();
      if (nodes.length === 0) {
        // In sync as read: Ready without a write, the odd values left to OCI.
        await expectReady(rig, lbr, lbId, SET, () => []);
      } else {
        await expectReady(rig, lbr, lbId, SET, () => rig.expectedBackends(nodes));
      }
      assert.equal(rig.writes(lbId), c.writes);
    },
  };
});

ROWS.push({
  name: "an odd but usable answer is used: 600 nodes are written as 600 backends",
  lbr: "oci-bulk",
  arrange(rig) {
    const lbId = rowLb("oci", 99);
    rig.addLoadBalancer(lbId, [SET]);
    for (const name of BULK) rig.kube.sim.addNode(name, { labels: { bulk: "yes" } });
    rig.createLbr("oci-bulk", {
      loadBalancerId: lbId,
      backendSetName: SET,
      services: [WEB],
      nodeSelector: { matchLabels: { bulk: "yes" } },
    });
  },
  async verify(rig) {
    const lbId = rowLb("oci", 99);
    await expectReady(rig, "oci-bulk", lbId, SET, () => rig.expectedBackends(BULK));
    // Node events arrive in a burst; the debounce folds them into very few writes.
    assert.ok(rig.writes(lbId) <= 3, `${rig.writes(lbId)} writes`);
    const status = rig.lbr("oci-bulk")?.status as { backendCount?: number };
    assert.equal(status.backendCount, 600);
  },
});

Deno.test("createEngine() copes with malformed, odd and huge OCI answers, one row each", async (t) => {
  await using rig = await startMatrixRig();
  await runMatrix(t, rig, ROWS);
});
