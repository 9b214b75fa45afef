import assert from "node:assert/strict";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "../../../src/cli/duration.ts";
import { UsageError } from "../../../src/cli/errors.ts";

const valid = [
  { raw: "250ms", ms: 250 },
  { raw: "0ms", ms: 0 },
  { raw: "30s", ms: 30_000 },
  { raw: "1.5s", ms: 1_500 },
  { raw: "5m", ms: 300_000 },
  { raw: "0.5m", ms: 30_000 },
  { raw: "1h", ms: 3_600_000 },
  { raw: "24h", ms: MAX_DURATION_MS },
  { raw: "0.0004s", ms: 0 },
];

for (const { raw, ms } of valid) {
  Deno.test(`parseDuration() reads "${raw}" as ${ms} ms`, () => {
    assert.equal(parseDuration("--resync", raw, { minMs: 0 }), ms);
  });
}

const malformed = [
  "5x",
  "5",
  "",
  "ms",
  "-1s",
  "+1s",
  "1 s",
  " 1s",
  "1S",
  "1.s",
  ".5s",
  "1m30s",
  "1e3ms",
  "5d",
];

for (const raw of malformed) {
  Deno.test(`parseDuration() rejects ${JSON.stringify(raw)} with a message naming the flag`, () => {
    assert.throws(() => parseDuration("--debounce", raw, { minMs: 0 }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.flag, "--debounce");
      assert.equal(
        error.message,
        `Cannot parse --debounce ${JSON.stringify(raw)}: use a number followed by ms, s, m or h`,
      );
      return true;
    });
  });
}

const outOfBounds = [
  {
    raw: "999ms",
    bounds: { minMs: 1_000 },
    message: 'Cannot use --resync "999ms": wanted at least 1s',
  },
  { raw: "0s", bounds: { minMs: 100 }, message: 'Cannot use --resync "0s": wanted at least 100ms' },
  { raw: "25h", bounds: { minMs: 0 }, message: 'Cannot use --resync "25h": wanted at most 24h' },
  {
    raw: "2m",
    bounds: { minMs: 0, maxMs: 60_000 },
    message: 'Cannot use --resync "2m": wanted at most 1m',
  },
];

for (const { raw, bounds, message } of outOfBounds) {
  Deno.test(`parseDuration() refuses "${raw}" outside ${JSON.stringify(bounds)}`, () => {
    assert.throws(() => parseDuration("--resync", raw, bounds), { name: "UsageError", message });
  });
}

const formatted = [
  { ms: 0, text: "0ms" },
  { ms: 250, text: "250ms" },
  { ms: 1_500, text: "1500ms" },
  { ms: 1_000, text: "1s" },
  { ms: 90_000, text: "90s" },
  { ms: 300_000, text: "5m" },
  { ms: 7_200_000, text: "2h" },
];

for (const { ms, text } of formatted) {
  Deno.test(`formatDuration() spells ${ms} ms as "${text}" and parseDuration() reads it back`, () => {
    assert.equal(formatDuration(ms), text);
    assert.equal(parseDuration("--debounce", text, { minMs: 0 }), ms);
  });
}
