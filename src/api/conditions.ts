/** Condition types and reasons of LBRegistrar status (DESIGN §3, §8). */

export type ConditionType = "Ready" | "Reconciling" | "Stalled";

/** Every reason the operator writes; never free text. */
export type ConditionReason =
  | "BackendsRegistered"
  | "WorkRequestPending"
  | "InvalidSpec"
  | "CredentialsError"
  | "ServiceNotFound"
  | "NodePortNotAllocated"
  | "LoadBalancerNotFound"
  | "BackendSetNotFound"
  | "OwnershipConflict"
  | "OciError"
  | "Throttled"
  | "NoEligibleNodes"
  | "NoReadyEndpoints"
  | "Paused"
  | "DryRun";

/** Reasons a user must act on: Ready=False, Stalled=True. */
export const STALLED_REASONS: ReadonlySet<ConditionReason> = new Set<ConditionReason>([
  "InvalidSpec",
  "CredentialsError",
  "ServiceNotFound",
  "NodePortNotAllocated",
  "LoadBalancerNotFound",
  "BackendSetNotFound",
  "OwnershipConflict",
]);

/** Work in flight or a transient retry: Ready=False, Reconciling=True. */
export const RECONCILING_REASONS: ReadonlySet<ConditionReason> = new Set<ConditionReason>([
  "WorkRequestPending",
  "OciError",
  "Throttled",
]);
