/**
 * Generators shared by the fuzz tests: hostile JSON values, and "sometimes valid" fields that keep a
 * generated object close enough to a real one for the checks behind the first bad field to run.
 */

import fc from "fast-check";

/** Strings a parser trips on: empty, blank, huge, odd unicode, look-alikes of real values. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\n\t",
    "__proto__",
    "constructor",
    "null",
    "true",
    "80",
    "-1",
    "NaN",
    "ocid1.",
    "ocid1.loadbalancer.",
    "10.0.0.256",
    "::",
    "fe80::1%eth0",
    "\u0000",
    "\u{1F600}",
    "é".repeat(70),
    "x".repeat(300),
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);

/** Numbers a parser trips on: zero, negatives, fractions, huge and unsafe integers. */
export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, -2.5, 65536, 1e9, 2 ** 53, Number.MAX_VALUE, -0),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, biased to the odd ones. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: oddNumber, weight: 2 },
  { arbitrary: oddString, weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), weight: 1 },
);

/** `valid` most of the time, a hostile value otherwise. */
export function sometimes<T>(valid: fc.Arbitrary<T>, validWeight = 4): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: valid, weight: validWeight },
    { arbitrary: hostile, weight: 1 },
  );
}

/** A record whose keys may each be missing and whose values are `sometimes` valid. */
export function looseRecord(
  model: Record<string, fc.Arbitrary<unknown>>,
  validWeight = 4,
): fc.Arbitrary<Record<string, unknown>> {
  const loose = Object.fromEntries(
    Object.entries(model).map(([key, arb]) => [key, sometimes(arb, validWeight)]),
  );
  return fc.record(loose, { requiredKeys: [] });
}

/** An object (or anything) with hostile junk under a few of the keys real objects have. */
export function junkObject(keys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.record(Object.fromEntries(keys.map((key) => [key, hostile])), { requiredKeys: [] }),
  );
}
