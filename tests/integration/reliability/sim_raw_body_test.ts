/**
 * The OCI simulator's raw-body fault, which the OCI-response matrix relies on: `inject({ body })`
 * answers the next matching calls with exactly that text, then the simulator answers normally.
 */

import assert from "node:assert/strict";
import { startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import { DEMO_LB_ID, seedDemo } from "../../../src/sim/oci/seed.ts";
import { generateOciTestKey, ociClients } from "../../support/oci_keys.ts";

Deno.test("inject({ body }) answers the matching calls with the raw text, count times", async () => {
  const sim = startOciSim({ workRequestDelayMs: 10 });
  try {
    seedDemo(sim);
    const key = generateOciTestKey();
    sim.registerKey(key.keyId, key.publicPem);
    const { lbClient } = ociClients(sim.url, key);
    const ref = { loadBalancerId: DEMO_LB_ID, backendSetName: "web-http" };
    sim.inject({
      op: "getBackendSet",
      lbId: DEMO_LB_ID,
      status: 200,
      body: '{"name":"web-http","policy":"QUANTUM_ROBIN","backends":[{"port":"x"}]}',
    });
    sim.inject({ op: "getBackendSet", lbId: DEMO_LB_ID, status: 200, body: "not json" });

    const odd = await lbClient.getBackendSet(ref);
    assert.equal(odd.backendSet.policy, "QUANTUM_ROBIN");
    assert.deepEqual(odd.backendSet.backends, [{ port: "x" }]);
    await assert.rejects(() => lbClient.getBackendSet(ref), SyntaxError);
    const real = await lbClient.getBackendSet(ref);
    assert.equal(real.backendSet.policy, "ROUND_ROBIN");

    const faults = sim.requests().map((r) => [r.status, r.fault ?? "none"]);
    assert.deepEqual(faults, [[200, "status"], [200, "status"], [200, "none"]]);
  } finally {
    await sim.stop();
  }
});
