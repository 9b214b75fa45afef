import assert from "node:assert/strict";
import { createClientCache, credentialCacheKey } from "../../../src/oci/client_cache.ts";
import type { OciCredentials } from "../../../src/oci/port.ts";

const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";

function apiKey(
  overrides: Partial<Extract<OciCredentials, { kind: "api-key" }>> = {},
): OciCredentials {
  return {
    kind: "api-key",
    tenancy: "ocid1.tenancy.oc1..t",
    user: "ocid1.user.oc1..u",
    fingerprint: "aa:bb:cc",
    privateKey: PEM,
    region: "us-ashburn-1",
    ...overrides,
  };
}

Deno.test("credentialCacheKey() is a hex digest that never contains the key or passphrase", () => {
  const key = credentialCacheKey(apiKey({ passphrase: "hunter2" }), "us-ashburn-1");
  assert.match(key, /^[0-9a-f]{64}$/);
  assert.ok(!key.includes("MIIE"));
  assert.ok(!key.includes("hunter2"));
});

Deno.test("credentialCacheKey() is the same for the same credentials", () => {
  assert.equal(
    credentialCacheKey(apiKey(), "us-ashburn-1"),
    credentialCacheKey(apiKey({ fingerprint: " AA:BB:CC " }), "us-ashburn-1"),
  );
});

const changes: { name: string; credentials: OciCredentials; region?: string }[] = [
  { name: "the private key", credentials: apiKey({ privateKey: PEM.replace("MIIE", "MIIF") }) },
  { name: "the passphrase", credentials: apiKey({ passphrase: "other" }) },
  { name: "the fingerprint", credentials: apiKey({ fingerprint: "aa:bb:cd" }) },
  { name: "the user", credentials: apiKey({ user: "ocid1.user.oc1..v" }) },
  { name: "the tenancy", credentials: apiKey({ tenancy: "ocid1.tenancy.oc1..s" }) },
  { name: "the region", credentials: apiKey(), region: "eu-frankfurt-1" },
  { name: "the kind", credentials: { kind: "default", region: "us-ashburn-1" } },
];

for (const { name, credentials, region = "us-ashburn-1" } of changes) {
  Deno.test(`credentialCacheKey() changes with ${name}`, () => {
    assert.notEqual(
      credentialCacheKey(credentials, region),
      credentialCacheKey(apiKey(), "us-ashburn-1"),
    );
  });
}

Deno.test("createClientCache() forgets the least recently used entry beyond its size", () => {
  const cache = createClientCache<number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1); // "b" is now the least recently used
  cache.set("c", 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
});

Deno.test("createClientCache() deletes an entry on request", () => {
  const cache = createClientCache<string>(4);
  cache.set("k", "client");
  assert.equal(cache.delete("k"), true);
  assert.equal(cache.get("k"), undefined);
  assert.equal(cache.size, 0);
});

Deno.test("createClientCache() refuses a size below one", () => {
  assert.throws(() => createClientCache(0), /BUG: client cache size/);
});
