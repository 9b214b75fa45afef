import assert from "node:assert/strict";
import { LB_OCID_PATTERN, lbKind, parseOcid, regionFromOcid } from "../../../src/api/ocid.ts";

Deno.test("parseOcid() splits an OCID into type, realm, region and unique id", () => {
  assert.deepEqual(parseOcid("ocid1.loadbalancer.oc1.ap-tokyo-1.aaaa"), {
    resourceType: "loadbalancer",
    realm: "oc1",
    region: "ap-tokyo-1",
    unique: "aaaa",
  });
  assert.deepEqual(parseOcid("ocid1.tenancy.oc1..aaaa"), {
    resourceType: "tenancy",
    realm: "oc1",
    unique: "aaaa",
  });
  assert.deepEqual(parseOcid("ocid1.instance.oc1.phx.future.aaaa")?.unique, "future.aaaa");
});

Deno.test("parseOcid() rejects strings that are not OCIDs", () => {
  for (
    const text of [
      "",
      "lb-1",
      "ocid1.loadbalancer.oc1.iad",
      "ocid2.loadbalancer.oc1.iad.x",
      "ocid1..oc1.iad.x",
      "ocid1.loadbalancer.oc1.iad.",
    ]
  ) {
    assert.equal(parseOcid(text), undefined, text);
  }
});

Deno.test("regionFromOcid() returns the region as written: an id or a short code", () => {
  assert.equal(regionFromOcid("ocid1.loadbalancer.oc1.ap-tokyo-1.xxxxx"), "ap-tokyo-1");
  assert.equal(regionFromOcid("ocid1.networkloadbalancer.oc1.iad.amaaaa"), "iad");
  assert.equal(regionFromOcid("ocid1.loadbalancer.oc1.phx.a.b"), "phx");
});

Deno.test("regionFromOcid() is undefined without a region part", () => {
  for (
    const text of [
      "ocid1.loadbalancer.oc1..aaaa",
      "ocid1.user.oc1..x",
      "nrt",
      "",
      "ocid1.loadbalancer.oc1.nrt",
    ]
  ) {
    assert.equal(regionFromOcid(text), undefined, text);
  }
});

Deno.test("lbKind() tells the classic LB API from the NLB API by the OCID", () => {
  assert.equal(lbKind("ocid1.loadbalancer.oc1.iad.x"), "lb");
  assert.equal(lbKind("ocid1.networkloadbalancer.oc1.iad.x"), "nlb");
  for (
    const text of [
      "ocid1.instance.oc1.iad.x",
      "ocid1.loadbalancerx.oc1.iad.x",
      "ocid1.networkloadbalancer",
      "",
      "x.ocid1.loadbalancer.y",
    ]
  ) {
    assert.equal(lbKind(text), undefined, text);
  }
});

Deno.test("LB_OCID_PATTERN accepts exactly the OCIDs lbKind() knows", () => {
  for (
    const text of [
      "ocid1.loadbalancer.oc1.iad.x",
      "ocid1.networkloadbalancer.oc1..x",
      "ocid1.instance.oc1.iad.x",
      "lb",
    ]
  ) {
    assert.equal(LB_OCID_PATTERN.test(text), lbKind(text) !== undefined, text);
  }
});
