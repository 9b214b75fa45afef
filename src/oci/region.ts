/** OCI regions as the SDK knows them, from a region id ("us-ashburn-1") or a short code ("iad"). */

import * as common from "oci-common";

/** The SDK's Region for a region id or short code, case and spaces ignored; undefined if unknown. */
export function resolveRegion(region: string): common.Region | undefined {
  const wanted = region.trim().toLowerCase();
  if (wanted === "") return undefined;
  // Short codes have no dash ("iad", "fra"); the SDK returns its input when it knows no such code.
  const regionId = wanted.includes("-") ? wanted : common.Region.getRegionIdFromShortCode(wanted);
  return common.Region.fromRegionId(regionId);
}

/**
 * The region part of an OCID (`ocid1.loadbalancer.oc1.iad.aaaa…` → "iad"), or undefined when the
 * OCID has none (tenancy-level OCIDs leave it empty).
 */
export function regionOfOcid(ocid: string): string | undefined {
  const region = ocid.split(".")[3];
  return region === undefined || region === "" ? undefined : region;
}
