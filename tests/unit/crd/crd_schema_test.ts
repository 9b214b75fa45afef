import assert from "node:assert/strict";
import * as cel from "@marcbachmann/cel-js";
import { Ajv } from "ajv";
import {
  MAX_DRAIN_SECONDS,
  MAX_SERVICES,
  MAX_WEIGHT,
  MIN_WEIGHT,
} from "../../../src/api/constants.ts";
import {
  ENUM_RULES,
  PORT_NAME_PATTERN,
  SIZE_LIMITS,
  STRING_RULES,
} from "../../../src/api/spec_rules.ts";
import {
  escapeCelName,
  loadCrdSchema,
  schemaAt,
  type SchemaNode,
  schemaNodes,
  toCelValue,
  toJsonSchema,
  unboundedUnderCel,
} from "../../support/crd_schema.ts";
import { badSamples, goodSamples, goodSpec, lbr } from "./_samples.ts";

const crd = await loadCrdSchema();
const schema = crd.schema;
const nodes = [...schemaNodes(schema)];
const good = await goodSamples();

/** The node at `path`, failing the test when it is missing. */
function at(path: string): SchemaNode {
  const node = schemaAt(schema, path);
  assert.ok(node, `no schema node at ${path}`);
  return node;
}

Deno.test("CRD names the LBRegistrar kind, cluster-scoped, with short name lbr", () => {
  assert.equal(crd.crd.apiVersion, "apiextensions.k8s.io/v1");
  assert.equal(crd.crd.kind, "CustomResourceDefinition");
  const spec = crd.crd.spec as Record<string, unknown>;
  assert.equal((crd.crd.metadata as { name: string }).name, "lbregistrars.nodes.peppy-ratio.dev");
  assert.equal(spec.group, "nodes.peppy-ratio.dev");
  assert.equal(spec.scope, "Cluster");
  assert.deepEqual(spec.names, {
    kind: "LBRegistrar",
    listKind: "LBRegistrarList",
    plural: "lbregistrars",
    singular: "lbregistrar",
    shortNames: ["lbr"],
    categories: ["oci"],
  });
});

Deno.test("CRD serves and stores only v1alpha1, with a status subresource", () => {
  const versions = (crd.crd.spec as { versions: Record<string, unknown>[] }).versions;
  assert.equal(versions.length, 1);
  const [v] = versions;
  assert.equal(v?.name, "v1alpha1");
  assert.equal(v?.served, true);
  assert.equal(v?.storage, true);
  assert.deepEqual(v?.subresources, { status: {} });
});

Deno.test("CRD printer columns are LoadBalancer, Phase, Backends, Ready, Age on schema fields", () => {
  const [v] =
    (crd.crd.spec as { versions: { additionalPrinterColumns: Record<string, string>[] }[] })
      .versions;
  const columns = v?.additionalPrinterColumns ?? [];
  assert.deepEqual(columns.map((c) => [c.name, c.type]), [
    ["LoadBalancer", "string"],
    ["Phase", "string"],
    ["Backends", "integer"],
    ["Ready", "string"],
    ["Age", "date"],
  ]);
  for (const { name, jsonPath } of columns) {
    if (name === "Age") continue;
    // `.status.conditions[?(@.type=="Ready")].status` -> status.conditions[].status
    const path = jsonPath!.slice(1).replace(/\[\?\(.*?\)\]/, "[]");
    assert.ok(schemaAt(schema, path), `column ${name} points at ${jsonPath}, not in the schema`);
  }
});

Deno.test("CRD schema is structural: every node has a type or is int-or-string", () => {
  const untyped = nodes.filter(({ path, node }) =>
    path !== "" && node.type === undefined && node["x-kubernetes-int-or-string"] !== true
  );
  assert.deepEqual(untyped.map((n) => n.path), []);
  assert.equal(schema.type, "object");
  for (const { path, node } of nodes) {
    if (node["x-kubernetes-int-or-string"] === true) assert.equal(node.type, undefined, path);
    if (node.type === "array") assert.ok(node.items, `${path} is a list without items`);
  }
});

