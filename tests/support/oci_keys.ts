/**
 * RSA API-signing keys for tests against the OCI simulator: the same key pair as PKCS#1, PKCS#8 and
 * encrypted PKCS#8 PEM, with the fingerprint OCI shows for it (md5 of the DER public key), and SDK
 * clients signed with it.
 */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import * as common from "oci-common";
import * as lb from "oci-loadbalancer";
import * as nlb from "oci-networkloadbalancer";

/** One RSA key pair in every PEM form the OCI SDK accepts, plus its OCI identity. */
export interface OciTestKey {
  publicPem: string;
  pkcs1Pem: string;
  pkcs8Pem: string;
  encryptedPkcs8Pem: string;
  passphrase: string;
  /** OCI fingerprint: md5 of the DER SubjectPublicKeyInfo, as colon-separated hex. */
  fingerprint: string;
  tenancy: string;
  user: string;
  /** `tenancy/user/fingerprint`, the keyId the SDK signs with. */
  keyId: string;
}

/** Fingerprint OCI computes for a public key: md5 of its DER SubjectPublicKeyInfo, colon hex. */
export function ociFingerprint(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: "spki", format: "der" });
  return createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
}

/** A fresh 2048-bit RSA key pair for the given user (tenancy and user default to demo OCIDs). */
export function generateOciTestKey(
  { tenancy = "ocid1.tenancy.oc1..test", user = "ocid1.user.oc1..test", passphrase = "s3cret" } =
    {},
): OciTestKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const fingerprint = ociFingerprint(publicPem);
  return {
    publicPem,
    pkcs1Pem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    pkcs8Pem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    encryptedPkcs8Pem: privateKey
      .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase })
      .toString(),
    passphrase,
    fingerprint,
    tenancy,
    user,
    keyId: `${tenancy}/${user}/${fingerprint}`,
  };
}

/** Which PEM form of the key the SDK is given. */
export type OciKeyForm = "pkcs1" | "pkcs8" | "encrypted-pkcs8";

/** The SDK's API-key provider for this key, in the given PEM form (region us-ashburn-1). */
export function ociAuthProvider(
  key: OciTestKey,
  form: OciKeyForm = "pkcs8",
): common.SimpleAuthenticationDetailsProvider {
  const pem = form === "pkcs1"
    ? key.pkcs1Pem
    : form === "pkcs8"
    ? key.pkcs8Pem
    : key.encryptedPkcs8Pem;
  return new common.SimpleAuthenticationDetailsProvider(
    key.tenancy,
    key.user,
    key.fingerprint,
    pem,
    form === "encrypted-pkcs8" ? key.passphrase : null,
    common.Region.US_ASHBURN_1,
  );
}

/** SDK clients of both APIs, signed with this key, pointed at `endpoint`, SDK retries and breaker off. */
export function ociClients(endpoint: string, key: OciTestKey, form: OciKeyForm = "pkcs8") {
  const params = { authenticationDetailsProvider: ociAuthProvider(key, form) };
  // Deterministic tests: every call reaches the simulator exactly once.
  const configuration = () => ({
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  });
  const lbClient = new lb.LoadBalancerClient(params, configuration());
  lbClient.endpoint = endpoint;
  const nlbClient = new nlb.NetworkLoadBalancerClient(params, configuration());
  nlbClient.endpoint = endpoint;
  return { lbClient, nlbClient };
}
