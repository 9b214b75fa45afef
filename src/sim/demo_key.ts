/**
 * A throw-away OCI API signing key for the simulators: an RSA key pair, the fingerprint OCI would
 * show for it, and demo tenancy and user OCIDs. The OCI simulator trusts it once registered.
 */

import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";

/** Tenancy OCID of the demo key. */
export const DEMO_TENANCY_ID = "ocid1.tenancy.oc1..demoaaaaaaaatenancy";
/** User OCID of the demo key. */
export const DEMO_USER_ID = "ocid1.user.oc1..demoaaaaaaaauser";

/** One API signing key and its OCI identity. */
export interface DemoKey {
  readonly tenancy: string;
  readonly user: string;
  /** md5 of the DER public key, colon-separated hex, as the OCI console shows it. */
  readonly fingerprint: string;
  /** `tenancy/user/fingerprint`, the keyId requests are signed with. */
  readonly keyId: string;
  readonly publicPem: string;
  /** PKCS#8 PEM; a secret: store it, never print or log it. */
  readonly privatePem: string;
}

/** Fingerprint OCI computes for a public key: md5 of its DER SubjectPublicKeyInfo, colon hex. */
export function ociFingerprint(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: "spki", format: "der" });
  return (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":");
}

/** A fresh 2048-bit RSA key for the demo tenancy and user. */
export function generateDemoKey(
  { tenancy = DEMO_TENANCY_ID, user = DEMO_USER_ID }: { tenancy?: string; user?: string } = {},
): DemoKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const fingerprint = ociFingerprint(publicPem);
  return {
    tenancy,
    user,
    fingerprint,
    keyId: `${tenancy}/${user}/${fingerprint}`,
    publicPem,
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
