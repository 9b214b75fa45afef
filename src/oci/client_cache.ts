/**
 * A bounded least-recently-used cache of OCI clients, keyed by a digest of the credential, so a
 * client is reused while the key material is unchanged (DESIGN §8) and no raw key is kept as a key.
 */

import { createHash } from "node:crypto";
import type { OciCredentials } from "./port.ts";

/** The cache key of `credentials` used in `region`: a SHA-256 digest, never the key itself. */
export function credentialCacheKey(credentials: OciCredentials, region: string): string {
  const parts = credentials.kind === "api-key"
    ? [
      "api-key",
      credentials.tenancy,
      credentials.user,
      credentials.fingerprint.trim().toLowerCase(),
      region,
      sha256(credentials.privateKey),
      // A changed passphrase rebuilds the client, so a wrong new one is reported, not ignored.
      credentials.passphrase === undefined ? "" : sha256(credentials.passphrase),
    ]
    : ["default", region];
  return sha256(JSON.stringify(parts));
}

/** A map that forgets its least recently used entry beyond `maxEntries`. */
export interface ClientCache<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  delete(key: string): boolean;
  readonly size: number;
}

/** An empty cache holding at most `maxEntries` values. */
export function createClientCache<T>(maxEntries: number): ClientCache<T> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`BUG: client cache size must be a positive integer, got ${maxEntries}`);
  }
  const entries = new Map<string, T>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        // Re-insert so Map order is least recently used first.
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    delete: (key) => entries.delete(key),
    get size() {
      return entries.size;
    },
  };
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
