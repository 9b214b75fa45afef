/**
 * API-key authentication: the SDK's SimpleAuthenticationDetailsProvider built from an `api-key`
 * credential, after the private key has been checked and decrypted here.
 *
 * Why decrypt here: the SDK parses the key with sshpk when a client is constructed, and with a wrong
 * passphrase sshpk also throws from a stream callback, which is an uncaught error that ends the
 * process. So the key is opened with node:crypto (PKCS#1, PKCS#8, encrypted PEM), refused with a
 * clear `credentials` error if that fails, and handed to the SDK as unencrypted PKCS#8.
 */

import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import * as common from "oci-common";
import { OciError } from "./errors.ts";
import type { OciCredentials } from "./port.ts";

/** The `api-key` member of `OciCredentials`. */
export type ApiKeyCredentials = Extract<OciCredentials, { kind: "api-key" }>;

/** A private key ready for the SDK. */
export interface OpenedPrivateKey {
  /** Unencrypted PKCS#8 PEM. Never logged. */
  pem: string;
  /** OCI's fingerprint of the key (MD5 of the DER public key, colon-separated hex). */
  fingerprint: string;
}

/** The provider and what was learned about the key while building it. */
export interface ApiKeyProvider {
  provider: common.SimpleAuthenticationDetailsProvider;
  /** Fingerprint computed from the key, to explain a 401 when it differs from the configured one. */
  keyFingerprint: string;
}

/**
 * Opens a PEM private key (PKCS#1 or PKCS#8, encrypted or not) with `passphrase`; throws an
 * `OciError` of kind "credentials" whose message never contains key material.
 */
export function openPrivateKey(text: string, passphrase?: string): OpenedPrivateKey {
  const privateKey = tidyPem(text);
  const encrypted = /ENCRYPTED PRIVATE KEY|Proc-Type:\s*4,\s*ENCRYPTED/.test(privateKey);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    throw keyError(
      "it is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)",
    );
  }
  if (encrypted && (passphrase === undefined || passphrase === "")) {
    throw keyError(
      "it is encrypted and no passphrase was given (set apiKey.privateKey.passphraseKey)",
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: privateKey,
      format: "pem",
      passphrase: encrypted ? passphrase : undefined,
    });
  } catch (error) {
    // OpenSSL's reasons name no key bytes; only the class of failure is reported anyway.
    throw encrypted
      ? keyError("the passphrase does not decrypt it", error)
      : keyError("it is not a valid PKCS#1 or PKCS#8 PEM private key", error);
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw keyError(`it is an ${key.asymmetricKeyType ?? "unknown"} key, OCI API keys are RSA`);
  }
  const pem = key.export({ type: "pkcs8", format: "pem" }).toString();
  return { pem, fingerprint: fingerprintOf(key) };
}

/**
 * `text` with CRLF line ends, indented or space-padded lines and blank lines around the key made
 * plain: OpenSSL refuses them, and they are what copying a key through a browser or a Windows file
 * leaves behind. Blank lines inside (after the headers of an encrypted PKCS#1 key) are kept.
 */
function tidyPem(text: string): string {
  return `${text.split(/\r\n|\r|\n/).map((line) => line.trim()).join("\n").trim()}\n`;
}

/** OCI's fingerprint of a private key: MD5 of the DER SubjectPublicKeyInfo, as "aa:bb:…". */
export function fingerprintOf(privateKey: KeyObject): string {
  const der = createPublicKey(privateKey).export({ type: "spki", format: "der" });
  return createHash("md5").update(der).digest("hex").replace(/(..)(?!$)/g, "$1:");
}

/**
 * The SDK provider for `credentials`; `region` is undefined when only `--oci-endpoint` locates OCI.
 * Throws `OciError` "credentials" for a key that cannot be used.
 */
export function createApiKeyProvider(
  credentials: ApiKeyCredentials,
  region: common.Region | undefined,
): ApiKeyProvider {
  const { tenancy, user, fingerprint, privateKey, passphrase } = credentials;
  const opened = openPrivateKey(privateKey, passphrase);
  const provider = new common.SimpleAuthenticationDetailsProvider(
    tenancy,
    user,
    fingerprint.trim(),
    opened.pem,
    null,
    region,
  );
  return { provider, keyFingerprint: opened.fingerprint };
}

function keyError(reason: string, cause?: unknown): OciError {
  // The cause is an OpenSSL error; it is kept for debugging, it carries no key bytes.
  return new OciError(`Cannot use the API key's private key: ${reason}`, {
    kind: "credentials",
    cause,
  });
}
