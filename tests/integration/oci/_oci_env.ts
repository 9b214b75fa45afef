/**
 * The OCI simulator with one classic LB and one NLB whose backend sets carry every attribute, a
 * registered API key, a recording proxy and the real adapters pointed at it.
 */

import assert from "node:assert/strict";
import { OciError, type OciErrorKind } from "../../../src/oci/errors.ts";
import { startOciSim } from "../../../src/sim/oci/oci_sim.ts";
import type { OciSim, WireObject } from "../../../src/sim/oci/oci_sim.ts";
import { createLoadBalancers, type LoadBalancersOptions } from "../../../src/oci/load_balancers.ts";
import type { LoadBalancers, OciCredentials, WorkRequestStatus } from "../../../src/oci/port.ts";
import { generateOciTestKey, type OciTestKey } from "../../support/oci_keys.ts";
import { type RecordingProxy, startRecordingProxy } from "./_recording_proxy.ts";

export const LB_ID = "ocid1.loadbalancer.oc1.iad.aaaaclassic";
export const NLB_ID = "ocid1.networkloadbalancer.oc1.iad.aaaanetwork";
export const LB_SET = "web-http";
export const NLB_SET = "tcp-443";

/** Every attribute of a classic backend set that UpdateBackendSet would reset if left out. */
export const CLASSIC_ATTRIBUTES: WireObject = {
  policy: "LEAST_CONNECTIONS",
  backendMaxConnections: 300,
  healthChecker: {
    protocol: "HTTP",
    urlPath: "/healthz",
    port: 10256,
    returnCode: 204,
    retries: 2,
    timeoutInMillis: 2000,
    intervalInMillis: 5000,
    responseBodyRegex: "^ok$",
    isForcePlainText: true,
  },
  sslConfiguration: {
    verifyDepth: 3,
    verifyPeerCertificate: true,
    hasSessionResumption: true,
    trustedCertificateAuthorityIds: ["ocid1.cabundle.oc1.iad.ca"],
    certificateIds: ["ocid1.certificate.oc1.iad.cert"],
    certificateName: "backend-ca",
    protocols: ["TLSv1.2", "TLSv1.3"],
    cipherSuiteName: "oci-modern-ssl-cipher-suite-v1",
    serverOrderPreference: "ENABLED",
  },
  sessionPersistenceConfiguration: { cookieName: "JSESSIONID", disableFallback: true },
  lbCookieSessionPersistenceConfiguration: {
    cookieName: "X-Oracle-BMC-LBS-Route",
    disableFallback: false,
    domain: "example.com",
    path: "/app",
    maxAgeInSeconds: 3600,
    isSecure: true,
    isHttpOnly: true,
  },
};

export const CLASSIC_BACKENDS: WireObject[] = [
  { ipAddress: "10.0.0.1", port: 30080, weight: 3, maxConnections: 50, backup: true },
  { ipAddress: "10.0.0.2", port: 30080, weight: 1, drain: true, offline: true },
];

/** Every NLB backend set attribute, each set away from OCI's default where it has one. */
export const NLB_ATTRIBUTES: WireObject = {
  policy: "THREE_TUPLE",
  isPreserveSource: false,
  isFailOpen: true,
  isInstantFailoverEnabled: true,
  isInstantFailoverTcpResetEnabled: true,
  areOperationallyActiveBackendsPreferred: true,
  ipVersion: "IPV4",
  healthChecker: {
    protocol: "DNS",
    port: 53,
    retries: 2,
    timeoutInMillis: 2000,
    intervalInMillis: 5000,
    dns: {
      domainName: "health.example.com",
      transportProtocol: "TCP",
      queryClass: "IN",
      queryType: "AAAA",
      rcodes: ["NOERROR", "NXDOMAIN"],
    },
  },
};

export const NLB_BACKENDS: WireObject[] = [
  { ipAddress: "10.0.1.1", port: 30443, weight: 2, isBackup: true },
  {
    ipAddress: "10.0.1.2",
    targetId: "ocid1.instance.oc1.iad.node2",
    port: 30443,
    isDrain: true,
    isOffline: true,
  },
];

