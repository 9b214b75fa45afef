import assert from "node:assert/strict";
import { canonicalIp, ipPortSortKey, parseIp } from "../../../src/plan/ip_address.ts";

const cases: { name: string; input: string; expected: ReturnType<typeof parseIp> }[] = [
  { name: "a dotted quad", input: "10.0.0.1", expected: { family: "IPv4", canonical: "10.0.0.1" } },
  {
    name: "IPv6 in upper case with zeros",
    input: "FD00:0:0:0:0:0:0:0001",
    expected: { family: "IPv6", canonical: "fd00::1" },
  },
  {
    name: "IPv6 already compressed",
    input: "2001:db8::1:0:0:1",
    expected: { family: "IPv6", canonical: "2001:db8::1:0:0:1" },
  },
  {
    name: "the longest zero run first on a tie",
    input: "2001:0:0:1:0:0:0:1",
    expected: { family: "IPv6", canonical: "2001:0:0:1::1" },
  },
  {
    name: "a single zero group not compressed",
    input: "2001:db8:0:1:1:1:1:1",
    expected: { family: "IPv6", canonical: "2001:db8:0:1:1:1:1:1" },
  },
  {
    name: "an embedded IPv4 tail",
    input: "::ffff:10.0.0.1",
    expected: { family: "IPv6", canonical: "::ffff:a00:1" },
  },
  {
    name: "IPv4 loopback as unusable",
    input: "127.0.0.1",
    expected: { family: "IPv4", canonical: "127.0.0.1", unusable: "is loopback" },
  },
  {
    name: "IPv4 link-local as unusable",
    input: "169.254.1.1",
    expected: { family: "IPv4", canonical: "169.254.1.1", unusable: "is link-local" },
  },
  {
    name: "IPv4 unspecified as unusable",
    input: "0.0.0.0",
    expected: { family: "IPv4", canonical: "0.0.0.0", unusable: "is unspecified" },
  },
  {
    name: "IPv6 link-local as unusable",
    input: "fe80::1",
    expected: { family: "IPv6", canonical: "fe80::1", unusable: "is link-local" },
  },
  {
    name: "IPv6 loopback as unusable",
    input: "::1",
    expected: { family: "IPv6", canonical: "::1", unusable: "is loopback" },
  },
  {
    name: "IPv6 multicast as unusable",
    input: "ff02::1",
    expected: { family: "IPv6", canonical: "ff02::1", unusable: "is multicast" },
  },
  { name: "an empty string as not an IP", input: "", expected: undefined },
  { name: "a host name as not an IP", input: "node-1.example", expected: undefined },
  { name: "an octet above 255 as not an IP", input: "10.0.0.256", expected: undefined },
  { name: "a leading zero octet as not an IP", input: "10.0.0.01", expected: undefined },
  { name: "a zone as not usable text", input: "fe80::1%eth0", expected: undefined },
  { name: "two compressions as not an IP", input: "1::2::3", expected: undefined },
  { name: "nine groups as not an IP", input: "1:2:3:4:5:6:7:8:9", expected: undefined },
  { name: "a CIDR as not an IP", input: "10.0.0.0/8", expected: undefined },
];

for (const { name, input, expected } of cases) {
  Deno.test(`parseIp() reads ${name}`, () => {
    assert.deepEqual(parseIp(input), expected);
  });
}

Deno.test("canonicalIp() makes two spellings of one IPv6 address equal", () => {
  assert.equal(canonicalIp("fd00:0000::0:1"), canonicalIp("FD00::1"));
});

Deno.test("ipPortSortKey() orders IPv4 numerically, then IPv6, then by port", () => {
  const sorted = [
    ["fd00::1", 80],
    ["10.0.0.10", 80],
    ["10.0.0.2", 81],
    ["10.0.0.2", 80],
  ].map(([ip, port]) => ({ ip, port, key: ipPortSortKey(ip as string, port as number) }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ ip, port }) => `${ip}:${port}`);
  assert.deepEqual(sorted, ["10.0.0.2:80", "10.0.0.2:81", "10.0.0.10:80", "fd00::1:80"]);
});
