/** LBRegistrar samples for the CRD and validate() tests: the good ones on disk, bad ones built here. */

import { parse as parseYaml } from "yaml";

/** A sample and where it came from. */
export interface Sample {
  name: string;
  object: Record<string, unknown>;
}

/** A sample the CRD must reject, and the field its error must name. */
export interface BadSample extends Sample {
  field: string;
}

const LB = "ocid1.loadbalancer.oc1.ap-tokyo-1.aaaaexample";
const NLB = "ocid1.networkloadbalancer.oc1.iad.aaaaexample";

/** Every good sample: the two README examples of the original, verbatim, and deploy/samples/. */
export async function goodSamples(): Promise<Sample[]> {
  const files = [
    new URL("fixtures/readme-single-service.yaml", import.meta.url),
    new URL("fixtures/readme-multi-service.yaml", import.meta.url),
  ];
  const samplesDir = new URL("../../../deploy/samples/", import.meta.url);
  for await (const entry of Deno.readDir(samplesDir)) {
    if (entry.isFile && entry.name.endsWith(".yaml")) files.push(new URL(entry.name, samplesDir));
  }
  return await Promise.all(files.map(async (url) => ({
    name: url.pathname.split("/").slice(-2).join("/"),
    object: parseYaml(await Deno.readTextFile(url)) as Record<string, unknown>,
  })));
}

/** An LBRegistrar with `spec`. */
export function lbr(spec: unknown, name = "sample"): Record<string, unknown> {
  return {
    apiVersion: "nodes.peppy-ratio.dev/v1alpha1",
    kind: "LBRegistrar",
    metadata: { name },
    spec,
  };
}

/** A valid multi-service spec to break in one place. */
export function goodSpec(): Record<string, unknown> {
  return {
    loadBalancerId: LB,
    services: [
      { name: "web", namespace: "default", port: "http", backendSetName: "web-http" },
      { name: "web", namespace: "default", port: 443, backendSetName: "web-https" },
    ],
  };
}

/** `goodSpec()` with `changes` applied to a copy. */
function spec(changes: (s: Record<string, unknown>) => void): Record<string, unknown> {
  const s = goodSpec();
  changes(s);
  return lbr(s);
}

/** The services list of a spec built by goodSpec(). */
function services(s: Record<string, unknown>): Record<string, unknown>[] {
  return s.services as Record<string, unknown>[];
}

const apiKey = (changes: Record<string, unknown> = {}) => ({
  user: "ocid1.user.oc1..aaaa",
  fingerprint: "aa:bb:cc",
  tenancy: "ocid1.tenancy.oc1..aaaa",
  privateKey: { secretKeyRef: { name: "oci-api-key", key: "private-key" } },
  ...changes,
});

