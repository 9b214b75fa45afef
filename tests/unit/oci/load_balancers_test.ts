import assert from "node:assert/strict";
import { OciError } from "../../../src/oci/errors.ts";
import { loadBalancerKind } from "../../../src/oci/load_balancers.ts";

Deno.test("loadBalancerKind() tells classic load balancers and network load balancers apart by OCID", () => {
  assert.equal(loadBalancerKind("ocid1.loadbalancer.oc1.iad.aaaa"), "load-balancer");
  assert.equal(loadBalancerKind("ocid1.networkloadbalancer.oc1.iad.aaaa"), "network-load-balancer");
});

for (
  const ocid of [
    "",
    "ocid1.instance.oc1.iad.aaaa",
    "ocid1.loadbalancerx",
    "x.ocid1.networkloadbalancer.",
  ]
) {
  Deno.test(`loadBalancerKind() refuses "${ocid}" as invalid`, () => {
    assert.throws(
      () => loadBalancerKind(ocid),
      (error: unknown) =>
        error instanceof OciError && error.kind === "invalid" &&
        error.message.startsWith(`Cannot use load balancer "${ocid}": the OCID must start with`),
    );
  });
}
