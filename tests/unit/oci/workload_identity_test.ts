import assert from "node:assert/strict";
import { parseProxymuxAnswer, proxymuxUrl } from "../../../src/oci/workload_identity.ts";

function base64url(text: string): string {
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function jwt(claims: Record<string, unknown>): string {
  return `${base64url('{"alg":"RS256"}')}.${base64url(JSON.stringify(claims))}.c2ln`;
}

Deno.test("proxymuxUrl() builds the token URL and brackets an IPv6 host", () => {
  assert.equal(
    proxymuxUrl("10.96.0.1", "12250"),
    "https://10.96.0.1:12250/resourcePrincipalSessionTokens",
  );
  assert.equal(
    proxymuxUrl("fd00:10:96::1", "12250"),
    "https://[fd00:10:96::1]:12250/resourcePrincipalSessionTokens",
  );
});

Deno.test("parseProxymuxAnswer() takes the token out of the base64 JSON and strips ST$", () => {
  const token = jwt({ exp: 1_900_000_000, res_tenant: "t" });
  const answer = btoa(JSON.stringify({ token: `ST$${token}` }));
  assert.deepEqual(parseProxymuxAnswer(`${answer}\n`), {
    value: token,
    expiresAtMs: 1_900_000_000_000,
  });
});

Deno.test("parseProxymuxAnswer() refuses answers that carry no usable token", () => {
  const cases = [
    ["not base64 JSON", "<html>proxy error</html>", /other than a token/],
    ["no token", btoa("{}"), /without a token/],
    ["not a JWT", btoa(JSON.stringify({ token: "ST$opaque" })), /not a JWT with an expiry/],
    [
      "JWT without exp",
      btoa(JSON.stringify({ token: `ST$${jwt({ sub: "x" })}` })),
      /not a JWT with an expiry/,
    ],
  ] as const;
  for (const [name, body, message] of cases) {
    assert.throws(() => parseProxymuxAnswer(body), message, name);
  }
});
