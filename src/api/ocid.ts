/**
 * Reading OCIDs: `ocid1.<resource type>.<realm>.<region>.<unique id>` (the region part is empty for
 * global resources such as tenancies and users).
 */

/** Pattern every `spec.loadBalancerId` must match (also in the CRD). */
export const LB_OCID_PATTERN = /^ocid1\.(loadbalancer|networkloadbalancer)\./;

/** An OCID with a non-empty region part; the CRD's rule for `spec.apiKey.region` uses the same expression. */
const OCID_REGION = /^ocid1\.[^.]+\.[^.]*\.([^.]+)\./;

/** The parts of an OCID. */
export interface Ocid {
  resourceType: string;
  realm: string;
  /** Region id (`us-ashburn-1`) or short code (`iad`) as written; undefined when the part is empty. */
  region?: string;
  unique: string;
}

/** The parts of `ocid`, or undefined when it is not `ocid1.` followed by at least four parts. */
export function parseOcid(ocid: string): Ocid | undefined {
  const parts = ocid.split(".");
  if (parts.length < 5 || parts[0] !== "ocid1") return undefined;
  const [, resourceType = "", realm = "", region = ""] = parts;
  // The unique part is everything after the region; OCI keeps a "future use" part there.
  const unique = parts.slice(4).join(".");
  if (resourceType === "" || unique === "") return undefined;
  return region === "" ? { resourceType, realm, unique } : { resourceType, realm, region, unique };
}

/**
 * Region part of an OCID as written: an id like `ap-tokyo-1` or a short code like `nrt`, `iad`.
 * This module stays free of the OCI SDK, so short codes are mapped by the OCI layer
 * (`Region.getRegionIdFromShortCode()` of oci-common returns the id, `Region.fromRegionId()` the Region).
 */
export function regionFromOcid(ocid: string): string | undefined {
  return OCID_REGION.exec(ocid)?.[1];
}

/** Which API serves a load balancer OCID: classic Load Balancer, Network Load Balancer, or neither. */
export function lbKind(ocid: string): "lb" | "nlb" | undefined {
  if (ocid.startsWith("ocid1.networkloadbalancer.")) return "nlb";
  if (ocid.startsWith("ocid1.loadbalancer.")) return "lb";
  return undefined;
}
