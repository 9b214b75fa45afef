/**
 * Two known costs of oci-common 2.139.1 on request bodies, removed in place (the benchmark found
 * them: a 200-set cold start with 100 sets of 5,000 nodes spent 8.5 s of its 17 s CPU in the first
 * and 1.8 s in the second, and the second allocated 10 GB of garbage):
 *
 * - Before every request the SDK asks `utils.isEmpty(body)`, which is `Object.keys(body).length
 *   === 0`: for a JSON text that builds an array with a string per character. A string is empty
 *   when its length is 0; anything else keeps the SDK's answer.
 * - The request signer hashes the body for `x-content-sha256` with jsSHA, in JavaScript, at about
 *   100 bytes of garbage per byte hashed. A SHA-256 of UTF-8 text digested to base64 (the only kind
 *   the SDK asks for) is computed with node:crypto instead; any other use goes to jsSHA unchanged.
 *
 * Both patches check what they replace and step aside when it does not look as expected (another
 * SDK version): the SDK then works as shipped, only slower.
 */
import * as common from "oci-common";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const PATCHED = Symbol.for("oci-lb-registrar.sdk-costs");

/** Applies both patches once per process; true when both are in place. */
export function patchSdkCosts(): boolean {
  return patchIsEmpty() && patchBodyHash();
}

function patchIsEmpty(): boolean {
  const utils = common.utils as unknown as Record<PropertyKey, unknown> & {
    isEmpty(value: unknown): boolean;
  };
  if (utils[PATCHED]) return true;
  const sdkIsEmpty = utils.isEmpty;
  if (typeof sdkIsEmpty !== "function") return false;
  utils.isEmpty = (value: unknown) =>
    typeof value === "string" ? value.length === 0 : sdkIsEmpty(value);
  utils[PATCHED] = true;
  return true;
}

/** jsSHA's instance state, as 3.3.1 names it (minified). */
interface JsShaState {
  o?: unknown; // variant
  t?: unknown; // input format
  i?: unknown; // text encoding
  numRounds?: unknown;
  l?: unknown; // HMAC key set
  v?: unknown; // data already hashed
}

interface JsSha {
  _?: JsShaState;
  update(input: unknown): unknown;
  getHash(format: unknown, options?: unknown): unknown;
}

function patchBodyHash(): boolean {
  let jsSha: { prototype: JsSha } & Record<PropertyKey, unknown>;
  try {
    // The same module instance oci-common's signer loaded: required from oci-common's own folder.
    const fromHere = createRequire(import.meta.url);
    jsSha = createRequire(fromHere.resolve("oci-common"))("jssha");
  } catch {
    return false;
  }
  if (jsSha[PATCHED]) return true;
  const proto = jsSha.prototype;
  const { update, getHash } = proto;
  if (typeof update !== "function" || typeof getHash !== "function") return false;
  const probe = new (jsSha as unknown as new (variant: string, format: string) => JsSha)(
    "SHA-256",
    "TEXT",
  );
  if (!isPlainSha256Text(probe)) return false;

  const texts = new WeakMap<JsSha, string>();
  proto.update = function (this: JsSha, input: unknown) {
    if (typeof input === "string" && (texts.has(this) || isPlainSha256Text(this))) {
      texts.set(this, (texts.get(this) ?? "") + input);
      return this;
    }
    return update.call(this, input);
  };
  proto.getHash = function (this: JsSha, format: unknown, options?: unknown) {
    const text = texts.get(this);
    if (text === undefined) return getHash.call(this, format, options);
    if (format === "B64" && options === undefined) {
      return createHash("sha256").update(text, "utf8").digest("base64");
    }
    // Another output was asked for: hand the text to jsSHA after all.
    texts.delete(this);
    update.call(this, text);
    return getHash.call(this, format, options);
  };
  jsSha[PATCHED] = true;
  return true;
}

/** A fresh SHA-256 over UTF-8 text, no HMAC key, nothing hashed yet. */
function isPlainSha256Text(sha: JsSha): boolean {
  const state = sha._;
  return state?.o === "SHA-256" && state.t === "TEXT" && state.i === "UTF8" &&
    state.numRounds === 1 && state.l === false && state.v === false;
}
