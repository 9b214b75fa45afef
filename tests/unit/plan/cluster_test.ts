import assert from "node:assert/strict";
import { cluster, endpoint, node, slice } from "../../support/plan_fixtures.ts";

Deno.test("indexCluster() finds the node of an IP of any address type, in canonical form", () => {
  const c = cluster({
    nodes: [
      node("n1", {
        addresses: [{ type: "ExternalIP", address: "203.0.113.1" }, {
          type: "InternalIP",
          address: "FD00::0:1",
        }],
      }),
    ],
  });
  assert.equal(c.nodeWithIp("203.0.113.1"), "n1");
  assert.equal(c.nodeWithIp("fd00::1"), "n1");
  assert.equal(c.nodeWithIp("10.9.9.9"), undefined);
});

Deno.test("indexCluster() gives an IP shared by two nodes to the smaller name", () => {
  const c = cluster({ nodes: [node("n7", { ip: "10.0.0.1" }), node("n3", { ip: "10.0.0.1" })] });
  assert.equal(c.nodeWithIp("10.0.0.1"), "n3");
});

Deno.test("indexCluster() classifies addresses that are not IPs as unusable", () => {
  const c = cluster({ nodes: [node("n1")] });
  assert.deepEqual(c.addressesOf("n1")[1], {
    type: "Hostname",
    address: "n1",
    unusable: "is not an IP",
  });
  assert.deepEqual(c.addressesOf("ghost"), []);
});

Deno.test("indexCluster() merges the endpoint states of every slice of a Service", () => {
  const c = cluster({
    nodes: [node("n1"), node("n2")],
    slices: [
      slice("shop/web", [endpoint("n1", { ready: false, terminating: true })]),
      slice("shop/web", [endpoint("n1"), endpoint("n2", { ready: false, terminating: true })], {
        name: "web-2",
      }),
    ],
  });
  assert.deepEqual([...c.endpointStates("shop", "web")], [["n1", "ready"], ["n2", "terminating"]]);
  assert.equal(c.endpointStates("shop", "web"), c.endpointStates("shop", "web"), "computed once");
  assert.equal(c.endpointStates("shop", "none").size, 0);
});
