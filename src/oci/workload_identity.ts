/**
 * OKE workload identity: an SDK provider that signs with a session key whose token (RPST) the OKE
 * proxymux service issues in exchange for the pod's service-account token.
 *
 * Why not the SDK's OkeWorkloadIdentityAuthenticationDetailsProviderBuilder: it trusts the
 * cluster CA through a node `https.Agent`, which Deno's fetch ignores, so under Deno every token
 * request fails with "fetch failed" (measured against a loopback proxymux). This speaks the same
 * protocol with a `Deno.HttpClient` that trusts the cluster CA, and re-reads the service-account
 * token at every refresh, so a rotated projected token is picked up.
 */

import { generateKeyPairSync } from "node:crypto";
import type * as common from "oci-common";
import { fileErrorReason } from "./_file_reason.ts";

/** Where the proxymux is and how the pod proves who it is. */
export interface WorkloadIdentitySettings {
  /** `https://<KUBERNETES_SERVICE_HOST>:<KUBERNETES_SERVICE_PORT_PROXYMUX>/resourcePrincipalSessionTokens` */
  url: string;
  /** The projected service-account token. */
  tokenPath: string;
  /** The CA that signed the proxymux's certificate (the cluster CA). */
  caPath: string;
}

export interface WorkloadIdentityOptions extends WorkloadIdentitySettings {
  /** @default Deno.readTextFileSync */
  readTextFile?: (path: string) => string;
  /** @default Date.now */
  now?: () => number;
  /** Longest wait for the proxymux. @default 30_000 */
  timeoutMs?: number;
}

/** A provider that also fetches a new token on demand. */
export interface WorkloadIdentityProvider extends common.AuthenticationDetailsProvider {
  /** Fetches a new token with a new session key; resolves with the token. */
  refresh(): Promise<string>;
}

interface Session {
  /** PKCS#8 PEM of the session key. Never logged. */
  privatePem: string;
  /** Base64 DER of the public key, as the proxymux wants it. */
  podKey: string;
}

/** A session token the proxymux issued. */
export interface ProxymuxToken {
  /** The RPST without its "ST$" prefix. Never logged. */
  value: string;
  expiresAtMs: number;
}

/** A token is renewed this long before it expires, so no request is signed with a dying one. */
const RENEW_BEFORE_MS = 60_000;

/** The proxymux URL for the service host and port the pod's environment gives. */
export function proxymuxUrl(host: string, port: string): string {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `https://${bracketed}:${port}/resourcePrincipalSessionTokens`;
}

/**
 * A provider for OKE workload identity; nothing is contacted until the first `getKeyId()` (or
 * `refresh()`). Failures reject with a plain Error whose message carries no token.
 */
export function createWorkloadIdentityProvider(
  options: WorkloadIdentityOptions,
): WorkloadIdentityProvider {
  const {
    url,
    tokenPath,
    caPath,
    readTextFile = Deno.readTextFileSync,
    now = Date.now,
    timeoutMs = 30_000,
  } = options;
  let session = newSession();
  let token: ProxymuxToken | undefined;
  let refreshing: Promise<string> | undefined;

  function read(what: string, path: string): string {
    try {
      return readTextFile(path);
    } catch (error) {
      throw new Error(`cannot read ${what} "${path}": ${fileErrorReason(error)}`, { cause: error });
    }
  }

  async function fetchToken(): Promise<string> {
    // The first token goes with the key made at construction (the SDK's signer has parsed it).
    const next = token === undefined ? session : newSession();
    const serviceAccountToken = read("the service account token", tokenPath).trim();
    const client = Deno.createHttpClient({ caCerts: [read("the cluster CA", caPath)] });
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: {
            authorization: `Bearer ${serviceAccountToken}`,
            "content-type": "application/json",
          },
          body: JSON.stringify({ podKey: next.podKey }),
          client,
          signal: abort.signal,
        });
      } catch (error) {
        const reason = abort.signal.aborted
          ? `no answer in ${timeoutMs / 1000} s`
          : error instanceof Error
          ? error.message
          : String(error);
        throw new Error(`cannot reach the OKE proxymux at ${url}: ${reason}`, { cause: error });
      }
      const body = await response.text();
      if (!response.ok) {
        const refused = response.status === 401 || response.status === 403
          ? " (it refused the service account token)"
          : "";
        throw new Error(
          `the OKE proxymux at ${url} answered ${response.status} ${response.statusText}`
            .trimEnd() +
            refused,
        );
      }
      const issued = parseProxymuxAnswer(body);
      session = next;
      token = issued;
      return issued.value;
    } finally {
      clearTimeout(timer);
      client.close();
    }
  }

  function refresh(): Promise<string> {
    refreshing ??= fetchToken().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    async getKeyId() {
      const current = token !== undefined && now() < token.expiresAtMs - RENEW_BEFORE_MS
        ? token.value
        : await refresh();
      return `ST$${current}`;
    },
    getPrivateKey: () => session.privatePem,
    getPassphrase: () => null,
    refresh,
  };
}

/**
 * The token in a proxymux answer: base64 of `{"token":"ST$<jwt>"}`. Throws when it is not that
 * shape or the JWT has no `exp`.
 */
export function parseProxymuxAnswer(body: string): ProxymuxToken {
  let value: unknown;
  try {
    value = (JSON.parse(new TextDecoder().decode(base64Bytes(body.trim()))) as { token?: unknown })
      .token;
  } catch {
    throw new Error("the OKE proxymux answered with something other than a token");
  }
  if (typeof value !== "string" || value.length <= 3) {
    throw new Error("the OKE proxymux answered without a token");
  }
  const jwt = value.startsWith("ST$") ? value.slice(3) : value;
  let exp: unknown;
  try {
    const payload = jwt.split(".")[1] ?? "";
    exp = (JSON.parse(new TextDecoder().decode(base64Bytes(payload))) as { exp?: unknown }).exp;
  } catch {
    // reported below with the other shapes we refuse
  }
  if (typeof exp !== "number") {
    throw new Error("the OKE proxymux answered with a token that is not a JWT with an expiry");
  }
  return { value: jwt, expiresAtMs: exp * 1000 };
}

/** Base64 or base64url, padded or not. */
function base64Bytes(text: string): Uint8Array {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - standard.length % 4) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function newSession(): Session {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    podKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
  };
}
