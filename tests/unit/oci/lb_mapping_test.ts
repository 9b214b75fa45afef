import assert from "node:assert/strict";
import type * as lb from "oci-loadbalancer";
import { fromLbBackendSet, toLbUpdateDetails } from "../../../src/oci/_lb_mapping.ts";
import type { Backend } from "../../../src/plan/model.ts";

/** A classic backend set with every attribute set, as OCI returns it. */
function readSet(overrides: Record<string, unknown> = {}): lb.models.BackendSet {
  return {
    name: "web-http",
    policy: "LEAST_CONNECTIONS",
    backendMaxConnections: 300,
    backends: [
      {
        name: "10.0.0.1:30080",
        ipAddress: "10.0.0.1",
        port: 30080,
        weight: 3,
        maxConnections: 50,
        drain: false,
        backup: true,
        offline: false,
      },
      {
        name: "10.0.0.2:30080",
        ipAddress: "10.0.0.2",
        port: 30080,
        weight: 1,
        drain: true,
        backup: false,
        offline: true,
      },
    ],
    healthChecker: {
      protocol: "HTTP",
      urlPath: "/healthz",
      port: 10256,
      returnCode: 200,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
      responseBodyRegex: "",
      isForcePlainText: true,
    },
    sslConfiguration: {
      verifyDepth: 3,
      verifyPeerCertificate: true,
      hasSessionResumption: true,
      trustedCertificateAuthorityIds: ["ocid1.cabundle.oc1..ca"],
      certificateIds: ["ocid1.certificate.oc1..c"],
      certificateName: "example_certificate_bundle",
      serverOrderPreference: "ENABLED" as lb.models.SSLConfiguration.ServerOrderPreference,
      cipherSuiteName: "oci-default-ssl-cipher-suite-v1",
      protocols: ["TLSv1.2"],
    },
    sessionPersistenceConfiguration: { cookieName: "app", disableFallback: true },
    lbCookieSessionPersistenceConfiguration: {
      cookieName: "lb",
      disableFallback: false,
      domain: "example.com",
      path: "/",
      maxAgeInSeconds: 3600,
      isSecure: true,
      isHttpOnly: true,
    },
    ...overrides,
  } as lb.models.BackendSet;
}

Deno.test("fromLbBackendSet() maps backends with their unmanaged flags", () => {
  const { backends, skipped } = fromLbBackendSet(readSet());
  assert.deepEqual(skipped, []);
  assert.deepEqual(backends, [
    {
      ipAddress: "10.0.0.1",
      port: 30080,
      weight: 3,
      drain: false,
      backup: true,
      offline: false,
      maxConnections: 50,
    },
    { ipAddress: "10.0.0.2", port: 30080, weight: 1, drain: true, backup: false, offline: true },
  ]);
});

Deno.test("fromLbBackendSet() keeps every attribute but the name and backends", () => {
  const set = readSet();
  const { attributes } = fromLbBackendSet(set);
  assert.deepEqual(Object.keys(attributes).sort(), [
    "backendMaxConnections",
    "healthChecker",
    "lbCookieSessionPersistenceConfiguration",
    "policy",
    "sessionPersistenceConfiguration",
    "sslConfiguration",
  ]);
  assert.deepEqual(attributes.sslConfiguration, set.sslConfiguration);
});

Deno.test("fromLbBackendSet() drops and reports backends without IP or port instead of crashing", () => {
  const broken = [
    { name: "no-ip", port: 30080 },
    { ipAddress: "10.0.0.9" },
    null,
    { ipAddress: "10.0.0.3", port: 30080 },
  ];
  const { backends, skipped } = fromLbBackendSet({ backends: broken } as never);
  assert.deepEqual(backends, [
    { ipAddress: "10.0.0.3", port: 30080, weight: 1, drain: false, backup: false, offline: false },
  ]);
  assert.deepEqual(skipped, [
    'backend "no-ip" has no IP address',
    "backend #2 has no valid port",
    "backend #3 has no IP address",
  ]);
});

Deno.test("fromLbBackendSet() survives a set with no backends and no attributes", () => {
  assert.deepEqual(fromLbBackendSet({}), { backends: [], skipped: [], attributes: {} });
});

Deno.test("toLbUpdateDetails() re-sends every attribute exactly as read", () => {
  const set = readSet();
  const { attributes, backends } = fromLbBackendSet(set);
  const details = toLbUpdateDetails(attributes, backends);
  assert.ok(typeof details !== "string");
  assert.equal(details.policy, "LEAST_CONNECTIONS");
  assert.equal(details.backendMaxConnections, 300);
  assert.deepEqual(details.healthChecker, set.healthChecker);
  assert.deepEqual(details.sslConfiguration, set.sslConfiguration);
  assert.deepEqual(details.sessionPersistenceConfiguration, set.sessionPersistenceConfiguration);
  assert.deepEqual(
    details.lbCookieSessionPersistenceConfiguration,
    set.lbCookieSessionPersistenceConfiguration,
  );
});

Deno.test("toLbUpdateDetails() sends backends with backup, offline and maxConnections as carried", () => {
  const backends: Backend[] = [
    {
      ipAddress: "10.0.0.1",
      port: 30080,
      weight: 3,
      drain: true,
      backup: true,
      offline: false,
      maxConnections: 50,
    },
    { ipAddress: "10.0.0.4", port: 30080, weight: 1, drain: false, backup: false, offline: true },
  ];
  const details = toLbUpdateDetails(fromLbBackendSet(readSet()).attributes, backends);
  assert.ok(typeof details !== "string");
  assert.deepEqual(details.backends, [
    {
      ipAddress: "10.0.0.1",
      port: 30080,
      weight: 3,
      backup: true,
      drain: true,
      offline: false,
      maxConnections: 50,
    },
    { ipAddress: "10.0.0.4", port: 30080, weight: 1, backup: false, drain: false, offline: true },
  ]);
});

Deno.test("toLbUpdateDetails() leaves out nulls, unknown read-only fields and UNKNOWN_VALUE", () => {
  const set = readSet({
    backendMaxConnections: null,
    sessionPersistenceConfiguration: null,
    healthChecker: {
      protocol: "TCP",
      port: 22,
      urlPath: null,
      returnCode: 0,
      responseBodyRegex: null,
    },
    sslConfiguration: {
      verifyDepth: 1,
      verifyPeerCertificate: false,
      serverOrderPreference: "UNKNOWN_VALUE",
      someReadOnlyField: "x",
    },
  });
  const details = toLbUpdateDetails(fromLbBackendSet(set).attributes, []);
  assert.ok(typeof details !== "string");
  assert.ok(!("backendMaxConnections" in details));
  assert.ok(!("sessionPersistenceConfiguration" in details));
  assert.deepEqual(details.healthChecker, { protocol: "TCP", port: 22, returnCode: 0 });
  assert.deepEqual(details.sslConfiguration, { verifyDepth: 1, verifyPeerCertificate: false });
  assert.deepEqual(details.backends, []);
});

Deno.test("toLbUpdateDetails() says which required attribute is missing", () => {
  assert.equal(
    toLbUpdateDetails({ healthChecker: { protocol: "TCP" } }, []),
    "the backend set as read has no policy",
  );
  assert.equal(
    toLbUpdateDetails({ policy: "ROUND_ROBIN" }, []),
    "the backend set as read has no health checker protocol",
  );
});