/** One key pair for the whole test run (RSA generation is the slow part). */
export const KEY: OciTestKey = generateOciTestKey({ passphrase: "open sesame" });

export interface OciEnv {
  sim: OciSim;
  proxy: RecordingProxy;
  oci: LoadBalancers;
  /** API-key credentials for KEY, PKCS#8 unless overridden. */
  credentials(overrides?: Partial<Extract<OciCredentials, { kind: "api-key" }>>): OciCredentials;
}

/** Runs `test` against a fresh simulator (work requests end at once) and stops everything after. */
export async function withOciEnv(
  test: (env: OciEnv) => Promise<void>,
  options: Omit<LoadBalancersOptions, "endpoint"> & { workRequestDelayMs?: number } = {},
): Promise<void> {
  const { workRequestDelayMs = 0, ...adapterOptions } = options;
  const sim = startOciSim({ workRequestDelayMs });
  const proxy = startRecordingProxy(sim.url);
  try {
    sim.registerKey(KEY.keyId, KEY.publicPem);
    sim.addLoadBalancer({ id: LB_ID, compartmentId: "ocid1.compartment.oc1..c" });
    sim.addBackendSet(LB_ID, LB_SET, { ...CLASSIC_ATTRIBUTES, backends: CLASSIC_BACKENDS });
    sim.addLoadBalancer({ id: NLB_ID, compartmentId: "ocid1.compartment.oc1..c" });
    sim.addBackendSet(NLB_ID, NLB_SET, { ...NLB_ATTRIBUTES, backends: NLB_BACKENDS });
    const oci = createLoadBalancers({ ...adapterOptions, endpoint: proxy.url });
    const credentials = (overrides = {}): OciCredentials => ({
      kind: "api-key",
      tenancy: KEY.tenancy,
      user: KEY.user,
      fingerprint: KEY.fingerprint,
      privateKey: KEY.pkcs8Pem,
      region: "us-ashburn-1",
      ...overrides,
    });
    await test({ sim, proxy, oci, credentials });
  } finally {
    await proxy.close();
    await sim.stop();
  }
}

/** The PUTs that crossed the proxy, body parsed. */
export function puts(
  proxy: RecordingProxy,
): { headers: Record<string, string>; body: Record<string, unknown> }[] {
  return proxy.requests()
    .filter((request) => request.method === "PUT")
    .map((request) => ({ headers: request.headers, body: JSON.parse(request.body) }));
}

/** How many requests of `operation` the simulator saw. */
export function attempts(sim: OciSim, operation: string): number {
  return sim.requests().filter((request) => request.operation === operation).length;
}

/** Polls a work request until it ends (the simulator settles it on read; no timing is asserted). */
export async function finalState(
  oci: LoadBalancers,
  loadBalancerId: string,
  workRequestId: string,
  credentials: OciCredentials,
): Promise<WorkRequestStatus> {
  for (let poll = 0; poll < 200; poll++) {
    const status = await oci.getWorkRequest(loadBalancerId, workRequestId, credentials);
    if (["SUCCEEDED", "FAILED", "CANCELED"].includes(status.state)) return status;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`work request ${workRequestId} did not end`);
}

/** Awaits `promise`, asserts it rejects with an OciError of `kind`, and returns that error. */
export async function rejectsWith(
  promise: Promise<unknown>,
  kind: OciErrorKind,
): Promise<OciError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OciError, `expected OciError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected an OciError of kind ${kind}, but the call succeeded`);
}

/**
 * How many signed attempts of a request crossed the proxy. Deno's fetch re-sends a request
 * byte for byte when its keep-alive connection dies under it, so the simulator can see one SDK
 * attempt twice; an SDK retry is signed again with a later x-date, so it has its own signature.
 */
export function signedAttempts(proxy: RecordingProxy, method: string, pathPart: string): number {
  const signatures = proxy.requests()
    .filter((request) => request.method === method && request.path.includes(pathPart))
    .map((request) => request.headers["authorization"]);
  return new Set(signatures).size;
}