Deno.test("CRD schema never sets properties and additionalProperties on one node", () => {
  const both = nodes.filter(({ node }) =>
    node.properties !== undefined && node.additionalProperties !== undefined
  );
  assert.deepEqual(both.map((n) => n.path), []);
});

Deno.test("CRD schema lists every required field among the properties", () => {
  for (const { path, node } of nodes) {
    for (const name of node.required ?? []) {
      assert.ok(node.properties?.[name], `${path} requires ${name}, which it does not define`);
    }
  }
});

Deno.test("CRD map lists are keyed by required fields", () => {
  for (const { path, node } of nodes) {
    if (node["x-kubernetes-list-type"] !== "map") continue;
    const keys = node["x-kubernetes-list-map-keys"] as string[];
    assert.ok(keys.length > 0, path);
    for (const key of keys) assert.ok(node.items?.required?.includes(key), `${path} key ${key}`);
  }
});

Deno.test("CRD defaults are valid against their own field", () => {
  const ajv = new Ajv({ strictTypes: false });
  const defaulted = nodes.filter(({ node }) => node.default !== undefined);
  assert.deepEqual(defaulted.map((n) => n.path).sort(), [
    "spec.addressType",
    "spec.deletionPolicy",
    "spec.drainSeconds",
    "spec.ipFamily",
    "spec.ownership",
    "spec.weight",
  ]);
  for (const { path, node } of defaulted) {
    const { default: value, ...rest } = toJsonSchema(node);
    assert.ok(ajv.validate(rest, value), `default of ${path} is invalid: ${ajv.errorsText()}`);
  }
});

Deno.test("CRD describes every field of spec and status for kubectl explain", () => {
  const bare = nodes.filter(({ path, node }) =>
    /^(spec|status)(\.|$)/.test(path) && !/(\[\]|\{\})$/.test(path) && !node.description
  );
  assert.deepEqual(bare.map((n) => n.path), []);
  assert.match(at("spec.port").description!, /^Deprecated: use nodePort/);
  assert.match(at("spec.service").description!, /^Deprecated: use services/);
  assert.match(at("spec.services[].weight").description!, /spec\.weight applies/);
});

Deno.test("CRD per-service weight has no default, so spec.weight can apply", () => {
  assert.equal(at("spec.services[].weight").default, undefined);
  assert.equal(at("spec.service.weight").default, undefined);
  assert.equal(at("spec.weight").default, 1);
});

Deno.test("CRD service and services[] accept exactly the same fields", () => {
  const strip = (node: SchemaNode): unknown =>
    JSON.parse(JSON.stringify(node, (k, v) => (k === "description" ? undefined : v)));
  assert.deepEqual(strip(at("spec.service")), strip(at("spec.services[]")));
});

Deno.test("CRD string and enum rules are the ones validate() checks", () => {
  for (const [path, rule] of Object.entries(STRING_RULES)) {
    for (
      const node of [
        at(path),
        ...(path.startsWith("spec.services[].") ? [at(path.replace("services[]", "service"))] : []),
      ]
    ) {
      const r: { nonEmpty?: boolean; maxLength?: number; pattern?: RegExp } = rule;
      assert.equal(node.pattern, r.pattern?.source, `pattern of ${path}`);
      assert.equal(node.maxLength, r.maxLength, `maxLength of ${path}`);
      assert.equal(node.minLength, r.nonEmpty === true ? 1 : undefined, `minLength of ${path}`);
    }
  }
  for (const [path, values] of Object.entries(ENUM_RULES)) {
    assert.deepEqual(at(path).enum, [...values], path);
    if (at(path).default !== undefined) assert.equal(at(path).default, values[0], path);
  }
  assert.equal(at("spec.services").maxItems, MAX_SERVICES);
  for (const [path, most] of Object.entries(SIZE_LIMITS)) {
    const node = at(path);
    assert.equal(node.maxItems ?? node.maxProperties ?? node.maxLength, most, path);
  }
  assert.deepEqual([at("spec.weight").minimum, at("spec.weight").maximum], [
    MIN_WEIGHT,
    MAX_WEIGHT,
  ]);
  assert.equal(at("spec.drainSeconds").maximum, MAX_DRAIN_SECONDS);
  const portRule = at("spec.services[].port")["x-kubernetes-validations"]?.[0]?.rule ?? "";
  assert.ok(portRule.includes(`'${PORT_NAME_PATTERN.source}'`), portRule);
});

