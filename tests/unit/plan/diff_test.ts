import assert from "node:assert/strict";
import type { DesiredBackend } from "../../../src/plan/desired_backends.ts";
import { diffBackends, type Removal } from "../../../src/plan/diff.ts";
import { ipPort } from "../../../src/plan/model.ts";
import { backend, keys, NOW } from "../../support/plan_fixtures.ts";

function want(text: string, overrides: Partial<DesiredBackend> = {}): [string, DesiredBackend] {
  const b = backend(text);
  const d: DesiredBackend = {
    key: ipPort(b.ipAddress, b.port),
    ipAddress: b.ipAddress,
    port: b.port,
    weight: 1,
    drain: false,
    rule: "wanted",
    node: "n",
    ...overrides,
  };
  return [d.key, d];
}

const drainLater = (drainSeconds = 30): () => Removal => () => ({
  when: "afterDrain",
  rule: "ineligible",
  drainSeconds,
});

Deno.test("diffBackends() is in sync when desired and actual agree, and returns the same objects", () => {
  const actual = [backend("10.0.0.1:30080"), backend("10.0.0.2:30080", { drain: true })];
  const diff = diffBackends(
    new Map([want("10.0.0.1:30080"), want("10.0.0.2:30080", { drain: true, rule: "notReady" })]),
    actual,
  );
  assert.equal(diff.inSync, true);
  assert.equal(diff.next[0], actual[0]);
  assert.equal(diff.next[1], actual[1]);
});

Deno.test("diffBackends() keeps actual order and appends new backends sorted by address then port", () => {
  const diff = diffBackends(
    new Map([
      want("10.0.0.10:30080"),
      want("10.0.0.9:30080"),
      want("10.0.0.2:30080"),
      want("10.0.0.9:30079"),
    ]),
    [backend("10.0.0.9:30080")],
  );
  assert.deepEqual(keys(diff.next), [
    "10.0.0.9:30080",
    "10.0.0.2:30080",
    "10.0.0.9:30079",
    "10.0.0.10:30080",
  ]);
  assert.deepEqual(diff.changes.added.map((c) => c.ipPort), [
    "10.0.0.2:30080",
    "10.0.0.9:30079",
    "10.0.0.10:30080",
  ]);
  assert.equal(diff.inSync, false);
});

Deno.test("diffBackends() adds a NotReady node drained", () => {
  const diff = diffBackends(
    new Map([want("10.0.0.1:30080", { drain: true, rule: "notReady" })]),
    [],
  );
  assert.deepEqual(diff.next, [backend("10.0.0.1:30080", { drain: true })]);
  assert.deepEqual(diff.changes.added, [{ ipPort: "10.0.0.1:30080", rule: "notReady" }]);
});

Deno.test("diffBackends() drains a NotReady node instead of removing it", () => {
  const diff = diffBackends(new Map([want("10.0.0.1:30080", { drain: true, rule: "notReady" })]), [
    backend("10.0.0.1:30080"),
  ]);
  assert.deepEqual(diff.changes.drained, [{ ipPort: "10.0.0.1:30080", rule: "notReady" }]);
  assert.deepEqual(diff.changes.removed, []);
});

Deno.test("diffBackends() carries backup, offline, maxConnections, name and targetId over on a change", () => {
  const unmanaged = {
    backup: true,
    offline: true,
    maxConnections: 50,
    name: "custom",
    targetId: "ocid1.instance.x",
  };
  const diff = diffBackends(
    new Map([want("10.0.0.1:30080", { weight: 7, drain: true, rule: "notReady" })]),
    [
      backend("10.0.0.1:30080", unmanaged),
    ],
  );
  assert.deepEqual(diff.next, [
    backend("10.0.0.1:30080", { ...unmanaged, weight: 7, drain: true }),
  ]);
  assert.deepEqual(diff.changes.reweighted, [{ ipPort: "10.0.0.1:30080", rule: "notReady" }]);
  assert.deepEqual(diff.changes.drained, [{ ipPort: "10.0.0.1:30080", rule: "notReady" }]);
});

