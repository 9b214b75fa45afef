/**
 * Fuzz of the OCI adapters' pure mapping (src/oci/_lb_mapping.ts, _nlb_mapping.ts,
 * _work_request_status.ts, classify_error.ts) over arbitrary JSON answers: nothing throws, every
 * backend read has a usable IP and port or is reported as skipped, what is written back carries
 * the flags as read, and every failure becomes one OciError with a message naming the call.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import type * as lb from "oci-loadbalancer";
import type * as nlb from "oci-networkloadbalancer";
import {
  fromLbBackendSet,
  toLbBackendDetails,
  toLbUpdateDetails,
} from "../../../src/oci/_lb_mapping.ts";
import {
  fromNlbBackendSet,
  toNlbBackendDetails,
  toNlbUpdateDetails,
} from "../../../src/oci/_nlb_mapping.ts";
import {
  lbWorkRequestStatus,
  nlbWorkRequestStatus,
} from "../../../src/oci/_work_request_status.ts";
import {
  classifyError,
  describeCall,
  type OciCallContext,
} from "../../../src/oci/classify_error.ts";
import { OciError } from "../../../src/oci/errors.ts";
import type { Backend } from "../../../src/plan/model.ts";
import { hostile, junkObject, looseRecord } from "./_arbitraries.ts";

const RUNS = { numRuns: 2000 };

const rawBackend = looseRecord({
  ipAddress: fc.oneof(fc.ipV4(), fc.ipV6()),
  port: fc.integer({ min: 1, max: 65535 }),
  weight: fc.integer({ min: 1, max: 100 }),
  drain: fc.boolean(),
  backup: fc.boolean(),
  offline: fc.boolean(),
  isDrain: fc.boolean(),
  isBackup: fc.boolean(),
  isOffline: fc.boolean(),
  maxConnections: fc.integer({ min: 0, max: 1000 }),
  name: fc.string({ maxLength: 10 }),
  targetId: fc.constant("ocid1.instance.oc1..x"),
}, 6);

/** A backend set answer near the real shape of either API, or anything at all. */
const setAnswer: fc.Arbitrary<unknown> = fc.oneof(
  looseRecord({
    name: fc.constant("web"),
    policy: fc.constantFrom("ROUND_ROBIN", "FIVE_TUPLE", "QUANTUM_ROBIN"),
    backends: fc.array(
      fc.oneof({ arbitrary: rawBackend, weight: 6 }, { arbitrary: hostile, weight: 1 }),
      { maxLength: 6 },
    ),
    healthChecker: looseRecord({
      protocol: fc.constantFrom("HTTP", "TCP", "DNS", "QUIC"),
      port: fc.integer({ min: 0, max: 65535 }),
      urlPath: fc.constant("/healthz"),
      dns: looseRecord({ domainName: fc.constant("example.com"), queryType: fc.constant("A") }),
    }),
    sslConfiguration: looseRecord({
      serverOrderPreference: fc.constantFrom("ENABLED", "DISABLED", "SOMETIMES", "UNKNOWN_VALUE"),
      protocols: fc.array(fc.constantFrom("TLSv1.2", "TLSv1.3")),
    }),
    sessionPersistenceConfiguration: looseRecord({ cookieName: fc.constant("c") }),
    lbCookieSessionPersistenceConfiguration: looseRecord({ cookieName: fc.constant("c") }),
    backendMaxConnections: fc.integer({ min: 0, max: 1000 }),
    isPreserveSource: fc.boolean(),
    isFailOpen: fc.boolean(),
    ipVersion: fc.constantFrom("IPV4", "IPV6", "IPV5"),
  }),
  fc.anything({ maxDepth: 3 }),
);

