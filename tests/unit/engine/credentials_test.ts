import assert from "node:assert/strict";
import { resolveCredentials } from "../../../src/engine/credentials.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import type { SecretKeyRef } from "../../../src/kube/port.ts";

const apiKey = {
  user: "ocid1.user.oc1..u",
  fingerprint: "aa:bb",
  tenancy: "ocid1.tenancy.oc1..t",
  region: "us-ashburn-1",
  secret: { namespace: "keys", name: "oci", key: "private-key" },
};

function secrets(data: Record<string, string | KubeError>) {
  const reads: string[] = [];
  return {
    reads,
    readSecretKey(ref: SecretKeyRef) {
      reads.push(`${ref.namespace}/${ref.name}#${ref.key}`);
      const value = data[ref.key];
      if (value === undefined) {
        return Promise.reject(new KubeError(`key "${ref.key}" missing`, { kind: "key-missing" }));
      }
      return value instanceof KubeError ? Promise.reject(value) : Promise.resolve(value);
    },
  };
}

Deno.test("resolveCredentials() uses the default auth when there is no apiKey", async () => {
  const cluster = secrets({});
  const result = await resolveCredentials("web", { region: "iad" }, cluster);
  assert.deepEqual(result, { ok: true, credentials: { kind: "default", region: "iad" } });
  assert.deepEqual(cluster.reads, []);
});

Deno.test("resolveCredentials() reads the key and the passphrase from the Secret", async () => {
  const cluster = secrets({ "private-key": "-----BEGIN PRIVATE KEY-----", pass: "s3cret" });
  const ref = { ...apiKey, secret: { ...apiKey.secret, passphraseKey: "pass" } };
  const result = await resolveCredentials("web", { apiKey: ref }, cluster);
  assert.ok(result.ok);
  assert.equal(result.credentials.kind, "api-key");
  assert.deepEqual(cluster.reads, ["keys/oci#private-key", "keys/oci#pass"]);
  if (result.credentials.kind === "api-key") {
    assert.equal(result.credentials.passphrase, "s3cret");
    assert.equal(result.credentials.region, "us-ashburn-1");
  }
});

Deno.test("resolveCredentials() names the object and the Secret when the key is missing", async () => {
  const result = await resolveCredentials("web", { apiKey }, secrets({}));
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.retry, false);
    assert.match(result.message, /LBRegistrar "web".*key "private-key" missing/);
  }
});

Deno.test("resolveCredentials() refuses an empty key without retrying", async () => {
  const result = await resolveCredentials("web", { apiKey }, secrets({ "private-key": " \n" }));
  assert.equal(result.ok, false);
  if (!result.ok) assert.match(result.message, /secret "keys\/oci" is empty/);
});

Deno.test("resolveCredentials() marks an API server hiccup as worth a retry", async () => {
  const down = new KubeError("connection refused", { kind: "transient" });
  const result = await resolveCredentials("web", { apiKey }, secrets({ "private-key": down }));
  assert.deepEqual(result.ok ? undefined : result.retry, true);
});