/** Samples the CRD rejects, each with the field its error names. */
export function badSamples(): BadSample[] {
  return [
    { name: "no spec", object: { ...lbr({}), spec: null }, field: "spec" },
    {
      name: "no loadBalancerId",
      object: spec((s) => delete s.loadBalancerId),
      field: "spec.loadBalancerId",
    },
    {
      name: "loadBalancerId of an instance",
      object: spec((s) => s.loadBalancerId = "ocid1.instance.oc1.iad.aaaa"),
      field: "spec.loadBalancerId",
    },
    {
      name: "loadBalancerId not an OCID",
      object: spec((s) => s.loadBalancerId = "my-lb"),
      field: "spec.loadBalancerId",
    },
    {
      name: "service and services together",
      object: spec((s) => s.service = { name: "web", namespace: "default", port: 80 }),
      field: "spec.service",
    },
    {
      name: "no port source",
      object: lbr({ loadBalancerId: LB, backendSetName: "web" }),
      field: "spec.services",
    },
    {
      name: "nodePort and port differ",
      object: lbr({ loadBalancerId: LB, backendSetName: "web", nodePort: 30080, port: 30081 }),
      field: "spec.port",
    },
    {
      name: "nodePort 0",
      object: lbr({ loadBalancerId: LB, backendSetName: "web", nodePort: 0 }),
      field: "spec.nodePort",
    },
    {
      name: "nodePort above 65535",
      object: lbr({ loadBalancerId: LB, backendSetName: "web", nodePort: 70000 }),
      field: "spec.nodePort",
    },
    {
      name: "nodePort as a string",
      object: lbr({ loadBalancerId: LB, backendSetName: "web", nodePort: "30080" }),
      field: "spec.nodePort",
    },
    {
      name: "nodePort without a backend set",
      object: lbr({ loadBalancerId: NLB, nodePort: 30080 }),
      field: "spec.backendSetName",
    },
    {
      name: "single service without a backend set",
      object: lbr({ loadBalancerId: LB, service: { name: "web", namespace: "default", port: 80 } }),
      field: "spec.backendSetName",
    },
    { name: "weight 0", object: spec((s) => s.weight = 0), field: "spec.weight" },
    { name: "weight 101", object: spec((s) => s.weight = 101), field: "spec.weight" },
    {
      name: "per-service weight 0",
      object: spec((s) => services(s)[1]!.weight = 0),
      field: "spec.services[1].weight",
    },
    {
      name: "service entry without a backend set",
      object: spec((s) => delete services(s)[1]!.backendSetName),
      field: "spec.services",
    },
    {
      name: "service entry with an empty backend set and no top-level one",
      object: spec((s) => services(s)[0]!.backendSetName = ""),
      field: "spec.services",
    },
    {
      name: "two entries fill one backend set",
      object: spec((s) => services(s)[1]!.backendSetName = "web-http"),
      field: "spec.services",
    },
    {
      name: "two entries fall back to one top-level backend set",
      object: spec((s) => {
        s.backendSetName = "web";
        for (const entry of services(s)) delete entry.backendSetName;
      }),
      field: "spec.services",
    },
    {
      name: "service port name in capitals",
      object: spec((s) => services(s)[0]!.port = "HTTP"),
      field: "spec.services[0].port",
    },
    {
      name: "service port 0",
      object: spec((s) => services(s)[1]!.port = 0),
      field: "spec.services[1].port",
    },
    {
      name: "service port empty",
      object: spec((s) => services(s)[0]!.port = ""),
      field: "spec.services[0].port",
    },
    {
      name: "service port true",
      object: spec((s) => services(s)[0]!.port = true),
      field: "spec.services[0].port",
    },
    {
      name: "service without namespace",
      object: spec((s) => delete services(s)[0]!.namespace),
      field: "spec.services[0].namespace",
    },
    {
      name: "51 services",
      object: spec((s) => {
        s.services = Array.from({ length: 51 }, (_, i) => ({
          name: "web",
          namespace: "default",
          port: 80,
          backendSetName: `set-${i}`,
        }));
      }),
      field: "spec.services",
    },
    {
      name: "services is a string",
      object: spec((s) => s.services = "web"),
      field: "spec.services",
    },
    {
      name: "addressType misspelt",
      object: spec((s) => s.addressType = "Internal"),
      field: "spec.addressType",
    },
    {
      name: "ipFamily lowercase",
      object: spec((s) => s.ipFamily = "ipv6"),
      field: "spec.ipFamily",
    },
    {
      name: "ownership unknown",
      object: spec((s) => s.ownership = "Mine"),
      field: "spec.ownership",
    },
    {
      name: "deletionPolicy Delete",
      object: spec((s) => s.deletionPolicy = "Delete"),
      field: "spec.deletionPolicy",
    },
    {
      name: "drainSeconds negative",
      object: spec((s) => s.drainSeconds = -1),
      field: "spec.drainSeconds",
    },
    {
      name: "drainSeconds above an hour",
      object: spec((s) => s.drainSeconds = 3601),
      field: "spec.drainSeconds",
    },
    {
      name: "In without values",
      object: spec((s) => s.nodeSelector = { matchExpressions: [{ key: "role", operator: "In" }] }),
      field: "spec.nodeSelector.matchExpressions[0].values",
    },
    {
      name: "Exists with values",
      object: spec((s) =>
        s.nodeSelector = { matchExpressions: [{ key: "role", operator: "Exists", values: ["x"] }] }
      ),
      field: "spec.nodeSelector.matchExpressions[0].values",
    },
    {
      name: "selector operator unknown",
      object: spec((s) =>
        s.nodeSelector = { matchExpressions: [{ key: "role", operator: "Equals", values: ["x"] }] }
      ),
      field: "spec.nodeSelector.matchExpressions[0].operator",
    },
    {
      name: "matchLabels value not a string",
      object: spec((s) => s.nodeSelector = { matchLabels: { role: 1 } }),
      field: "spec.nodeSelector.matchLabels",
    },
    {
      name: "apiKey without privateKey",
      object: spec((s) => {
        const { privateKey: _, ...rest } = apiKey();
        s.apiKey = rest;
      }),
      field: "spec.apiKey.privateKey",
    },
    {
      name: "apiKey user is a tenancy OCID",
      object: spec((s) => s.apiKey = apiKey({ user: "ocid1.tenancy.oc1..aaaa" })),
      field: "spec.apiKey.user",
    },
    {
      name: "apiKey fingerprint not hex",
      object: spec((s) => s.apiKey = apiKey({ fingerprint: "my key" })),
      field: "spec.apiKey.fingerprint",
    },
    {
      name: "apiKey without region and none in the OCID",
      object: spec((s) => {
        s.loadBalancerId = "ocid1.loadbalancer.oc1..aaaa";
        s.apiKey = apiKey();
      }),
      field: "spec.apiKey.region",
    },
    {
      name: "secretKeyRef without key",
      object: spec((s) =>
        s.apiKey = apiKey({ privateKey: { secretKeyRef: { name: "oci-api-key" } } })
      ),
      field: "spec.apiKey.privateKey.secretKeyRef.key",
    },
    {
      name: "backendSetName with a space",
      object: lbr({ loadBalancerId: LB, backendSetName: "my set", nodePort: 30080 }),
      field: "spec.backendSetName",
    },
  ];
}