function checkRead(
  answer: unknown,
  read: { backends: Backend[]; skipped: string[]; attributes: Record<string, unknown> },
): void {
  const raw = (answer as { backends?: unknown } | null | undefined)?.backends;
  const count = Array.isArray(raw) ? raw.length : 0;
  assert.equal(read.backends.length + read.skipped.length, count, "every backend read or skipped");
  for (const b of read.backends) {
    assert.ok(typeof b.ipAddress === "string" && b.ipAddress !== "", "an IP address");
    assert.ok(Number.isInteger(b.port) && b.port >= 1 && b.port <= 65535, `port ${b.port}`);
    assert.equal(typeof b.weight, "number");
    for (const flag of [b.drain, b.backup, b.offline]) assert.equal(typeof flag, "boolean");
  }
  for (const line of read.skipped) assert.match(line, /^backend (#\d+|".*") has no /s);
  for (const value of Object.values(read.attributes)) {
    assert.ok(value !== null && value !== undefined);
  }
}

Deno.test("fromLbBackendSet() reads any answer: usable backends, the rest reported as skipped", () => {
  fc.assert(
    fc.property(setAnswer, (answer) => {
      checkRead(answer, fromLbBackendSet(answer as Partial<lb.models.BackendSet>));
    }),
    RUNS,
  );
});

Deno.test("fromNlbBackendSet() reads any answer: usable backends, the rest reported as skipped", () => {
  fc.assert(
    fc.property(setAnswer, (answer) => {
      checkRead(answer, fromNlbBackendSet(answer as Partial<nlb.models.BackendSet>));
    }),
    RUNS,
  );
});

Deno.test("toLbUpdateDetails() writes back any read, or says which attribute is missing", () => {
  fc.assert(
    fc.property(setAnswer, (answer) => {
      const read = fromLbBackendSet(answer as Partial<lb.models.BackendSet>);
      const details = toLbUpdateDetails(read.attributes, read.backends);
      if (typeof details === "string") {
        assert.match(details, /^the backend set as read has no /);
        return;
      }
      assert.ok(typeof details.policy === "string" && details.policy !== "");
      assert.equal(typeof details.healthChecker.protocol, "string");
      assert.deepEqual(details.backends, read.backends.map(toLbBackendDetails));
      const order = details.sslConfiguration?.serverOrderPreference;
      assert.ok(order === undefined || order === "ENABLED" || order === "DISABLED");
    }),
    RUNS,
  );
});

Deno.test("toNlbUpdateDetails() writes back any read with every backend flag as read", () => {
  fc.assert(
    fc.property(setAnswer, (answer) => {
      const read = fromNlbBackendSet(answer as Partial<nlb.models.BackendSet>);
      const details = toNlbUpdateDetails(read.attributes, read.backends);
      assert.deepEqual(details.backends, read.backends.map(toNlbBackendDetails));
      for (const [b, d] of read.backends.map((b, i) => [b, details.backends?.[i]] as const)) {
        assert.deepEqual(
          [d?.ipAddress, d?.port, d?.weight, d?.isDrain, d?.isBackup, d?.isOffline],
          [b.ipAddress, b.port, b.weight, b.drain, b.backup, b.offline],
        );
      }
    }),
    RUNS,
  );
});

Deno.test("fromLbBackendSet() and toLbBackendDetails() carry a well-formed backend unchanged", () => {
  fc.assert(
    fc.property(
      fc.record({
        ipAddress: fc.oneof(fc.ipV4(), fc.ipV6()),
        port: fc.integer({ min: 1, max: 65535 }),
        weight: fc.integer({ min: 1, max: 100 }),
        drain: fc.boolean(),
        backup: fc.boolean(),
        offline: fc.boolean(),
        maxConnections: fc.integer({ min: 0, max: 1000 }),
      }),
      (backend) => {
        const read = fromLbBackendSet({ backends: [backend as lb.models.Backend] });
        assert.deepEqual(read.backends.map(toLbBackendDetails), [{ ...backend }]);
      },
    ),
    RUNS,
  );
});

const STATES = new Set(["ACCEPTED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "CANCELING", "CANCELED"]);

Deno.test("lbWorkRequestStatus() and nlbWorkRequestStatus() read any answer as a known state", () => {
  const workRequest = fc.oneof(
    looseRecord({
      id: fc.constant("wr"),
      lifecycleState: fc.constantFrom("ACCEPTED", "IN_PROGRESS", "SUCCEEDED", "FAILED", "PAUSED"),
      status: fc.constantFrom("ACCEPTED", "SUCCEEDED", "FAILED", "CANCELED", "WAITING"),
      message: fc.string({ maxLength: 10 }),
      errorDetails: fc.array(looseRecord({ errorCode: fc.string(), message: fc.string() })),
    }),
    junkObject(["lifecycleState", "status", "message", "errorDetails"]),
  );
  fc.assert(
    fc.property(workRequest, fc.array(fc.string({ maxLength: 10 })), (answer, errors) => {
      const partial = (answer ?? {}) as Record<string, unknown>;
      for (
        const status of [
          lbWorkRequestStatus(partial as Partial<lb.models.WorkRequest>),
          nlbWorkRequestStatus(partial as Partial<nlb.models.WorkRequest>, errors),
        ]
      ) {
        assert.ok(STATES.has(status.state), status.state);
        assert.ok(status.message === undefined || typeof status.message === "string");
      }
    }),
    RUNS,
  );
});

const contextArb: fc.Arbitrary<OciCallContext> = fc.record({
  operation: fc.constantFrom(
    "read-backend-set" as const,
    "update-backend-set" as const,
    "read-work-request" as const,
  ),
  loadBalancerId: fc.constant("ocid1.loadbalancer.oc1.iad.aaaa"),
  backendSetName: fc.constant("web"),
  workRequestId: fc.constant("ocid1.workrequest.x"),
  notFound: fc.constantFrom(undefined, "load-balancer" as const, "backend-set" as const),
  authHint: fc.constantFrom(undefined, "a hint"),
}, { requiredKeys: ["operation", "loadBalancerId"] });

Deno.test("classifyError() turns anything thrown into one OciError naming the call", () => {
  const thrown = fc.oneof(
    hostile,
    fc.anything({ maxDepth: 2 }),
    looseRecord({
      statusCode: fc.oneof(
        fc.constantFrom(400, 401, 403, 404, 409, 412, 429, 500, 503),
        fc.integer(),
      ),
      serviceCode: fc.constantFrom("Conflict", "NotAuthorizedOrNotFound", "None"),
      message: fc.string({ maxLength: 20 }),
      opcRequestId: fc.constantFrom("abc", "", "unknown"),
    }),
    fc.string().map((text) => new SyntaxError(text)),
    fc.string().map((text) => new TypeError(text)),
  );
  fc.assert(
    fc.property(thrown, contextArb, (error, context) => {
      const classified = classifyError(error, context);
      assert.ok(classified instanceof OciError);
      assert.ok(classified.message.startsWith(describeCall(context)), classified.message);
    }),
    RUNS,
  );
});
