import assert from "node:assert/strict";
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import * as common from "oci-common";
import { createApiKeyProvider, openPrivateKey } from "../../../src/oci/api_key_provider.ts";
import { OciError } from "../../../src/oci/errors.ts";
import { generateOciTestKey } from "../../support/oci_keys.ts";

const key = generateOciTestKey({ passphrase: "correct horse" });

/** A body line of each PEM: none of them may appear in an error message. */
const secrets = [key.pkcs1Pem, key.pkcs8Pem, key.encryptedPkcs8Pem]
  .map((pem) => pem.split("\n")[2] ?? "")
  .concat([key.passphrase, "wrong horse"]);

function assertCredentialsError(run: () => unknown, reason: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof OciError);
    assert.equal(error.kind, "credentials");
    assert.match(error.message, /^Cannot use the API key's private key: /);
    assert.match(error.message, reason);
    for (const secret of secrets) {
      assert.ok(!error.message.includes(secret), "message leaks key material");
    }
    return true;
  });
}

const forms = [
  { name: "PKCS#1", pem: key.pkcs1Pem, passphrase: undefined },
  { name: "PKCS#8", pem: key.pkcs8Pem, passphrase: undefined },
  { name: "encrypted PKCS#8", pem: key.encryptedPkcs8Pem, passphrase: key.passphrase },
  {
    name: "encrypted PKCS#1",
    pem: createPrivateKey(key.pkcs8Pem).export({
      type: "pkcs1",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: key.passphrase,
    }).toString(),
    passphrase: key.passphrase,
  },
];

for (const { name, pem, passphrase } of forms) {
  Deno.test(`openPrivateKey() opens a ${name} key as unencrypted PKCS#8 with OCI's fingerprint`, () => {
    const opened = openPrivateKey(pem, passphrase);
    assert.match(opened.pem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(opened.fingerprint, key.fingerprint);
  });
}

Deno.test("openPrivateKey() refuses text that is not PEM", () => {
  assertCredentialsError(() => openPrivateKey("just some text"), /it is not a PEM private key/);
});

Deno.test("openPrivateKey() refuses a damaged PEM", () => {
  const damaged = key.pkcs8Pem.replace(/\n[A-Za-z0-9+/]{20}/, "\n!!!!");
  assertCredentialsError(
    () => openPrivateKey(damaged),
    /not a valid PKCS#1 or PKCS#8 PEM private key/,
  );
});

Deno.test("openPrivateKey() refuses an encrypted key without a passphrase", () => {
  assertCredentialsError(
    () => openPrivateKey(key.encryptedPkcs8Pem),
    /encrypted and no passphrase was given \(set apiKey\.privateKey\.passphraseKey\)$/,
  );
});

Deno.test("openPrivateKey() refuses a wrong passphrase", () => {
  assertCredentialsError(
    () => openPrivateKey(key.encryptedPkcs8Pem, "wrong horse"),
    /the passphrase does not decrypt it$/,
  );
});

Deno.test("openPrivateKey() refuses a key that is not RSA", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  assertCredentialsError(() => openPrivateKey(pem), /it is an ed25519 key, OCI API keys are RSA$/);
});

Deno.test("createApiKeyProvider() builds the SDK provider with the decrypted key and the region", async () => {
  const region = common.Region.US_ASHBURN_1;
  const { provider, keyFingerprint } = createApiKeyProvider({
    kind: "api-key",
    tenancy: key.tenancy,
    user: key.user,
    fingerprint: ` ${key.fingerprint}\n`,
    privateKey: key.encryptedPkcs8Pem,
    passphrase: key.passphrase,
    region: "us-ashburn-1",
  }, region);
  assert.equal(await provider.getKeyId(), key.keyId);
  assert.equal(provider.getPassphrase(), null);
  assert.match(provider.getPrivateKey(), /^-----BEGIN PRIVATE KEY-----/);
  assert.equal(provider.getRegion(), region);
  assert.equal(keyFingerprint, key.fingerprint);
});
