import assert from "node:assert/strict";
import type { PortSource } from "../../../src/api/binding.ts";
import type { ServiceInfo } from "../../../src/plan/model.ts";
import { resolveNodePort } from "../../../src/plan/node_port.ts";
import { service } from "../../support/plan_fixtures.ts";

function services(...list: ServiceInfo[]): Map<string, ServiceInfo> {
  return new Map(list.map((s) => [`${s.namespace}/${s.name}`, s]));
}

function from(port: number | string, name = "web"): PortSource {
  return { kind: "service", namespace: "shop", name, port };
}

const dns = service("shop/web", {
  ports: [
    { name: "dns-udp", port: 53, protocol: "UDP", nodePort: 30053 },
    { name: "dns-tcp", port: 53, protocol: "TCP", nodePort: 30054 },
    { name: "metrics", port: 9100, protocol: "UDP", nodePort: 30100 },
  ],
});

const cases: {
  name: string;
  source: PortSource;
  found: ServiceInfo[];
  expected: ReturnType<typeof resolveNodePort>;
}[] = [
  {
    name: "returns a fixed port as is",
    source: { kind: "fixed", nodePort: 30080 },
    found: [],
    expected: { ok: true, port: 30080 },
  },
  {
    name: "rejects a fixed port out of range as InvalidSpec",
    source: { kind: "fixed", nodePort: 0 },
    found: [],
    expected: {
      ok: false,
      reason: "InvalidSpec",
      message: "Cannot use nodePort 0: wanted a whole number from 1 to 65535",
    },
  },
  {
    name: "matches a port by name",
    source: from("http"),
    found: [service("shop/web")],
    expected: { ok: true, port: 30080, service: "shop/web" },
  },
  {
    name: "matches a port by service port number",
    source: from(80),
    found: [service("shop/web")],
    expected: { ok: true, port: 30080, service: "shop/web" },
  },
  {
    name: "matches a quoted number by number",
    source: from("80"),
    found: [service("shop/web")],
    expected: { ok: true, port: 30080, service: "shop/web" },
  },
  {
    name: "accepts a LoadBalancer service",
    source: from("http"),
    found: [service("shop/web", { type: "LoadBalancer" })],
    expected: { ok: true, port: 30080, service: "shop/web" },
  },
  {
    name: "prefers TCP when a number matches several protocols",
    source: from(53),
    found: [dns],
    expected: { ok: true, port: 30054, service: "shop/web" },
  },
  {
    name: "falls back to a UDP-only match",
    source: from(9100),
    found: [dns],
    expected: { ok: true, port: 30100, service: "shop/web" },
  },
  {
    name: "reports a missing service as ServiceNotFound",
    source: from("http", "gone"),
    found: [service("shop/web")],
    expected: {
      ok: false,
      reason: "ServiceNotFound",
      message:
        'Cannot resolve NodePort for service "shop/gone" port "http": the service does not exist',
      service: "shop/gone",
    },
  },
  {
    name: "reports a ClusterIP service as NodePortNotAllocated",
    source: from("http"),
    found: [service("shop/web", { type: "ClusterIP" })],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port "http": type is ClusterIP, wanted NodePort or LoadBalancer',
      service: "shop/web",
    },
  },
  {
    name: "reports an ExternalName service as NodePortNotAllocated",
    source: from(80),
    found: [service("shop/web", { type: "ExternalName", ports: [] })],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port 80: type is ExternalName, wanted NodePort or LoadBalancer',
      service: "shop/web",
    },
  },
  {
    name: "lists the available ports when no name matches",
    source: from("https"),
    found: [
      service("shop/web", {
        ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 30080 }, {
          port: 8443,
          protocol: "TCP",
          nodePort: 30443,
        }],
      }),
    ],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port "https": no port named "https", the service has "http" (80/TCP), 8443/TCP',
      service: "shop/web",
    },
  },
  {
    name: "lists the available ports when no number matches",
    source: from(8080),
    found: [service("shop/web")],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port 8080: no port 8080, the service has "http" (80/TCP)',
      service: "shop/web",
    },
  },
  {
    name: "reports a port without nodePort as NodePortNotAllocated",
    source: from("http"),
    found: [
      service("shop/web", { ports: [{ name: "http", port: 80, protocol: "TCP", nodePort: 0 }] }),
    ],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port "http": "http" (80/TCP) has no nodePort allocated',
      service: "shop/web",
    },
  },
  {
    name: "hints at allocateLoadBalancerNodePorts for a LoadBalancer without nodePort",
    source: from("http"),
    found: [
      service("shop/web", {
        type: "LoadBalancer",
        ports: [{ name: "http", port: 80, protocol: "TCP" }],
      }),
    ],
    expected: {
      ok: false,
      reason: "NodePortNotAllocated",
      message:
        'Cannot resolve NodePort for service "shop/web" port "http": "http" (80/TCP) has no nodePort allocated (is allocateLoadBalancerNodePorts false?)',
      service: "shop/web",
    },
  },
];

for (const { name, source, found, expected } of cases) {
  Deno.test(`resolveNodePort() ${name}`, () => {
    assert.deepEqual(resolveNodePort(services(...found), source), expected);
  });
}
