import assert from "node:assert/strict";
import { microTime } from "../../../src/serve/micro_time.ts";

Deno.test("microTime() writes exactly six fractional digits", () => {
  assert.equal(microTime(Date.UTC(2026, 10, 23, 21, 40, 3, 123)), "2026-11-23T21:40:03.123000Z");
  assert.equal(microTime(Date.UTC(2026, 10, 23, 21, 40, 3, 0)), "2026-11-23T21:40:03.000000Z");
  assert.equal(microTime(Date.UTC(2026, 0, 1, 0, 0, 0, 5) + 0.9), "2026-01-01T00:00:00.005000Z");
});

Deno.test("microTime() always matches the API server's MicroTime layout", () => {
  const layout = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
  for (let ms = 1_700_000_000_000; ms < 1_700_000_000_000 + 2_000; ms += 37) {
    assert.match(microTime(ms), layout);
  }
});
