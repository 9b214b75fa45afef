import assert from "node:assert/strict";
import { regionOfOcid, resolveRegion } from "../../../src/oci/region.ts";

const known = [
  { input: "us-ashburn-1", id: "us-ashburn-1" },
  { input: "iad", id: "us-ashburn-1" },
  { input: "FRA", id: "eu-frankfurt-1" },
  { input: " eu-frankfurt-1 ", id: "eu-frankfurt-1" },
  { input: "ap-tokyo-1", id: "ap-tokyo-1" },
];

for (const { input, id } of known) {
  Deno.test(`resolveRegion() maps "${input}" to ${id}`, () => {
    assert.equal(resolveRegion(input)?.regionId, id);
  });
}

for (const input of ["", "  ", "xx-nowhere-9", "zzq"]) {
  Deno.test(`resolveRegion() returns undefined for unknown region "${input}"`, () => {
    assert.equal(resolveRegion(input), undefined);
  });
}

Deno.test("regionOfOcid() takes the region part of a resource OCID", () => {
  assert.equal(regionOfOcid("ocid1.loadbalancer.oc1.iad.aaaa"), "iad");
  assert.equal(regionOfOcid("ocid1.networkloadbalancer.oc1.eu-frankfurt-1.bbbb"), "eu-frankfurt-1");
});

Deno.test("regionOfOcid() returns undefined for an OCID without a region", () => {
  assert.equal(regionOfOcid("ocid1.tenancy.oc1..aaaa"), undefined);
  assert.equal(regionOfOcid("not-an-ocid"), undefined);
});