Deno.test("CRD CEL rules and message expressions parse, and fieldPaths name schema fields", () => {
  let rules = 0;
  for (const { path, node } of nodes) {
    for (const rule of node["x-kubernetes-validations"] ?? []) {
      rules++;
      cel.parse(rule.rule);
      if (rule.messageExpression !== undefined) cel.parse(rule.messageExpression);
      assert.ok(rule.message || rule.messageExpression, `rule at ${path} has no message`);
      if (rule.fieldPath !== undefined) {
        const target = `${path}${rule.fieldPath}`.replace(/^\./, "");
        assert.ok(schemaAt(schema, target), `fieldPath ${rule.fieldPath} at ${path}`);
      }
      if (rule.reason !== undefined) {
        assert.ok(
          ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"]
            .includes(rule.reason),
        );
      }
    }
  }
  assert.equal(rules, 11);
});

Deno.test("CRD CEL rules only reach lists, strings and maps with a size bound", () => {
  assert.deepEqual(unboundedUnderCel(schema), []);
});

Deno.test("unboundedUnderCel() names a list without maxItems under a rule", () => {
  const bad: SchemaNode = {
    type: "object",
    "x-kubernetes-validations": [{ rule: "true" }],
    properties: { l: { type: "array", items: { type: "string", maxLength: 3 } } },
  };
  assert.deepEqual(unboundedUnderCel(bad), ["l: list without maxItems"]);
});

for (const sample of good) {
  Deno.test(`CRD accepts ${sample.name}`, () => {
    const verdict = crd.validate(sample.object);
    assert.deepEqual(verdict.errors, []);
    assert.equal(verdict.ok, true);
  });
}

Deno.test("CRD good samples cover both README examples and every file of deploy/samples", () => {
  const names = good.map((s) => s.name).sort();
  assert.deepEqual(names, [
    "fixtures/readme-multi-service.yaml",
    "fixtures/readme-single-service.yaml",
    "samples/filter-by-endpoints.yaml",
    "samples/instance-principal.yaml",
    "samples/multi-service.yaml",
    "samples/nlb.yaml",
    "samples/node-selector-shared.yaml",
    "samples/single-service.yaml",
  ]);
});

for (const sample of badSamples()) {
  Deno.test(`CRD rejects ${sample.name}, naming ${sample.field}`, () => {
    const verdict = crd.validate(sample.object);
    assert.equal(verdict.ok, false);
    const fields = verdict.errors.map((e) => e.field);
    assert.ok(
      fields.some((f) => f === sample.field || f.startsWith(`${sample.field}.`)),
      `errors name ${JSON.stringify(fields)}, wanted ${sample.field}`,
    );
  });
}

Deno.test("CRD applies top-level defaults and leaves per-service weight unset", () => {
  const verdict = crd.validate(lbr(goodSpec()));
  const spec = (verdict.object as { spec: Record<string, unknown> }).spec;
  assert.equal(spec.weight, 1);
  assert.equal(spec.drainSeconds, 30);
  assert.equal(spec.addressType, "InternalIP");
  assert.equal(spec.ipFamily, "IPv4");
  assert.equal(spec.ownership, "Exclusive");
  assert.equal(spec.deletionPolicy, "Retain");
  assert.equal((spec.services as Record<string, unknown>[])[0]?.weight, undefined);
});

