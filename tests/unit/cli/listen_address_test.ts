import assert from "node:assert/strict";
import { ANY_HOST, parseListenAddress, sharesPort } from "../../../src/cli/listen_address.ts";
import { UsageError } from "../../../src/cli/errors.ts";

const valid = [
  { raw: ":8080", hostname: ANY_HOST, port: 8080 },
  { raw: "127.0.0.1:8080", hostname: "127.0.0.1", port: 8080 },
  { raw: "0.0.0.0:9090", hostname: "0.0.0.0", port: 9090 },
  { raw: "[::1]:8081", hostname: "::1", port: 8081 },
  { raw: "[::]:8081", hostname: "::", port: 8081 },
  { raw: "[0:0:0:0:0:0:0:1]:1", hostname: "::1", port: 1 },
  { raw: "localhost:8080", hostname: "localhost", port: 8080 },
  { raw: ":0", hostname: ANY_HOST, port: 0 },
  { raw: ":65535", hostname: ANY_HOST, port: 65_535 },
  { raw: "255.255.255.255:80", hostname: "255.255.255.255", port: 80 },
];

for (const { raw, hostname, port } of valid) {
  Deno.test(`parseListenAddress() reads "${raw}" as ${hostname} port ${port}`, () => {
    assert.deepEqual(parseListenAddress("--metrics-addr", raw), { hostname, port });
  });
}

Deno.test("parseListenAddress() reads off as null and freezes what it returns", () => {
  assert.equal(parseListenAddress("--health-addr", "off"), null);
  assert.ok(Object.isFrozen(parseListenAddress("--health-addr", ":8081")));
});

const invalid = [
  "8080",
  ":",
  "",
  ":65536",
  ":123456",
  ":-1",
  ":80a",
  "127.0.0.1",
  "256.0.0.1:80",
  "1.2.3:80",
  "::1:8080",
  "[::1]",
  "[::g]:80",
  "[127.0.0.1]:80",
  "host name:80",
  "http://127.0.0.1:80",
  "OFF",
];

for (const raw of invalid) {
  Deno.test(`parseListenAddress() rejects ${JSON.stringify(raw)} naming the flag`, () => {
    assert.throws(() => parseListenAddress("--metrics-addr", raw), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.flag, "--metrics-addr");
      assert.ok(error.message.startsWith(`Cannot parse --metrics-addr ${JSON.stringify(raw)}: `));
      return true;
    });
  });
}

const overlaps = [
  { a: ":8080", b: ":8080", shared: true },
  { a: ":8080", b: "127.0.0.1:8080", shared: true },
  { a: "[::]:8080", b: "[::1]:8080", shared: true },
  { a: "127.0.0.1:8080", b: "127.0.0.1:8080", shared: true },
  { a: "127.0.0.1:8080", b: "127.0.0.2:8080", shared: false },
  { a: ":8080", b: ":8081", shared: false },
  { a: ":0", b: ":0", shared: false },
];

for (const { a, b, shared } of overlaps) {
  Deno.test(`sharesPort() says ${shared} for "${a}" and "${b}"`, () => {
    const first = parseListenAddress("--metrics-addr", a);
    const second = parseListenAddress("--health-addr", b);
    assert.ok(first && second);
    assert.equal(sharesPort(first, second), shared);
  });
}
