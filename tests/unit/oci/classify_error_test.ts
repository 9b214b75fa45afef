import assert from "node:assert/strict";
import * as common from "oci-common";
import { classifyError, type OciCallContext } from "../../../src/oci/classify_error.ts";
import { OciError } from "../../../src/oci/errors.ts";

const LB = "ocid1.loadbalancer.oc1.iad.aaa";
const update: OciCallContext = {
  operation: "update-backend-set",
  loadBalancerId: LB,
  backendSetName: "web-http",
};
const read: OciCallContext = { ...update, operation: "read-backend-set" };

function sdkError(status: number | string, code: string, message: string, requestId = "1A2B") {
  return new common.OciError(
    status as number,
    code,
    message,
    requestId,
    "LoadBalancer",
    "updateBackendSet",
    new Date(0).toISOString(),
    `PUT http://127.0.0.1/20170115/loadBalancers/${LB}/backendSets/web-http`,
    "https://docs.oracle.com/",
  );
}

const byStatus = [
  { status: 409, code: "Conflict", kind: "conflict" },
  { status: 409, code: "IncorrectState", kind: "conflict" },
  { status: 412, code: "NoEtagMatch", kind: "precondition" },
  { status: 429, code: "TooManyRequests", kind: "throttled" },
  { status: 500, code: "InternalServerError", kind: "transient" },
  { status: 503, code: "ServiceUnavailable", kind: "transient" },
  { status: 401, code: "NotAuthenticated", kind: "auth" },
  { status: 400, code: "InvalidParameter", kind: "invalid" },
] as const;

for (const { status, code, kind } of byStatus) {
  Deno.test(`classifyError() maps ${status} ${code} to ${kind}`, () => {
    const error = classifyError(sdkError(status, code, "nope"), update);
    assert.ok(error instanceof OciError);
    assert.equal(error.kind, kind);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(error.opcRequestId, "1A2B");
  });
}

Deno.test("classifyError() names the operation, the backend set, the code and the opc-request-id", () => {
  const error = classifyError(
    sdkError(409, "Conflict", "Invalid State Transition of NLB lifeCycle state"),
    update,
  );
  assert.equal(
    error.message,
    `Cannot update backend set "web-http" of load balancer "${LB}": 409 Conflict (opc-request-id 1A2B): Invalid State Transition of NLB lifeCycle state`,
  );
});

Deno.test("classifyError() uses the status text when OCI gave no service code", () => {
  const error = classifyError(sdkError(500, "None", "oops", ""), read);
  assert.equal(
    error.message,
    `Cannot read backend set "web-http" of load balancer "${LB}": 500 Internal Server Error: oops`,
  );
  assert.equal(error.code, undefined);
  assert.equal(error.opcRequestId, undefined);
});

Deno.test("classifyError() trusts the follow-up lookup to tell the two 404s apart", () => {
  const notFound = sdkError(404, "NotAuthorizedOrNotFound", "Authorization failed or not found");
  assert.equal(
    classifyError(notFound, { ...read, notFound: "load-balancer" }).kind,
    "lb-not-found",
  );
  assert.equal(
    classifyError(notFound, { ...read, notFound: "backend-set" }).kind,
    "backend-set-not-found",
  );
});

Deno.test("classifyError() falls back to the message for a 404 without a lookup", () => {
  assert.equal(
    classifyError(sdkError(404, "NotFound", "Backend set web-http not found"), read).kind,
    "backend-set-not-found",
  );
  assert.equal(
    classifyError(sdkError(404, "NotAuthorizedOrNotFound", "Authorization failed"), read).kind,
    "lb-not-found",
  );
});

Deno.test("classifyError() says the load balancer was not found in plain words", () => {
  const error = classifyError(sdkError(404, "NotAuthorizedOrNotFound", "x"), {
    ...read,
    notFound: "load-balancer",
  });
  assert.match(error.message, /: load balancer not found, or the credentials may not read it: 404/);
});

Deno.test("classifyError() treats a 404 on a work request as a failed work request", () => {
  const error = classifyError(sdkError(404, "NotFound", "gone"), {
    operation: "read-work-request",
    loadBalancerId: LB,
    workRequestId: "wr1",
  });
  assert.equal(error.kind, "work-request-failed");
  assert.match(error.message, /^Cannot read work request "wr1" of load balancer "ocid1/);
});

Deno.test("classifyError() adds the auth hint to a 401 only", () => {
  const hint = "the configured fingerprint does not match";
  assert.match(
    classifyError(sdkError(401, "NotAuthenticated", "bad sig"), { ...read, authHint: hint })
      .message,
    /bad sig; the configured fingerprint does not match$/,
  );
  assert.doesNotMatch(
    classifyError(sdkError(409, "Conflict", "busy"), { ...read, authHint: hint }).message,
    /fingerprint/,
  );
});

const notHttp = [
  { name: "a fetch failure", error: { code: undefined, message: "fetch failed" } },
  { name: "an open circuit breaker", error: { code: "EOPENBREAKER", message: "Breaker is open" } },
  { name: "a TypeError", error: new TypeError("error sending request") },
  { name: "a string", error: "boom" },
];

for (const { name, error } of notHttp) {
  Deno.test(`classifyError() maps ${name} to transient`, () => {
    const classified = classifyError(error, read);
    assert.equal(classified.kind, "transient");
    assert.equal(classified.status, undefined);
    assert.match(classified.message, /^Cannot read backend set "web-http" .*: cannot reach OCI: /);
  });
}

Deno.test("classifyError() maps the SDK's wrapped breaker error (non-numeric status) to transient", () => {
  const error = classifyError(sdkError("EOPENBREAKER", "unknown code", "Breaker is open"), read);
  assert.equal(error.kind, "transient");
  assert.match(error.message, /EOPENBREAKER Breaker is open$/);
});

Deno.test("classifyError() passes an OciError through unchanged", () => {
  const original = new OciError("already classified", { kind: "credentials" });
  assert.equal(classifyError(original, read), original);
});
