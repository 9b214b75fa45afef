import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { routeConsoleWarn } from "../../../src/cli/console_to_log.ts";
import { getLogger } from "../../../src/log.ts";

Deno.test("routeConsoleWarn() turns console.warn into debug records and restores it", async () => {
  const records: LogRecord[] = [];
  await configure({
    reset: true,
    sinks: { capture: (record) => records.push(record) },
    loggers: [
      { category: ["lb-registrar"], lowestLevel: "debug", sinks: ["capture"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
  });
  const original = console.warn;
  try {
    const restore = routeConsoleWarn(getLogger("sdk"));
    console.warn("Request cannot be retried.", 409);
    restore();
    assert.equal(console.warn, original);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.level, "debug");
    assert.deepEqual(records[0]!.category, ["lb-registrar", "sdk"]);
    assert.equal(records[0]!.properties.message, "Request cannot be retried. 409");
  } finally {
    console.warn = original;
    await reset();
  }
});
