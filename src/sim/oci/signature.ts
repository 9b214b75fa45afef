/**
 * Server side of OCI request signing (draft-cavage http-signatures, rsa-sha256), as the OCI SDK signs:
 * keyId `tenancy/user/fingerprint`, signed headers `x-date (request-target) host`, plus
 * `content-type content-length x-content-sha256` for bodies. Names are lower-cased in the signing string.
 */
import { Buffer } from "node:buffer";
import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const BODY_HEADERS = ["content-type", "content-length", "x-content-sha256"];

/** A request as received: `body` is null for GET, `now` the server clock in epoch ms. */
export interface SignedRequest {
  request: Request;
  url: URL;
  body: Uint8Array | null;
  now: number;
}

/** Checks signatures against registered public keys; imported keys are cached. */
export interface SignatureVerifier {
  registerKey(keyId: string, publicPem: string): void;
  /** Why the request is refused, or null when its signature, date and body digest hold. */
  refusal(signed: SignedRequest): string | null;
}

/** A verifier that accepts `x-date`/`date` within `maxSkewMs` of the server clock. */
export function createSignatureVerifier({ maxSkewMs = 5 * 60_000 } = {}): SignatureVerifier {
  const keys = new Map<string, KeyObject>();

  function refusal({ request, url, body, now }: SignedRequest) {
    const authorization = request.headers.get("authorization");
    if (!authorization?.startsWith("Signature ")) return "no Signature authorization header";
    const params = parseSignatureParams(authorization.slice("Signature ".length));
    const { keyId, algorithm, headers, signature } = params;
    if (!keyId || !headers || !signature) return "the signature lacks keyId, headers or signature";
    if (algorithm !== "rsa-sha256") return `algorithm "${algorithm}" is not rsa-sha256`;
    const key = keys.get(keyId);
    if (!key) return `keyId "${keyId}" is not registered`;

    const signed = headers.toLowerCase().split(" ").filter(Boolean);
    const required = ["(request-target)", "host"];
    if (BODY_METHODS.has(request.method)) required.push(...BODY_HEADERS);
    const missing = required.filter((name) => !signed.includes(name));
    if (!signed.includes("x-date") && !signed.includes("date")) missing.push("x-date");
    if (missing.length > 0) return `headers not signed: ${missing.join(", ")}`;

    const dateText = request.headers.get("x-date") ?? request.headers.get("date");
    const date = dateText === null ? NaN : Date.parse(dateText);
    if (Number.isNaN(date)) return "x-date is missing or unreadable";
    if (Math.abs(now - date) > maxSkewMs) {
      return `x-date "${dateText}" is more than ${maxSkewMs / 1000}s from the server clock`;
    }

    const lines: string[] = [];
    for (const name of signed) {
      if (name === "(request-target)") {
        lines.push(
          `(request-target): ${request.method.toLowerCase()} ${url.pathname}${url.search}`,
        );
        continue;
      }
      const value = request.headers.get(name);
      if (value === null) return `signed header "${name}" is absent`;
      lines.push(`${name}: ${value}`);
    }
    const ok = verify(
      "sha256",
      new TextEncoder().encode(lines.join("\n")),
      key,
      Buffer.from(signature, "base64"),
    );
    if (!ok) return `signature does not verify with key "${keyId}"`;

    if (BODY_METHODS.has(request.method)) {
      const bytes = body ?? new Uint8Array();
      if (request.headers.get("content-length") !== String(bytes.byteLength)) {
        return `content-length does not match the body (${bytes.byteLength} bytes)`;
      }
      const digest = createHash("sha256").update(bytes).digest("base64");
      if (request.headers.get("x-content-sha256") !== digest) {
        return "x-content-sha256 does not match the body";
      }
    }
    return null;
  }

  return {
    registerKey(keyId, publicPem) {
      keys.set(keyId, createPublicKey(publicPem));
    },
    refusal,
  };
}

function parseSignatureParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}