Deno.test("diffBackends() undrains a backend that is wanted active again", () => {
  const diff = diffBackends(new Map([want("10.0.0.1:30080")]), [
    backend("10.0.0.1:30080", { drain: true }),
  ]);
  assert.deepEqual(diff.changes.undrained, [{ ipPort: "10.0.0.1:30080", rule: "wanted" }]);
  assert.equal(diff.next[0]?.drain, false);
});

Deno.test("diffBackends() removes an unwanted backend at once by default, as foreign", () => {
  const diff = diffBackends(new Map(), [backend("192.168.1.1:80")]);
  assert.deepEqual(diff.next, []);
  assert.deepEqual(diff.changes.removed, [{ ipPort: "192.168.1.1:80", rule: "foreign" }]);
});

Deno.test("diffBackends() drains first a backend that must leave after a drain", () => {
  const diff = diffBackends(new Map(), [backend("10.0.0.1:30080", { backup: true })], {
    removal: drainLater(),
    now: NOW,
  });
  assert.deepEqual(diff.next, [backend("10.0.0.1:30080", { backup: true, drain: true })]);
  assert.deepEqual(diff.changes.drained, [{ ipPort: "10.0.0.1:30080", rule: "ineligible" }]);
  assert.equal(diff.entries[0]?.pending, true);
});

Deno.test("diffBackends() keeps a drained backend while its drainSeconds run", () => {
  const actual = [backend("10.0.0.1:30080", { drain: true })];
  const drainedAt = new Map([["10.0.0.1:30080", NOW - 29_999]]);
  const diff = diffBackends(new Map(), actual, { removal: drainLater(), drainedAt, now: NOW });
  assert.equal(diff.inSync, true);
  assert.equal(diff.entries[0]?.pending, true);
});

Deno.test("diffBackends() keeps a drained backend with no recorded drain time", () => {
  const diff = diffBackends(new Map(), [backend("10.0.0.1:30080", { drain: true })], {
    removal: drainLater(),
    now: NOW,
  });
  assert.equal(diff.inSync, true);
});

Deno.test("diffBackends() removes a drained backend once drainSeconds have passed", () => {
  const drainedAt = new Map([["10.0.0.1:30080", NOW - 30_000]]);
  const diff = diffBackends(new Map(), [backend("10.0.0.1:30080", { drain: true })], {
    removal: drainLater(),
    drainedAt,
    now: NOW,
  });
  assert.deepEqual(diff.next, []);
  assert.deepEqual(diff.changes.removed, [{ ipPort: "10.0.0.1:30080", rule: "drainExpired" }]);
});

Deno.test("diffBackends() removes at once when drainSeconds is 0", () => {
  const diff = diffBackends(new Map(), [backend("10.0.0.1:30080")], {
    removal: drainLater(0),
    now: NOW,
  });
  assert.deepEqual(diff.changes.removed, [{ ipPort: "10.0.0.1:30080", rule: "ineligible" }]);
});

Deno.test("diffBackends() removes a second backend with the same ip:port", () => {
  const diff = diffBackends(new Map([want("10.0.0.1:30080")]), [
    backend("10.0.0.1:30080"),
    backend("10.0.0.1:30080", { weight: 3 }),
  ]);
  assert.deepEqual(diff.next, [backend("10.0.0.1:30080")]);
  assert.deepEqual(diff.changes.removed, [{ ipPort: "10.0.0.1:30080", rule: "duplicate" }]);
});

Deno.test("diffBackends() matches an IPv6 backend spelled differently in OCI without rewriting it", () => {
  const actual = [backend("[FD00:0:0::1]:30080")];
  const diff = diffBackends(new Map([want("[fd00::1]:30080")]), actual);
  assert.equal(diff.inSync, true);
  assert.equal(diff.next[0]?.ipAddress, "FD00:0:0::1");
});

Deno.test("diffBackends() sends a new IPv6 backend without brackets", () => {
  const diff = diffBackends(new Map([want("[fd00::1]:30080")]), []);
  assert.equal(diff.next[0]?.ipAddress, "fd00::1");
  assert.deepEqual(diff.changes.added, [{ ipPort: "[fd00::1]:30080", rule: "wanted" }]);
});