Deno.test("CRD prunes unknown fields and null members before validating", () => {
  const verdict = crd.validate(lbr({ ...goodSpec(), colour: "blue", nodePort: null }));
  assert.equal(verdict.ok, true);
  const spec = (verdict.object as { spec: Record<string, unknown> }).spec;
  assert.equal("colour" in spec, false);
  assert.equal("nodePort" in spec, false);
});

Deno.test("CRD says both numbers when nodePort and port differ", () => {
  const verdict = crd.validate(
    lbr({
      loadBalancerId: "ocid1.loadbalancer.oc1.iad.x",
      backendSetName: "b",
      nodePort: 30080,
      port: 30081,
    }),
  );
  assert.deepEqual(verdict.errors, [{
    field: "spec.port",
    message:
      "port is a deprecated alias of nodePort and must equal it when both are set: nodePort is 30080, port is 30081",
  }]);
});

Deno.test("CRD names the operator when a selector requirement's values do not fit it", () => {
  const verdict = crd.validate(
    lbr({ ...goodSpec(), nodeSelector: { matchExpressions: [{ key: "a", operator: "NotIn" }] } }),
  );
  assert.deepEqual(verdict.errors, [{
    field: "spec.nodeSelector.matchExpressions[0].values",
    message: "values must not be empty when operator is NotIn",
  }]);
});

Deno.test("CRD accepts a spec with nodePort and port equal, and an empty services list", () => {
  const verdict = crd.validate(lbr({
    loadBalancerId: "ocid1.networkloadbalancer.oc1.iad.x",
    backendSetName: "b",
    nodePort: 30080,
    port: 30080,
    services: [],
  }));
  assert.deepEqual(verdict.errors, []);
});

Deno.test("CRD accepts a status as the operator writes it", () => {
  const verdict = crd.validate({
    ...lbr(goodSpec()),
    status: {
      phase: "READY",
      observedGeneration: 3,
      lastSyncTime: "2026-01-02T03:04:05.123456Z",
      backendCount: 2,
      conditions: [{
        type: "Ready",
        status: "True",
        reason: "BackendsRegistered",
        message: "2 backends registered",
        lastTransitionTime: "2026-01-02T03:04:05Z",
        observedGeneration: 3,
      }],
      backendSets: [{
        loadBalancerId: "ocid1.loadbalancer.oc1.iad.x",
        name: "web-http",
        port: 30080,
        service: "default/web",
        registered: ["10.0.0.1:30080", "10.0.0.2:30080"],
        draining: [],
        lastWorkRequestId: "ocid1.loadbalancerworkrequest.oc1.iad.x",
        lastSyncTime: "2026-01-02T03:04:05Z",
      }],
    },
  });
  assert.deepEqual(verdict.errors, []);
});

Deno.test("CRD rejects an unknown phase and a condition without a reason", () => {
  const verdict = crd.validate({
    ...lbr(goodSpec()),
    status: {
      phase: "DONE",
      conditions: [{
        type: "Ready",
        status: "True",
        message: "",
        lastTransitionTime: "2026-01-02T03:04:05Z",
      }],
    },
  });
  assert.deepEqual(verdict.errors.map((e) => e.field).sort(), [
    "status.conditions[0].reason",
    "status.phase",
  ]);
});

Deno.test("escapeCelName() escapes CEL reserved words and separators as Kubernetes does", () => {
  assert.equal(escapeCelName("namespace"), "__namespace__");
  assert.equal(escapeCelName("a-b.c/d"), "a__dash__b__dot__c__slash__d");
  assert.equal(escapeCelName("a__b"), "a__underscores__b");
  assert.equal(escapeCelName("backendSetName"), "backendSetName");
});

Deno.test("toCelValue() turns integers into CEL ints and leaves strings and doubles", () => {
  const value = toCelValue(at("spec.services[]"), {
    name: "web",
    namespace: "d",
    port: 80,
    weight: 2,
  });
  assert.deepEqual(value, { name: "web", __namespace__: "d", port: 80n, weight: 2n });
  assert.equal(toCelValue({ type: "number" }, 1), 1);
});
