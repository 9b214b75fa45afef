import assert from "node:assert/strict";
import type * as nlb from "oci-networkloadbalancer";
import { fromNlbBackendSet, toNlbUpdateDetails } from "../../../src/oci/_nlb_mapping.ts";

/** An NLB backend set with every attribute set, as OCI returns it. */
function readSet(overrides: Record<string, unknown> = {}): nlb.models.BackendSet {
  return {
    name: "tcp-443",
    policy: "THREE_TUPLE",
    isPreserveSource: true,
    isFailOpen: true,
    isInstantFailoverEnabled: true,
    isInstantFailoverTcpResetEnabled: false,
    areOperationallyActiveBackendsPreferred: true,
    ipVersion: "IPV4",
    backends: [
      {
        name: "10.0.0.1:30443",
        ipAddress: "10.0.0.1",
        port: 30443,
        weight: 2,
        isDrain: false,
        isBackup: true,
        isOffline: false,
      },
      {
        name: "ocid1.instance.oc1..i:30443",
        ipAddress: "10.0.0.2",
        targetId: "ocid1.instance.oc1..i",
        port: 30443,
        isDrain: true,
        isBackup: false,
        isOffline: true,
      },
    ],
    healthChecker: {
      protocol: "DNS",
      port: 53,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
      dns: {
        domainName: "example.com",
        transportProtocol: "UDP",
        queryClass: "IN",
        queryType: "A",
        rcodes: ["NOERROR"],
      },
    },
    ...overrides,
  } as nlb.models.BackendSet;
}

Deno.test("fromNlbBackendSet() maps isDrain/isBackup/isOffline, name and targetId", () => {
  const { backends, skipped } = fromNlbBackendSet(readSet());
  assert.deepEqual(skipped, []);
  assert.deepEqual(backends, [
    {
      ipAddress: "10.0.0.1",
      port: 30443,
      weight: 2,
      drain: false,
      backup: true,
      offline: false,
      name: "10.0.0.1:30443",
    },
    {
      ipAddress: "10.0.0.2",
      port: 30443,
      weight: 1,
      drain: true,
      backup: false,
      offline: true,
      name: "ocid1.instance.oc1..i:30443",
      targetId: "ocid1.instance.oc1..i",
    },
  ]);
});

Deno.test("fromNlbBackendSet() drops and reports a backend with only a targetId", () => {
  const { backends, skipped } = fromNlbBackendSet({
    backends: [{ targetId: "ocid1.instance.oc1..i", port: 80 }],
  } as never);
  assert.deepEqual(backends, []);
  assert.deepEqual(skipped, ["backend #1 has no IP address"]);
});

Deno.test("toNlbUpdateDetails() re-sends every attribute read, health checker dns included", () => {
  const set = readSet();
  const { attributes, backends } = fromNlbBackendSet(set);
  const details = toNlbUpdateDetails(attributes, backends);
  assert.deepEqual(
    { ...details, backends: undefined },
    {
      policy: "THREE_TUPLE",
      isPreserveSource: true,
      isFailOpen: true,
      isInstantFailoverEnabled: true,
      isInstantFailoverTcpResetEnabled: false,
      areOperationallyActiveBackendsPreferred: true,
      ipVersion: "IPV4",
      healthChecker: set.healthChecker,
      backends: undefined,
    },
  );
});

Deno.test("toNlbUpdateDetails() sends name, targetId and flags as carried", () => {
  const { attributes, backends } = fromNlbBackendSet(readSet());
  const details = toNlbUpdateDetails(attributes, backends);
  assert.deepEqual(details.backends, [
    {
      ipAddress: "10.0.0.1",
      port: 30443,
      weight: 2,
      isBackup: true,
      isDrain: false,
      isOffline: false,
      name: "10.0.0.1:30443",
    },
    {
      ipAddress: "10.0.0.2",
      port: 30443,
      weight: 1,
      isBackup: false,
      isDrain: true,
      isOffline: true,
      name: "ocid1.instance.oc1..i:30443",
      targetId: "ocid1.instance.oc1..i",
    },
  ]);
});

Deno.test("toNlbUpdateDetails() leaves out what was not read", () => {
  const details = toNlbUpdateDetails(
    {
      policy: "FIVE_TUPLE",
      isFailOpen: null,
      healthChecker: { protocol: "TCP", port: 22, dns: null },
    },
    [],
  );
  assert.deepEqual(details, {
    policy: "FIVE_TUPLE",
    backends: [],
    healthChecker: { protocol: "TCP", port: 22 },
  });
});
