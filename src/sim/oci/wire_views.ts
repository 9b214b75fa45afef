/** JSON bodies in the shapes the SDK models expect (oci-loadbalancer / oci-networkloadbalancer 2.139.1). */
import type { SimLoadBalancer, WireObject } from "./types.ts";
import { type WorkRequest, workRequestState } from "./work_requests.ts";

const FAILURE_MESSAGE = "The work request failed (injected by the simulator)";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** `LoadBalancer` (classic) or `NetworkLoadBalancer`, with its backend sets. */
export function loadBalancerView(lb: SimLoadBalancer, updating: boolean): WireObject {
  const backendSets = Object.fromEntries(
    [...lb.backendSets].map(([name, stored]) => [name, stored.body]),
  );
  const common = {
    id: lb.id,
    compartmentId: lb.compartmentId,
    displayName: lb.displayName,
    timeCreated: lb.timeCreated,
    isPrivate: true,
    ipAddresses: [{ ipAddress: "10.0.0.100", isPublic: false }],
    listeners: {},
    backendSets,
    freeformTags: {},
    definedTags: {},
  };
  if (lb.kind === "lb") {
    // The classic API has no UPDATING state: an LB stays ACTIVE while work requests run.
    return { ...common, lifecycleState: "ACTIVE", shapeName: "flexible", subnetIds: [] };
  }
  return {
    ...common,
    lifecycleState: updating ? "UPDATING" : "ACTIVE",
    subnetId: "ocid1.subnet.oc1..simulated",
    nlbIpVersion: "IPV4",
    isPreserveSourceDestination: false,
    isSymmetricHashEnabled: false,
  };
}

/** `WorkRequest` of the classic API. */
export function lbWorkRequestView(wr: WorkRequest, now: number): WireObject {
  const state = workRequestState(wr, now);
  return {
    id: wr.id,
    loadBalancerId: wr.lbId,
    type: "UpdateBackendSet",
    compartmentId: wr.compartmentId,
    lifecycleState: state,
    message: state === "FAILED"
      ? FAILURE_MESSAGE
      : `UpdateBackendSet ${wr.backendSetName}: ${state}`,
    timeAccepted: iso(wr.acceptedAt),
    timeFinished: iso(wr.finishedAt),
    errorDetails: state === "FAILED"
      ? [{ errorCode: "INTERNAL_ERROR", message: FAILURE_MESSAGE }]
      : [],
  };
}

/** `WorkRequest` / `WorkRequestSummary` of the NLB API. */
export function nlbWorkRequestView(wr: WorkRequest, now: number): WireObject {
  const state = workRequestState(wr, now);
  return {
    id: wr.id,
    operationType: "UPDATE_BACKENDSET",
    status: state,
    compartmentId: wr.compartmentId,
    resources: [{
      entityType: "NetworkLoadBalancer",
      actionType: state === "SUCCEEDED"
        ? "UPDATED"
        : state === "FAILED"
        ? "RELATED"
        : "IN_PROGRESS",
      identifier: wr.lbId,
      entityUri: `/20200501/networkLoadBalancers/${wr.lbId}/backendSets/${wr.backendSetName}`,
    }],
    percentComplete: state === "SUCCEEDED" ? 100 : state === "IN_PROGRESS" ? 50 : 0,
    timeAccepted: iso(wr.acceptedAt),
    timeStarted: state === "ACCEPTED" ? undefined : iso(wr.inProgressAt),
    timeFinished: iso(wr.finishedAt),
  };
}

/** `WorkRequestErrorCollection` of the NLB API. */
export function nlbWorkRequestErrorsView(wr: WorkRequest, now: number): WireObject {
  const failed = workRequestState(wr, now) === "FAILED";
  return {
    items: failed
      ? [{ code: "INTERNAL_ERROR", message: FAILURE_MESSAGE, timestamp: iso(wr.finishedAt) }]
      : [],
  };
}
