import { apiFetch, startTestKubeSim } from "../../support/kube_sim.ts";
import assert from "node:assert/strict";

const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const AGGREGATED_V2BETA1 =
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

Deno.test("startKubeSim() answers /version with a minor the kubectl dispatcher maps to kubectl 1.32", async () => {
  await using t = await startTestKubeSim();
  const version = (await apiFetch(t.sim, "GET", "/version?timeout=5s")).json();
  assert.equal(version.major, "1");
  assert.equal(version.minor, "32");
});

Deno.test("startKubeSim() answers aggregated discovery in the version asked for, with the matching Content-Type", async () => {
  await using t = await startTestKubeSim();
  for (
    const [accept, version] of [[AGGREGATED_V2, "v2"], [
      `${AGGREGATED_V2BETA1},application/json`,
      "v2beta1",
    ]]
  ) {
    const response = await apiFetch(t.sim, "GET", "/apis", { accept });
    assert.equal(
      response.headers.get("Content-Type"),
      `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
    );
    const body = response.json();
    assert.equal(body.apiVersion, `apidiscovery.k8s.io/${version}`);
    const group = (body.items as {
      metadata: { name: string };
      versions: { resources: Record<string, unknown>[] }[];
    }[])
      .find((g) => g.metadata.name === "nodes.peppy-ratio.dev")!;
    const [lbr] = group.versions[0]!.resources;
    assert.deepEqual(lbr!.shortNames, ["lbr"]);
    assert.equal(lbr!.scope, "Cluster");
    assert.deepEqual((lbr!.subresources as { subresource: string }[]).map((s) => s.subresource), [
      "status",
    ]);
  }
  const core = (await apiFetch(t.sim, "GET", "/api", { accept: AGGREGATED_V2 })).json();
  const nodes =
    (core.items as { versions: { resources: { resource: string; responseKind: unknown }[] }[] }[])[
      0
    ]!
      .versions[0]!.resources.find((r) => r.resource === "nodes");
  assert.deepEqual(nodes!.responseKind, { group: "", version: "", kind: "Node" });
});

Deno.test("startKubeSim() answers legacy discovery documents to plain JSON requests", async () => {
  await using t = await startTestKubeSim();
  const api = (await apiFetch(t.sim, "GET", "/api", { accept: "application/json" })).json();
  assert.equal(api.kind, "APIVersions");
  const apis = (await apiFetch(t.sim, "GET", "/apis")).json();
  assert.equal(apis.kind, "APIGroupList");
  const list = (await apiFetch(t.sim, "GET", "/apis/nodes.peppy-ratio.dev/v1alpha1")).json();
  const names = (list.resources as { name: string }[]).map((r) => r.name);
  assert.deepEqual(names, ["lbregistrars", "lbregistrars/status"]);
  const unknown = await apiFetch(t.sim, "GET", "/apis/nope.dev/v1/things");
  assert.equal(unknown.status, 404);
  assert.equal(unknown.text, "404 page not found\n");
  const coreUnknown = await apiFetch(t.sim, "GET", "/api/v1/things");
  assert.equal(coreUnknown.json().message, "the server could not find the requested resource");
});

Deno.test("startKubeSim() serves the OpenAPI v3 index and group-version documents kubectl apply needs", async () => {
  await using t = await startTestKubeSim();
  const index = await apiFetch(t.sim, "GET", "/openapi/v3");
  const paths = index.json().paths as Record<string, { serverRelativeURL: string }>;
  assert.ok(paths["api/v1"]);
  const url = paths["apis/nodes.peppy-ratio.dev/v1alpha1"]!.serverRelativeURL;
  const doc = (await apiFetch(t.sim, "GET", url)).json();
  const item = (doc.paths as Record<
    string,
    Record<string, { parameters: { name: string }[] } & Record<string, unknown>>
  >)[
    "/apis/nodes.peppy-ratio.dev/v1alpha1/lbregistrars/{name}"
  ]!;
  assert.deepEqual(item.patch!["x-kubernetes-group-version-kind"], {
    group: "nodes.peppy-ratio.dev",
    version: "v1alpha1",
    kind: "LBRegistrar",
  });
  assert.ok(item.patch!.parameters.some((p) => p.name === "fieldValidation"));
  const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
  assert.ok(schemas["dev.peppy-ratio.nodes.v1alpha1.LBRegistrar"]);
});
