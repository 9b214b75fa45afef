import assert from "node:assert/strict";
import { bindingsByBackendSet } from "../../../src/plan/backend_set_groups.ts";
import { binding, LB_ID } from "../../support/plan_fixtures.ts";

Deno.test("bindingsByBackendSet() groups bindings by load balancer and backend set, in input order", () => {
  const a = binding({ lbr: "a" });
  const b = binding({ lbr: "b", backendSetName: "api" });
  const c = binding({ lbr: "c" });
  const d = binding({ lbr: "d", loadBalancerId: "ocid1.networkloadbalancer.oc1.phx.x" });
  const groups = bindingsByBackendSet([a, b, c, d]);
  assert.deepEqual([...groups.keys()], [
    `${LB_ID}/web`,
    `${LB_ID}/api`,
    "ocid1.networkloadbalancer.oc1.phx.x/web",
  ]);
  assert.deepEqual(groups.get(`${LB_ID}/web`), [a, c]);
});
