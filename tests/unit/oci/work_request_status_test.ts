import assert from "node:assert/strict";
import type * as lb from "oci-loadbalancer";
import {
  lbWorkRequestStatus,
  nlbWorkRequestStatus,
  workRequestIdOf,
} from "../../../src/oci/_work_request_status.ts";
import { OciError } from "../../../src/oci/errors.ts";

Deno.test("lbWorkRequestStatus() maps lifecycleState and keeps the progress message", () => {
  assert.deepEqual(
    lbWorkRequestStatus({
      lifecycleState: "IN_PROGRESS" as never,
      message: "UpdateBackendSet - running",
    }),
    {
      state: "IN_PROGRESS",
      message: "UpdateBackendSet - running",
    },
  );
  assert.deepEqual(lbWorkRequestStatus({ lifecycleState: "SUCCEEDED" as never, message: "" }), {
    state: "SUCCEEDED",
  });
});

Deno.test("lbWorkRequestStatus() explains a failure with its errorDetails", () => {
  const workRequest: Partial<lb.models.WorkRequest> = {
    lifecycleState: "FAILED" as lb.models.WorkRequest.LifecycleState,
    message: "UpdateBackendSet - failed",
    errorDetails: [
      {
        errorCode: "BAD_INPUT" as lb.models.WorkRequestError.ErrorCode,
        message: "port out of range",
      },
      { errorCode: "INTERNAL_ERROR" as lb.models.WorkRequestError.ErrorCode, message: "try later" },
    ],
  };
  assert.deepEqual(lbWorkRequestStatus(workRequest), {
    state: "FAILED",
    message: "BAD_INPUT: port out of range; INTERNAL_ERROR: try later",
  });
});

Deno.test("lbWorkRequestStatus() keeps waiting on a state it does not know", () => {
  const status = lbWorkRequestStatus({ lifecycleState: "UNKNOWN_VALUE" as never });
  assert.equal(status.state, "IN_PROGRESS");
  assert.match(status.message ?? "", /unknown work request state "UNKNOWN_VALUE"/);
});

Deno.test("nlbWorkRequestStatus() maps status and explains a failure with the listed errors", () => {
  assert.deepEqual(nlbWorkRequestStatus({ status: "ACCEPTED" as never }), { state: "ACCEPTED" });
  assert.deepEqual(
    nlbWorkRequestStatus({ status: "CANCELED" as never }, ["X: cancelled by user"]),
    {
      state: "CANCELED",
      message: "X: cancelled by user",
    },
  );
});

Deno.test("workRequestIdOf() returns the id, or a transient error when OCI sent none", () => {
  const context = {
    operation: "update-backend-set",
    loadBalancerId: "ocid1.loadbalancer.oc1.iad.a",
    backendSetName: "b",
  } as const;
  assert.equal(workRequestIdOf("wr1", context), "wr1");
  assert.throws(
    () => workRequestIdOf(undefined, context),
    (error: unknown) =>
      error instanceof OciError && error.kind === "transient" &&
      /no work request id/.test(error.message),
  );
});

Deno.test("nlbWorkRequestStatus() reads a garbled status object as unknown without throwing", () => {
  const garbled = { status: { toString: 0 } } as unknown as Parameters<
    typeof nlbWorkRequestStatus
  >[0];
  assert.deepEqual(nlbWorkRequestStatus(garbled), {
    state: "IN_PROGRESS",
    message: 'OCI reported unknown work request state "{"toString":0}"',
  });
});
