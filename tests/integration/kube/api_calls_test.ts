import assert from "node:assert/strict";
import { KUBE_API_CALLS, requestAttributes } from "../../../src/kube/api_calls.ts";
import { eventually } from "../../support/kube_sim.ts";
import { clusterOnSim, lbrManifest } from "./_cluster.ts";

// Leader election (src/serve/leader_election.ts) is not driven by the Cluster adapter; its Lease
// calls are checked where it is tested.
const OUTSIDE_THE_ADAPTER = new Set(["coordination.k8s.io/leases"]);

Deno.test("KUBE_API_CALLS holds exactly the calls the Kubernetes adapter makes, as the simulator saw them", async () => {
  await using c = await clusterOnSim({}, { secretNamespaces: ["default"] });
  c.t.sim.addNode("node-1");
  c.t.sim.create({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "oci", namespace: "default" },
    data: { key: btoa("pem") },
  });
  c.t.sim.create(lbrManifest("web"));
  await c.startAndSync();
  await eventually(() => c.cluster.view().lbRegistrars.has("web"), "LBRegistrar in view");

  await c.cluster.readSecretKey({ namespace: "default", name: "oci", key: "key" });
  await c.cluster.patchStatus("web", { phase: "PENDING" });
  await c.cluster.setFinalizer("web", true);
  // Not in the reflector's store: the writer reads the object first (a 404 here).
  await c.cluster.setFinalizer("not-cached", false);
  const lbr = c.cluster.view().lbRegistrars.get("web")!;
  const event = { type: "Normal" as const, reason: "Registered", message: "10.0.0.1:30080" };
  await c.cluster.recordEvent(lbr, event);
  await c.cluster.recordEvent(lbr, event); // aggregated: a patch of the first one

  const seen = new Set<string>();
  for (const request of c.t.sim.requests) {
    const attributes = requestAttributes(
      request.method,
      `${request.path}?${request.query}`,
      { watch: request.watch },
    );
    assert.ok(attributes, `${request.method} ${request.path} is not a resource request`);
    const { group, resource, subresource, verb } = attributes;
    seen.add(`${group}/${resource}${subresource ? `/${subresource}` : ""} ${verb}`);
  }
  const declared = new Set(
    KUBE_API_CALLS
      .filter((call) => !OUTSIDE_THE_ADAPTER.has(`${call.group}/${call.resource}`))
      .flatMap((call) =>
        call.verbs.map((verb) =>
          `${call.group}/${call.resource}${call.subresource ? `/${call.subresource}` : ""} ${verb}`
        )
      ),
  );
  assert.deepEqual([...seen].sort(), [...declared].sort());
});
