/**
 * Demo content for the simulator: one classic LB with backend sets `web-http` and `web-https`, and
 * one NLB with `web-tcp`, carrying the attributes real sets have (policy, health checks, TLS, session
 * persistence, connection limits, source preservation, fail-open, IP version). Backends start empty.
 */
import type { OciSimControl } from "./types.ts";

/** OCID of the demo classic load balancer. */
export const DEMO_LB_ID = "ocid1.loadbalancer.oc1.iad.demoaaaaaaaaclassiclb0001";
/** OCID of the demo network load balancer. */
export const DEMO_NLB_ID = "ocid1.networkloadbalancer.oc1.iad.demoaaaaaaaanetworklb0001";
/** Compartment of both demo load balancers. */
export const DEMO_COMPARTMENT_ID = "ocid1.compartment.oc1..demoaaaaaaaacompartment";

/** Adds the demo load balancers and their backend sets to a running simulator. */
export function seedDemo(
  sim: Pick<OciSimControl, "addLoadBalancer" | "addBackendSet">,
  { workRequestDelayMs }: { workRequestDelayMs?: number } = {},
): { lbId: string; nlbId: string } {
  sim.addLoadBalancer({
    id: DEMO_LB_ID,
    compartmentId: DEMO_COMPARTMENT_ID,
    displayName: "demo-web-lb",
    workRequestDelayMs,
  });
  sim.addBackendSet(DEMO_LB_ID, "web-http", {
    policy: "ROUND_ROBIN",
    backends: [],
    backendMaxConnections: 300,
    healthChecker: {
      protocol: "HTTP",
      urlPath: "/healthz",
      port: 10256,
      returnCode: 200,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
      responseBodyRegex: "",
    },
    sessionPersistenceConfiguration: { cookieName: "JSESSIONID", disableFallback: false },
  });
  sim.addBackendSet(DEMO_LB_ID, "web-https", {
    policy: "LEAST_CONNECTIONS",
    backends: [],
    healthChecker: {
      protocol: "HTTP",
      urlPath: "/healthz",
      port: 10256,
      returnCode: 200,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
      responseBodyRegex: "^ok$",
      isForcePlainText: true,
    },
    sslConfiguration: {
      verifyDepth: 3,
      verifyPeerCertificate: true,
      hasSessionResumption: true,
      trustedCertificateAuthorityIds: [
        "ocid1.cabundle.oc1.iad.demoaaaaaaaacabundle0001",
      ],
      protocols: ["TLSv1.2", "TLSv1.3"],
      cipherSuiteName: "oci-default-http2-tls-12-13-ssl-cipher-suite-v1",
      serverOrderPreference: "ENABLED",
    },
    lbCookieSessionPersistenceConfiguration: {
      cookieName: "X-Oracle-BMC-LBS-Route",
      path: "/",
      maxAgeInSeconds: 3600,
      isSecure: true,
      isHttpOnly: true,
      disableFallback: false,
    },
  });

  sim.addLoadBalancer({
    id: DEMO_NLB_ID,
    compartmentId: DEMO_COMPARTMENT_ID,
    displayName: "demo-tcp-nlb",
    workRequestDelayMs,
  });
  sim.addBackendSet(DEMO_NLB_ID, "web-tcp", {
    policy: "FIVE_TUPLE",
    isPreserveSource: true,
    isFailOpen: true,
    isInstantFailoverEnabled: false,
    isInstantFailoverTcpResetEnabled: false,
    areOperationallyActiveBackendsPreferred: false,
    ipVersion: "IPV4",
    backends: [],
    healthChecker: {
      protocol: "HTTP",
      port: 10256,
      urlPath: "/healthz",
      returnCode: 200,
      retries: 3,
      timeoutInMillis: 3000,
      intervalInMillis: 10000,
    },
  });
  return { lbId: DEMO_LB_ID, nlbId: DEMO_NLB_ID };
}
