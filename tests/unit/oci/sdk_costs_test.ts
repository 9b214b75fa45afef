import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as common from "oci-common";
import { patchSdkCosts } from "../../../src/oci/_sdk_costs.ts";

const jsSha = createRequire(createRequire(import.meta.url).resolve("oci-common"))("jssha") as new (
  variant: string,
  format: string,
) => { update(text: string): unknown; getHash(format: string): string };

function sha256B64(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}

Deno.test("patchSdkCosts() applies both patches to the pinned oci-common", () => {
  assert.equal(patchSdkCosts(), true);
  assert.equal(patchSdkCosts(), true);
});

Deno.test("patchSdkCosts() keeps the SDK's isEmpty answers while strings are judged by length", () => {
  patchSdkCosts();
  const isEmpty = (common.utils as unknown as { isEmpty(v: unknown): boolean }).isEmpty;
  assert.equal(isEmpty(""), true);
  assert.equal(isEmpty('{"backends":[]}'), false);
  assert.equal(isEmpty({}), true);
  assert.equal(isEmpty({ a: 1 }), false);
});

Deno.test("patchSdkCosts() leaves the body hash the signer sends unchanged, in pieces and in UTF-8", () => {
  patchSdkCosts();
  for (const pieces of [["{}"], ['{"name":"10.0.0.1:30080"}'], ["Zürich ", "東京 ", "😀"], [""]]) {
    const sha = new jsSha("SHA-256", "TEXT");
    for (const piece of pieces) sha.update(piece);
    assert.equal(sha.getHash("B64"), sha256B64(pieces.join("")));
  }
});

Deno.test("patchSdkCosts() hands other outputs to jsSHA with the text already given", () => {
  patchSdkCosts();
  const sha = new jsSha("SHA-256", "TEXT");
  sha.update("abc");
  assert.equal(sha.getHash("HEX"), createHash("sha256").update("abc").digest("hex"));
  const sha1 = new jsSha("SHA-1", "TEXT");
  sha1.update("abc");
  assert.equal(sha1.getHash("HEX"), createHash("sha1").update("abc").digest("hex"));
});
